package org.conversationarchive.search;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The columns of the conversations table, in their default order: what a view shows and
 * an export writes. The names are the API's ({@code lastMessage}); the headers are the
 * table's and the CSV's ({@code Last Message}).
 */
public enum Column {

	ID("id", "ID"), PLATFORM("platform", "Platform"), CONTACT("contact", "Contact"), STATUS("status", "Status"),
	FLOW("flow", "Flow"), DURATION("duration", "Duration"), LAST_MESSAGE("lastMessage", "Last Message"),
	DATE("date", "Date"), FLAGGED("flagged", "Flagged"), FUNCTIONS("functions", "Functions"),
	PARAMETERS("parameters", "Parameters"), TAGS("tags", "Tags");

	/**
	 * Every column, in the table's order.
	 */
	public static final List<Column> ALL = List.of(values());

	private final String json;

	private final String header;

	Column(String json, String header) {
		this.json = json;
		this.header = header;
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
