package org.conversationarchive.views;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.conversationarchive.conversation.Column;
import org.conversationarchive.search.Filter;
import org.conversationarchive.search.SearchSort;
import org.conversationarchive.system.InvalidInputException;
import org.conversationarchive.system.JsonProblems;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The body of {@code POST} and {@code PUT /views}: a view to save. Only {@code name} is
 * required; without {@code filter} it shows every conversation, without {@code columns}
 * every column, without {@code sort} the newest first, and without {@code scope} it is
 * private (on {@code PUT}: keeps its scope).
 *
 * @param name 1 to 200 characters
 * @param filter the JSON form of the filter model
 * @param columns a subset of the table's columns, in order
 * @param sort {@code date}, {@code lastMessage}, {@code duration} or {@code relevance},
 * each {@code :asc} or {@code :desc}
 * @param scope {@code private} or {@code org}
 */
record ViewRequest(@Nullable String name, @Nullable Filter filter, @Nullable List<@Nullable Column> columns,
		@Nullable String sort, @Nullable Scope scope) {

	static final int MAX_NAME = 200;

	/**
	 * Reads a body strictly, like a search's filter: an unknown field is refused, since a
	 * misspelt filter would silently match too much.
	 * @param json the mapper
	 * @param body the JSON
	 * @return the view to save, checked
	 * @throws InvalidInputException naming the field and what is wrong
	 */
	static Valid read(JsonMapper json, byte @Nullable [] body) {
		if (body == null || body.length == 0) {
			throw new InvalidInputException("the request body is missing: send the view as JSON, e.g. "
					+ "{\"name\": \"Flagged voice calls\", \"filter\": {\"platforms\": [\"voice\"], \"flagged\": true}}");
		}
		ViewRequest request;
		try {
			request = json.readerFor(ViewRequest.class)
				.with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
				.readValue(body);
		}
		catch (JacksonException ex) {
			throw new InvalidInputException(JsonProblems.describe(ex));
		}
		if (request == null) {
			throw new InvalidInputException("the request body is null: send the view as a JSON object");
		}
		return request.validated();
	}

	private Valid validated() {
		String trimmed = (this.name != null) ? this.name.trim() : "";
		if (trimmed.isEmpty()) {
			throw new InvalidInputException("name: is required (1 to " + MAX_NAME + " characters)");
		}
		if (trimmed.length() > MAX_NAME) {
			throw new InvalidInputException(
					"name: is " + trimmed.length() + " characters long; at most " + MAX_NAME + " are allowed");
		}
		Filter checked;
		try {
			checked = (this.filter != null) ? this.filter.validated() : Filter.ALL;
		}
		catch (InvalidInputException ex) {
			throw new InvalidInputException("filter: " + ex.getMessage());
		}
		return new Valid(trimmed, checked, checkedColumns(),
				(this.sort != null && !this.sort.isBlank()) ? SearchSort.parse(this.sort) : SearchSort.DEFAULT,
				this.scope);
	}

	private List<Column> checkedColumns() {
		if (this.columns == null) {
			return Column.DEFAULT;
		}
		if (this.columns.isEmpty()) {
			throw new InvalidInputException("columns: list at least one column, or leave columns out for all of them");
		}
		Set<Column> seen = new HashSet<>();
		for (Column column : this.columns) {
			if (column == null) {
				throw new InvalidInputException("columns: null is not a column");
			}
			if (!seen.add(column)) {
				throw new InvalidInputException("columns: '" + column.json() + "' is listed twice");
			}
		}
		return List.copyOf(this.columns);
	}

	/**
	 * A view to save, checked.
	 *
	 * @param name the name, trimmed
	 * @param filter the filter, validated
	 * @param columns the columns
	 * @param sort the order
	 * @param scope the scope asked for, if any
	 */
	record Valid(String name, Filter filter, List<Column> columns, SearchSort sort, @Nullable Scope scope) {
	}

}
