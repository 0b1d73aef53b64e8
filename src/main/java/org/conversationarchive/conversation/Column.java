package org.conversationarchive.conversation;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The columns of the conversations table, in their default order: what a view shows and
 * an export writes. The names are the API's ({@code lastMessage}); the headers are the
 * table's and the CSV's ({@code Last Message}); each column shows one field of the
 * document ({@link ExportRows} renders its cell).
 */
public enum Column {

	ID("id", "ID", "id"), PLATFORM("platform", "Platform", "platform"), CONTACT("contact", "Contact", "contact"),
	STATUS("status", "Status", "status"), FLOW("flow", "Flow", "flow"),
	DURATION("duration", "Duration", "durationSeconds"), LAST_MESSAGE("lastMessage", "Last Message", "lastMessageAt"),
	DATE("date", "Date", "startedAt"), FLAGGED("flagged", "Flagged", "flagged"),
	FUNCTIONS("functions", "Functions", "functions"), PARAMETERS("parameters", "Parameters", "parameters"),
	TAGS("tags", "Tags", "tags"), TURNS("turns", "Turns", "signals.turns"),
	LONGEST_SILENCE("longestSilence", "Longest Silence", "signals.longestSilenceSeconds"),
	FAILED_FUNCTIONS("failedFunctions", "Failed Functions", "signals.failedFunctions"),
	CUSTOMER_REPEATS("customerRepeats", "Customer Repeats", "signals.customerRepeats");

	/**
	 * Every column, in the table's order.
	 */
	public static final List<Column> ALL = List.of(values());

	/**
	 * The columns a table, a view and an export show unless told otherwise: the table's
	 * own (see SPEC.md), without the review signals' columns, which are chosen.
	 */
	public static final List<Column> DEFAULT = ALL.subList(0, TAGS.ordinal() + 1);

	private final String json;

	private final String header;

	private final String field;

	Column(String json, String header, String field) {
		this.json = json;
		this.header = header;
		this.field = field;
	}

	@JsonValue
	public String json() {
		return this.json;
	}

	/**
	 * The column's title in the table and in CSV exports.
	 * @return the header
	 */
	public String header() {
		return this.header;
	}

	/**
	 * The document field the column shows.
	 * @return the field's name in the index
	 */
	public String field() {
		return this.field;
	}

	/**
	 * Reads a column's name, case-insensitively.
	 * @param value the name
	 * @return the column
	 * @throws IllegalArgumentException naming the value and the columns there are
	 */
	@JsonCreator
	public static Column of(String value) {
		for (Column column : values()) {
			if (column.json.equalsIgnoreCase(value.trim())) {
				return column;
			}
		}
		throw new IllegalArgumentException("unknown column '" + value + "'; expected one of "
				+ Arrays.stream(values()).map(Column::json).collect(Collectors.joining(", ")));
	}

}
