package org.conversationarchive.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.conversationarchive.conversation.Conversation.Contact;
import org.conversationarchive.conversation.ConversationDocument;
import org.conversationarchive.conversation.JsonEnum;
import org.conversationarchive.search.Column;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Rows of the table CSV: RFC 4180 (CRLF, quotes doubled), UTF-8; durations in seconds,
 * instants ISO-8601 UTC, functions {@code ;}-joined, parameters and tags compact JSON. A
 * cell a spreadsheet would run as a formula (starting with {@code = + - @}, tab or CR) is
 * prefixed with {@code '}, so opening an export never runs anything.
 */
final class CsvRows {

	static final CSVFormat FORMAT = CSVFormat.RFC4180;

	private final List<Column> columns;

	private final JsonMapper json;

	CsvRows(List<Column> columns, JsonMapper json) {
		this.columns = columns;
		this.json = json;
	}

	String header() {
		return line(this.columns.stream().map(Column::header).toArray());
	}

	String row(ConversationDocument document) {
		Object[] values = new Object[this.columns.size()];
		for (int i = 0; i < values.length; i++) {
			values[i] = cell(value(this.columns.get(i), document));
		}
		return line(values);
	}

	private @Nullable String value(Column column, ConversationDocument document) {
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
		};
	}

	/**
	 * What the table shows as the contact: a name, else a phone number or email address,
	 * else the contact id.
	 */
	private static @Nullable String contact(@Nullable Contact contact) {
		if (contact == null) {
			return null;
		}
		for (String value : new String[] { contact.name(), contact.phone(), contact.email(), contact.id() }) {
			if (value != null && !value.isBlank()) {
				return value;
			}
		}
		return null;
	}

	private static @Nullable String instant(@Nullable Instant instant) {
		return (instant != null) ? instant.toString() : null;
	}

	private @Nullable String object(@Nullable Map<String, ?> map) {
		return (map == null || map.isEmpty()) ? null : this.json.writeValueAsString(map);
	}

	static @Nullable String cell(@Nullable String value) {
		if (value == null || value.isEmpty()) {
			return value;
		}
		char first = value.charAt(0);
		if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r') {
			return "'" + value;
		}
		return value;
	}

	static String line(Object... values) {
		try {
			StringBuilder line = new StringBuilder(256);
			FORMAT.printRecord(line, values);
			// The writer adds the record separator itself.
			line.setLength(line.length() - FORMAT.getRecordSeparator().length());
			return line.toString();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
