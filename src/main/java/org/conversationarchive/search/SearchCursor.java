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
 * Where a page starts: the sort values of the row next to it (for {@code search_after}),
 * which way from that row, how many rows come before the page, and a fingerprint of the
 * search, so a cursor cannot be replayed on another one. A next page's cursor holds the
 * last row of the page before it ({@code after}); a previous page's the first row of the
 * page after it ({@code before}), the page being the rows just before that one; the first
 * page's holds neither. It holds no point in time: its length does not grow with the
 * indices, it never expires, and nothing is kept open for it between pages (see
 * {@code docs/architecture.md}).
 *
 * @param values the row's sort values, its sort key then its id; none for the first page
 * @param backward whether the page is the rows before that row rather than after it
 * @param offset how many rows come before the page
 * @param search fingerprint of the filter and sort
 */
record SearchCursor(List<FieldValue> values, boolean backward, long offset, String search) {

	/**
	 * The longest cursor read: far above one this archive gives out (a conversation id is
	 * at most a few hundred characters), far below what a URL can take.
	 */
	static final int MAX_LENGTH = 4096;

	private static final String NOT_OURS = "parameter cursor: not a cursor this archive gave out; "
			+ "pass the nextCursor or previousCursor of a page as it is";

	private static final Set<String> FIELDS = Set.of("after", "before", "offset", "search");

	/**
	 * The cursor of the rows after a row.
	 * @param last the row's sort values
	 * @param offset how many rows come before the page
	 * @param search the search's fingerprint
	 * @return the cursor
	 */
	static SearchCursor after(List<FieldValue> last, long offset, String search) {
		return new SearchCursor(last, false, offset, search);
	}

	/**
	 * The cursor of the rows before a row.
	 * @param first the row's sort values
	 * @param offset how many rows come before the page
	 * @param search the search's fingerprint
	 * @return the cursor
	 */
	static SearchCursor before(List<FieldValue> first, long offset, String search) {
		return new SearchCursor(first, true, offset, search);
	}

	/**
	 * The cursor of the first page: the same page as none.
	 * @param search the search's fingerprint
	 * @return the cursor
	 */
	static SearchCursor first(String search) {
		return new SearchCursor(List.of(), false, 0, search);
	}

	/**
	 * Whether this is the first page's cursor.
	 * @return {@code true} when it holds no row
	 */
	boolean firstPage() {
		return this.values.isEmpty();
	}

	String encode(JsonMapper json) {
		ObjectNode node = json.createObjectNode();
		if (!firstPage()) {
			ArrayNode values = node.putArray(this.backward ? "before" : "after");
			for (FieldValue value : this.values) {
				switch (value._kind()) {
					case Long -> values.add(value.longValue());
					case Double -> values.add(value.doubleValue());
					case Boolean -> values.add(value.booleanValue());
					case String -> values.add(value.stringValue());
					default -> values.addNull();
				}
			}
		}
		node.put("offset", this.offset);
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
		if (node == null || !node.isObject() || !node.path("search").isString()) {
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
		if (node.has("after") && node.has("before")) {
			throw new InvalidInputException(NOT_OURS);
		}
		boolean backward = node.has("before");
		JsonNode row = backward ? node.get("before") : node.get("after");
		// One value of the sort key, then the conversation id: nothing else reaches
		// Elasticsearch.
		if (row != null && (!row.isArray() || row.size() != 2 || !sortKey(row.get(0), sort) || !row.get(1).isString()
				|| row.get(1).asString().isEmpty())) {
			throw new InvalidInputException(NOT_OURS);
		}
		JsonNode offset = node.get("offset");
		if (offset == null && row != null && !backward) {
			throw new InvalidInputException("parameter cursor: a cursor of an earlier version, without the page's "
					+ "position; start again from the first page");
		}
		if (offset == null || !offset.isIntegralNumber() || !offset.canConvertToLong()) {
			throw new InvalidInputException(NOT_OURS);
		}
		// The first page has no row before it, every other page at least one.
		long before = offset.asLong();
		if ((row != null) ? before < 1 : before != 0) {
			throw new InvalidInputException(NOT_OURS);
		}
		return new SearchCursor(values(row), backward, before, search);
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
