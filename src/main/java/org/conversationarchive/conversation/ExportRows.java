package org.conversationarchive.conversation;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.conversationarchive.conversation.Conversation.Contact;
import org.conversationarchive.conversation.Conversation.Signals;
import org.conversationarchive.conversation.index.DocumentJson;
import org.conversationarchive.conversation.index.FreeFormJson;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * The cells a table export writes for a conversation, one per {@link Column}, rendered
 * once when the conversation is written and kept in its document as binary doc values
 * ({@code exportRow}): an export then skips loading and parsing each whole source. Every
 * write of a whole document renders them (through {@link ConversationDocuments}); partial
 * updates (contact counts, attachments) change none of their fields and keep them.
 * <p>
 * Durations are in seconds, instants ISO-8601 UTC, functions (and failed functions)
 * {@code ;}-joined, parameters and tags compact JSON; an absent value is {@code null}. A
 * stored row is a JSON array: {@link #FORMAT}, then the cells in the columns' order; a
 * row of another format is not used (its document's source is read instead).
 */
@Component
public class ExportRows {

	/**
	 * The document fields the cells come from: what an export reads from the source of a
	 * document without a row.
	 */
	public static final List<String> FIELDS = Column.ALL.stream().map(Column::field).toList();

	/**
	 * The doc values field.
	 */
	public static final String FIELD = "exportRow";

	/**
	 * How the cells are rendered; changing how any cell is rendered, or the columns,
	 * changes it.
	 */
	static final String FORMAT = "cells-2";

	private static final int CELLS = Column.ALL.size();

	private final JsonMapper json;

	private final FreeFormJson freeForm;

	ExportRows(JsonMapper json) {
		this.json = json;
		this.freeForm = new FreeFormJson(json);
	}

	/**
	 * A document's export row.
	 * @param document a whole document about to be written
	 * @return its row, as the document stores it
	 */
	String render(ConversationDocument document) {
		// The JSON the mapper writes of the list of cells, written on the generator.
		ByteArrayOutputStream row = new ByteArrayOutputStream(512);
		try (JsonGenerator out = this.json.createGenerator(row)) {
			out.writeStartArray();
			out.writeString(FORMAT);
			for (String cell : cells(document).values) {
				if (cell != null) {
					out.writeString(cell);
				}
				else {
					out.writeNull();
				}
			}
			out.writeEndArray();
		}
		byte[] base64 = Base64.getEncoder().encode(row.toByteArray());
		return new String(base64, StandardCharsets.ISO_8859_1);
	}

	/**
	 * The cells of a conversation.
	 * @param document the document, whole or with {@link #FIELDS} at least
	 * @return its cells
	 */
	public Cells cells(ConversationDocument document) {
		@Nullable String[] cells = new @Nullable String[CELLS];
		for (Column column : Column.ALL) {
			cells[column.ordinal()] = cell(column, document);
		}
		return new Cells(cells);
	}

	private @Nullable String cell(Column column, ConversationDocument document) {
		return switch (column) {
			case ID -> document.id();
			case PLATFORM -> JsonEnum.json(document.platform());
			case CONTACT -> contact(document.contact());
			case STATUS -> (document.status() != null) ? document.status().json() : null;
			case FLOW -> (document.flow() != null)
					? ((document.flow().name() != null) ? document.flow().name() : document.flow().id()) : null;
			case DURATION -> (document.durationSeconds() != null) ? document.durationSeconds().toString() : null;
			case LAST_MESSAGE -> instant(document.lastMessageAt());
			case DATE -> instant(document.startedAt());
			case FLAGGED -> Boolean.toString(Boolean.TRUE.equals(document.flagged()));
			case FUNCTIONS -> (document.functions() != null) ? String.join(";", document.functions()) : null;
			case PARAMETERS -> object(document.parameters());
			case TAGS -> object(document.tags());
			case TURNS -> signal(document, Signals::turns);
			case LONGEST_SILENCE -> signal(document, Signals::longestSilenceSeconds);
			case FAILED_FUNCTIONS -> (document.signals() != null && document.signals().failedFunctions() != null)
					? String.join(";", document.signals().failedFunctions()) : null;
			case CUSTOMER_REPEATS -> signal(document, Signals::customerRepeats);
		};
	}

	private static @Nullable String signal(ConversationDocument document, Function<Signals, @Nullable Number> value) {
		Number number = (document.signals() != null) ? value.apply(document.signals()) : null;
		return (number != null) ? number.toString() : null;
	}

	/**
	 * The cells of a stored row.
	 * @param row the row as Elasticsearch returns binary doc values (base64)
	 * @return its cells, or {@code null} if it is of another format
	 */
	public @Nullable Cells read(String row) {
		try (JsonParser parser = this.json.createParser(Base64.getDecoder().decode(row))) {
			if (parser.nextToken() != JsonToken.START_ARRAY || parser.nextToken() != JsonToken.VALUE_STRING
					|| !FORMAT.equals(parser.getString())) {
				return null;
			}
			@Nullable String[] cells = new @Nullable String[CELLS];
			for (int i = 0; i < CELLS; i++) {
				JsonToken token = parser.nextToken();
				if (token == JsonToken.VALUE_STRING) {
					cells[i] = parser.getString();
				}
				else if (token != JsonToken.VALUE_NULL) {
					return null;
				}
			}
			return new Cells(cells);
		}
	}

	/**
	 * The contact's cell: {@link Contact#display()}.
	 */
	private static @Nullable String contact(@Nullable Contact contact) {
		return (contact != null) ? contact.display() : null;
	}

	private static @Nullable String instant(@Nullable Instant instant) {
		return (instant != null) ? DocumentJson.iso(instant) : null;
	}

	/**
	 * A conversation's cells, by column.
	 */
	public static final class Cells {

		private final @Nullable String[] values;

		private Cells(@Nullable String[] values) {
			this.values = values;
		}

		/**
		 * A column's cell.
		 * @param column the column
		 * @return its text, {@code null} where the conversation has no value
		 */
		public @Nullable String get(Column column) {
			return this.values[column.ordinal()];
		}

	}

	private @Nullable String object(@Nullable Map<String, ?> map) {
		return (map == null || map.isEmpty()) ? null : this.freeForm.string(map);
	}

}
