package org.conversationarchive.conversation;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.conversationarchive.conversation.Conversation.Contact;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * The cells a table export writes for a conversation, rendered once when the conversation
 * is written and kept in its document as binary doc values ({@code exportRow}): reading a
 * million of them that way skips loading and parsing each whole source, messages
 * included, which is what limits an export read from {@code _source} (see
 * bench/README.md). Every write of a whole document renders them (through
 * {@link ConversationDocuments}); the partial updates of the contact-count upkeep and of
 * attachments keep them, since they change none of their fields.
 * <p>
 * The cells are the export's columns in their default order: ID, Platform, Contact,
 * Status, Flow, Duration (seconds), Last Message and Date (ISO-8601 UTC), Flagged,
 * Functions ({@code ;}-joined), Parameters and Tags (compact JSON); an absent value is
 * {@code null}. A row is a JSON array whose first element is {@link #FORMAT}: a row of
 * another format is not used (its document's source is read instead).
 */
@Component
public class ExportRows {

	/**
	 * The document fields the cells come from: what an export reads from the source of a
	 * document without a row.
	 */
	public static final List<String> FIELDS = List.of("id", "platform", "contact", "status", "flow", "durationSeconds",
			"lastMessageAt", "startedAt", "flagged", "functions", "parameters", "tags");

	/**
	 * The doc values field.
	 */
	public static final String FIELD = "exportRow";

	/**
	 * How the cells are rendered; changing how any cell is rendered changes it.
	 */
	static final String FORMAT = "cells-1";

	/**
	 * Cells in a row.
	 */
	public static final int CELLS = 12;

	private final JsonMapper json;

	private final FreeFormJson freeForm;

	ExportRows(JsonMapper json) {
		this.json = json;
		this.freeForm = new FreeFormJson(json);
	}

	/**
	 * The document with its export row.
	 * @param document a whole document about to be written
	 * @return the same document, its row added
	 */
	public ConversationDocument attach(ConversationDocument document) {
		// The JSON the mapper writes of the list of cells, written on the generator.
		ByteArrayOutputStream row = new ByteArrayOutputStream(512);
		try (JsonGenerator out = this.json.createGenerator(row)) {
			out.writeStartArray();
			out.writeString(FORMAT);
			for (String cell : cells(document)) {
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
		return withRow(document, new String(base64, StandardCharsets.ISO_8859_1));
	}

	/**
	 * The cells of a conversation.
	 * @param document the document, whole or with {@link #FIELDS} at least
	 * @return its {@link #CELLS} cells, {@code null} where it has no value
	 */
	public @Nullable String[] cells(ConversationDocument document) {
		return new @Nullable String[] { document.id(), JsonEnum.json(document.platform()), contact(document.contact()),
				(document.status() != null) ? document.status().json() : null,
				(document.flow() != null)
						? ((document.flow().name() != null) ? document.flow().name() : document.flow().id()) : null,
				(document.durationSeconds() != null) ? document.durationSeconds().toString() : null,
				instant(document.lastMessageAt()), instant(document.startedAt()),
				Boolean.toString(Boolean.TRUE.equals(document.flagged())),
				(document.functions() != null) ? String.join(";", document.functions()) : null,
				object(document.parameters()), object(document.tags()) };
	}

	/**
	 * The cells of a stored row.
	 * @param row the row as Elasticsearch returns binary doc values (base64)
	 * @return its cells, or {@code null} if it is of another format
	 */
	public @Nullable String @Nullable [] read(String row) {
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
			return cells;
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

	private @Nullable String object(@Nullable Map<String, ?> map) {
		return (map == null || map.isEmpty()) ? null : this.freeForm.string(map);
	}

	private static ConversationDocument withRow(ConversationDocument d, String row) {
		return new ConversationDocument(d.org(), d.id(), d.platform(), d.pointOfContact(), d.contact(), d.direction(),
				d.environment(), d.status(), d.flow(), d.agent(), d.liveAgents(), d.voice(), d.startedAt(), d.endedAt(),
				d.flagged(), d.flags(), d.tags(), d.parameters(), d.sentiment(), d.reason(), d.summary(), d.analysis(),
				d.messages(), d.durationSeconds(), d.lastMessageAt(), d.functions(), d.liveAgentHandled(),
				d.contactConversationCount(), d.audio(), d.artifacts(), d.tagKeys(), d.tagPairs(), d.updatedAt(), row);
	}

}
