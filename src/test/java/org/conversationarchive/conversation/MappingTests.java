package org.conversationarchive.conversation;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conversations' mapping ({@code dynamic: strict}) has every field the index document
 * declares, nested records' fields included, and no field the document lacks: a field
 * added to the record and not to the mapping would fail every write that fills it.
 */
class MappingTests {

	@Test
	void theMappingHasEveryFieldOfTheDocumentAndNoOther() throws IOException {
		JsonNode mappings;
		try (InputStream in = getClass()
			.getResourceAsStream("/index-templates/component/conversations-mappings.json")) {
			mappings = JsonMapper.builder().build().readTree(in).path("template").path("mappings");
		}
		assertThat(mappings.path("dynamic").asString()).isEqualTo("strict");
		List<String> missing = new ArrayList<>();
		List<String> extra = new ArrayList<>();
		compare(ConversationDocument.class, mappings.path("properties"), "", missing, extra);
		assertThat(missing).as("fields without a mapping").isEmpty();
		assertThat(extra).as("mapped fields no record declares").isEmpty();
	}

	private static void compare(Class<?> record, JsonNode properties, String path, List<String> missing,
			List<String> extra) {
		List<String> declared = new ArrayList<>();
		for (RecordComponent component : record.getRecordComponents()) {
			String name = component.getName();
			declared.add(name);
			JsonNode mapping = properties.path(name);
			// Never stored: where the API serves an artifact depends on the instance.
			if (record == Conversation.Artifact.class && name.equals("url")) {
				continue;
			}
			if (mapping.isMissingNode()) {
				missing.add(path + name);
				continue;
			}
			Class<?> nested = recordOf(component.getGenericType());
			if (nested != null && mapping.has("properties")) {
				compare(nested, mapping.path("properties"), path + name + ".", missing, extra);
			}
		}
		properties.propertyNames().forEach((name) -> {
			if (!declared.contains(name)) {
				extra.add(path + name);
			}
		});
	}

	private static Class<?> recordOf(Type type) {
		if (type instanceof Class<?> raw && raw.isRecord()) {
			return raw;
		}
		if (type instanceof ParameterizedType parameterized && parameterized.getRawType() == List.class) {
			return recordOf(parameterized.getActualTypeArguments()[0]);
		}
		return null;
	}

}
