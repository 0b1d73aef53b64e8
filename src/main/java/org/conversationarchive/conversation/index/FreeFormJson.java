package org.conversationarchive.conversation.index;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes free-form values (tags, parameters, message data, function arguments and
 * results: what binding makes of any JSON, maps, lists, strings, numbers, booleans and
 * nulls) straight on the generator, the same JSON as the mapper writes, without a
 * serializer look-up per value and per map key (see bench/README.md). A value of any
 * other type, and every value when the mapper is configured to write these otherwise
 * (sorted map entries, nulls or empty values left out of maps), goes through the mapper.
 */
public final class FreeFormJson {

	/** Deeper than this, values go through the mapper (as would a cycle). */
	private static final int MAX_DEPTH = 100;

	private final JsonMapper json;

	/** Whether the plain types are written here, as the mapper writes them. */
	private final boolean plain;

	/** Whether the mapper writes map entries whose value is null. */
	private final boolean nullEntries;

	public FreeFormJson(JsonMapper json) {
		this.json = json;
		Map<String, @Nullable Object> probe = new LinkedHashMap<>();
		probe.put("n", null);
		probe.put("l", List.of());
		probe.put("m", Map.of());
		probe.put("s", "");
		probe.put("v", new ArrayList<>(Arrays.asList(1, 2L, 0.5, true, null)));
		// Entries in insertion order, as given (sorted ones would not match).
		String written = json.writeValueAsString(probe);
		this.nullEntries = written.equals("{\"n\":null,\"l\":[],\"m\":{},\"s\":\"\",\"v\":[1,2,0.5,true,null]}");
		this.plain = this.nullEntries || written.equals("{\"l\":[],\"m\":{},\"s\":\"\",\"v\":[1,2,0.5,true,null]}");
	}

	/**
	 * Writes a value.
	 * @param out the generator
	 * @param value the value, not null
	 */
	void write(JsonGenerator out, Object value) {
		write(out, value, 0);
	}

	/**
	 * A value's compact JSON, as {@link JsonMapper#writeValueAsString} writes it.
	 * @param value the value, not null
	 * @return its JSON
	 */
	public String string(Object value) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
		try (JsonGenerator out = this.json.createGenerator(bytes)) {
			write(out, value);
		}
		return bytes.toString(StandardCharsets.UTF_8);
	}

	private void write(JsonGenerator out, @Nullable Object value, int depth) {
		if (value == null) {
			out.writeNull();
		}
		else if (value instanceof String string) {
			out.writeString(string);
		}
		else if (!this.plain || depth > MAX_DEPTH) {
			out.writePOJO(value);
		}
		else if (value instanceof Boolean bool) {
			out.writeBoolean(bool);
		}
		else if (value instanceof Integer number) {
			out.writeNumber(number);
		}
		else if (value instanceof Long number) {
			out.writeNumber(number);
		}
		else if (value instanceof Double number) {
			out.writeNumber(number);
		}
		else if (value instanceof Map<?, ?> map && stringKeys(map)) {
			out.writeStartObject();
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				if (entry.getValue() != null || this.nullEntries) {
					out.writeName((String) entry.getKey());
					write(out, entry.getValue(), depth + 1);
				}
			}
			out.writeEndObject();
		}
		else if (value instanceof List<?> list) {
			out.writeStartArray();
			for (Object element : list) {
				write(out, element, depth + 1);
			}
			out.writeEndArray();
		}
		else {
			out.writePOJO(value);
		}
	}

	private static boolean stringKeys(Map<?, ?> map) {
		for (Object key : map.keySet()) {
			if (!(key instanceof String)) {
				return false;
			}
		}
		return true;
	}

}
