package org.conversationarchive.search;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import co.elastic.clients.elasticsearch._types.FieldValue;
import org.conversationarchive.system.InvalidInputException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Where the next page starts: the sort values of the last row (for {@code search_after})
 * and a fingerprint of the search, so a cursor cannot be replayed on another one. It
 * holds no point in time: its length does not grow with the indices, it never expires,
 * and nothing is kept open for it between pages (see {@code docs/architecture.md}).
 *
 * @param after the last row's sort values: its sort key, then its id
 * @param search fingerprint of the filter and sort
 */
record SearchCursor(List<FieldValue> after, String search) {

	/**
	 * The longest cursor read: far above one this archive gives out (a conversation id is
	 * at most a few hundred characters), far below what a URL can take.
	 */
	static final int MAX_LENGTH = 4096;

	private static final String NOT_OURS = "parameter cursor: not a cursor this archive gave out; "
			+ "pass the nextCursor of the previous page as it is";

	private static final Set<String> FIELDS = Set.of("after", "search");

	String encode(JsonMapper json) {
		ObjectNode node = json.createObjectNode();
		ArrayNode values = node.putArray("after");
		for (FieldValue value : this.after) {
			switch (value._kind()) {
				case Long -> values.add(value.longValue());
				case Double -> values.add(value.doubleValue());
				case Boolean -> values.add(value.booleanValue());
				case String -> values.add(value.stringValue());
				default -> values.addNull();
			}
		}
		node.put("search", this.search);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(json.writeValueAsBytes(node));
	}

	/**
	 * Reads a cursor of a search, refusing anything this archive would not have given out
	 * for it.
	 * @param text the cursor
	 * @param search the search's fingerprint
	 * @param sort the search's order
	 * @param json the mapper
	 * @return the cursor
	 */
	static SearchCursor decode(String text, String search, SearchSort sort, JsonMapper json) {
		if (text.length() > MAX_LENGTH) {
			throw new InvalidInputException(NOT_OURS);
		}
		JsonNode node;
		try {
			node = json.readTree(Base64.getUrlDecoder().decode(text.trim()));
		}
		catch (IllegalArgumentException | JacksonException ex) {
			throw new InvalidInputException(NOT_OURS);
		}
		if (node == null || !node.isObject() || !node.path("after").isArray() || !node.path("search").isString()) {
			throw new InvalidInputException(NOT_OURS);
		}
		for (String name : node.propertyNames()) {
			if (!FIELDS.contains(name)) {
				throw new InvalidInputException(NOT_OURS);
			}
		}
		if (!node.path("search").asString().equals(search)) {
			throw new InvalidInputException(
					"parameter cursor: it belongs to another search; keep the filters and sort of the first page");
		}
		JsonNode after = node.path("after");
		// One value of the sort key, then the conversation id: nothing else reaches
		// Elasticsearch.
		if (after.size() != 2 || !sortKey(after.get(0), sort) || !after.get(1).isString()
				|| after.get(1).asString().isEmpty()) {
			throw new InvalidInputException(NOT_OURS);
		}
		return new SearchCursor(values(after), search);
	}

	private static boolean sortKey(JsonNode value, SearchSort sort) {
		if (sort.key() == SearchSort.Key.RELEVANCE) {
			return value.isNumber() && Double.isFinite(value.asDouble());
		}
		return value.isIntegralNumber() && value.canConvertToLong();
	}

	/**
	 * Sort values as {@code search_after} takes them.
	 * @param array the values, as Elasticsearch gave them (or as a cursor holds them)
	 * @return the values
	 */
	static List<FieldValue> values(@Nullable JsonNode array) {
		List<FieldValue> values = new ArrayList<>();
		if (array == null) {
			return values;
		}
		for (JsonNode value : array) {
			if (value.isIntegralNumber()) {
				values.add(FieldValue.of(value.asLong()));
			}
			else if (value.isNumber()) {
				values.add(FieldValue.of(value.asDouble()));
			}
			else if (value.isBoolean()) {
				values.add(FieldValue.of(value.asBoolean()));
			}
			else if (value.isString()) {
				values.add(FieldValue.of(value.asString()));
			}
			else {
				values.add(FieldValue.NULL);
			}
		}
		return values;
	}

}
