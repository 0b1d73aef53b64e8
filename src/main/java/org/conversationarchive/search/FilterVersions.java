package org.conversationarchive.search;

import java.util.List;
import java.util.function.UnaryOperator;

import org.conversationarchive.system.InvalidInputException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Stored filters outlive the filter model: views (and later exports and schedules) keep
 * the JSON form of a {@link Filter} with the {@link #FILTER_VERSION} it was written in.
 * When the model changes incompatibly, the version goes up by one and a step is added
 * here that rewrites the JSON of the previous version into the next; a stored filter is
 * brought up to date by the steps after its version each time it is read, and written in
 * the current version when it is next saved.
 */
public final class FilterVersions {

	/**
	 * The version of the filter model this code reads and writes.
	 */
	public static final int FILTER_VERSION = 1;

	/**
	 * Step {@code i} turns version {@code i} into version {@code i + 1}.
	 */
	private static final List<UnaryOperator<ObjectNode>> STEPS = List.of(FilterVersions::queryStringSpellings);

	static {
		if (STEPS.size() != FILTER_VERSION) {
			throw new IllegalStateException("FILTER_VERSION " + FILTER_VERSION + " needs " + FILTER_VERSION
					+ " migration steps, there are " + STEPS.size());
		}
	}

	private FilterVersions() {
	}

	/**
	 * Reads a stored filter, migrated from its version to the current one.
	 * @param json the mapper
	 * @param stored the filter's JSON as stored
	 * @param version the version it was stored in (absent: 0)
	 * @return the filter, validated
	 * @throws IllegalStateException when it cannot be read: written by a newer version of
	 * the service, or damaged
	 */
	public static Filter read(JsonMapper json, JsonNode stored, int version) {
		if (version > FILTER_VERSION) {
			throw new IllegalStateException("a stored filter has version " + version + ", newer than this service's "
					+ FILTER_VERSION + "; run the newer version of the service");
		}
		if (!stored.isObject()) {
			throw new IllegalStateException("a stored filter is not a JSON object: " + stored);
		}
		try {
			ObjectNode filter = migrate(((ObjectNode) stored).deepCopy(), version);
			Filter read = Filter.strictReader(json).readValue(filter);
			return ((read != null) ? read : Filter.ALL).validated();
		}
		catch (JacksonException | InvalidInputException | IllegalArgumentException ex) {
			throw new IllegalStateException("a stored filter (version " + version
					+ ") does not read in the filter model (version " + FILTER_VERSION + "): "
					+ ((ex instanceof JacksonException jackson) ? jackson.getOriginalMessage() : ex.getMessage()), ex);
		}
	}

	/**
	 * Applies the steps from a version up to the current one.
	 * @param filter the filter's JSON (changed in place)
	 * @param version its version
	 * @return the filter's JSON in the current version
	 */
	static ObjectNode migrate(ObjectNode filter, int version) {
		ObjectNode migrated = filter;
		for (int step = Math.max(version, 0); step < FILTER_VERSION; step++) {
			migrated = STEPS.get(step).apply(migrated);
		}
		return migrated;
	}

	/**
	 * Version 0 spelt three filters as the query string does: {@code "env":
	 * "production"}, {@code "tag": "key:value"} and {@code "tagMatch": "any"}, each a
	 * value or an array of values; version 1 has {@code environments} and {@code tags:
	 * {match, pairs: [{key, value}]}}.
	 */
	static ObjectNode queryStringSpellings(ObjectNode filter) {
		JsonNode env = filter.remove("env");
		if (env != null && !env.isNull()) {
			ArrayNode environments = array(filter, "environments");
			values(env).forEach(environments::add);
		}
		JsonNode tag = filter.remove("tag");
		JsonNode tagMatch = filter.remove("tagMatch");
		if ((tag != null && !tag.isNull()) || (tagMatch != null && !tagMatch.isNull())) {
			ObjectNode tags = (filter.get("tags") instanceof ObjectNode existing) ? existing : filter.putObject("tags");
			if (tagMatch != null && !tagMatch.isNull()) {
				tags.put("match", tagMatch.asString());
			}
			if (tag != null && !tag.isNull()) {
				ArrayNode pairs = array(tags, "pairs");
				for (String pair : values(tag)) {
					int colon = pair.indexOf(':');
					if (colon <= 0) {
						throw new IllegalArgumentException("tag '" + pair + "' is not key:value");
					}
					pairs.addObject()
						.put("key", pair.substring(0, colon).trim())
						.put("value", pair.substring(colon + 1).trim());
				}
			}
		}
		return filter;
	}

	private static ArrayNode array(ObjectNode parent, String name) {
		return (parent.get(name) instanceof ArrayNode existing) ? existing : parent.putArray(name);
	}

	private static List<String> values(JsonNode node) {
		if (node.isArray()) {
			List<String> values = new java.util.ArrayList<>();
			node.forEach((value) -> values.add(value.asString()));
			return values;
		}
		return List.of(node.asString());
	}

}
