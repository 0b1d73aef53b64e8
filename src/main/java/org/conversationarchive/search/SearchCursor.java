package org.conversationarchive.search;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import co.elastic.clients.elasticsearch._types.FieldValue;
import org.conversationarchive.system.InvalidInputException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Where the next page starts: the sort values of the last row (for {@code search_after}),
 * the point in time that keeps the pages one consistent snapshot, and a fingerprint of
 * the search, so a cursor cannot be replayed on another one.
 *
 * @param pit the point-in-time id, once one is open
 * @param after the last row's sort values
 * @param search fingerprint of the filter and sort
 */
record SearchCursor(@Nullable String pit, List<FieldValue> after, String search) {

	String encode(JsonMapper json) {
		ObjectNode node = json.createObjectNode();
		if (this.pit != null) {
			node.put("pit", this.pit);
		}
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

	static SearchCursor decode(String text, String search, JsonMapper json) {
		JsonNode node;
		try {
			node = json.readTree(Base64.getUrlDecoder().decode(text.trim()));
		}
		catch (IllegalArgumentException | JacksonException ex) {
			throw new InvalidInputException("parameter cursor: not a cursor this archive gave out");
		}
		if (!node.path("after").isArray() || !node.path("search").isString()) {
			throw new InvalidInputException("parameter cursor: not a cursor this archive gave out");
		}
		if (!node.path("search").asString().equals(search)) {
			throw new InvalidInputException(
					"parameter cursor: it belongs to another search; keep the filters and sort of the first page");
		}
		List<FieldValue> after = values(node.path("after"));
		String pit = node.path("pit").isString() ? node.path("pit").asString() : null;
		return new SearchCursor(pit, after, search);
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
