package org.conversationarchive.conversation.index;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.conversationarchive.conversation.Conversation;
import org.conversationarchive.conversation.ConversationDocument;
import org.conversationarchive.system.JsonCoercion;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The codec reads and writes every field the records declare, not only those the
 * generator happens to fill: a record with every field set (every nested record too) is
 * read and written exactly as binding reads and writes it.
 */
class EveryFieldTests {

	private static final JsonMapper JSON = JsonCoercion.refuse(JsonMapper.builder())
		.addModule(new SimpleModule("instants").addDeserializer(Instant.class, new Instants()))
		.changeDefaultPropertyInclusion((inclusion) -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
		.build();

	@Test
	void theFillerSetsEveryField() {
		assertEveryFieldSet(filled(Conversation.class));
		assertEveryFieldSet(filled(ConversationDocument.class));
	}

	@Test
	void readsAConversationWithEveryFieldAsBindingDoes() {
		Conversation conversation = filled(Conversation.class);
		byte[] line = JSON.writeValueAsBytes(conversation);
		Conversation read = new FastConversationReader(JSON).read(line);
		assertThat(read).isNotNull().isEqualTo(JSON.readValue(line, Conversation.class)).isEqualTo(conversation);
	}

	@Test
	void writesADocumentWithEveryFieldAsBindingDoes() {
		ConversationDocument document = filled(ConversationDocument.class);
		byte[] written = new DocumentJson(JSON).bytes(document);
		assertThat(new String(written, java.nio.charset.StandardCharsets.UTF_8))
			.isEqualTo(JSON.writeValueAsString(document));
		assertThat(JSON.readValue(written, ConversationDocument.class)).isEqualTo(document);
	}

	/**
	 * A record with every component set, each nested record likewise.
	 */
	static <R extends Record> R filled(Class<R> type) {
		try {
			RecordComponent[] components = type.getRecordComponents();
			Object[] values = new Object[components.length];
			Class<?>[] types = new Class<?>[components.length];
			for (int i = 0; i < components.length; i++) {
				values[i] = value(components[i].getGenericType(), components[i].getName());
				types[i] = components[i].getType();
			}
			return type.getDeclaredConstructor(types).newInstance(values);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Object value(Type type, String name) {
		if (type instanceof Class<?> raw) {
			if (raw == String.class) {
				return name + " \"é\" \ud83d\ude00";
			}
			if (raw == Instant.class) {
				return Instant.parse("2025-03-04T05:06:07.123456789Z").plusSeconds(name.length());
			}
			if (raw == Boolean.class) {
				return Boolean.TRUE;
			}
			if (raw == Long.class) {
				return 12_345_678_901L + name.length();
			}
			if (raw == Integer.class) {
				return 40 + name.length();
			}
			if (raw == Double.class) {
				return 0.25 + name.length();
			}
			if (raw == Object.class) {
				Map<String, Object> any = new LinkedHashMap<>();
				any.put("list", new ArrayList<>(List.of("a", 1, 2.5, false)));
				any.put("nested", new LinkedHashMap<>(Map.of("n", 12_345_678_901L)));
				return any;
			}
			if (raw.isEnum()) {
				Object[] constants = raw.getEnumConstants();
				return constants[name.length() % constants.length];
			}
			if (raw.isRecord()) {
				return filled(raw.asSubclass(Record.class));
			}
		}
		if (type instanceof ParameterizedType parameterized) {
			Type[] arguments = parameterized.getActualTypeArguments();
			if (parameterized.getRawType() == List.class) {
				return new ArrayList<>(List.of(value(arguments[0], name), value(arguments[0], name + "2")));
			}
			if (parameterized.getRawType() == Map.class) {
				Map<String, Object> map = new LinkedHashMap<>();
				map.put(name + " key", value(arguments[1], name));
				map.put("second", value(arguments[1], name + "2"));
				return map;
			}
		}
		throw new IllegalStateException("no value for " + type + " (" + name + "): teach the filler this type");
	}

	private static void assertEveryFieldSet(Object value) {
		if (value instanceof Record record) {
			for (RecordComponent component : record.getClass().getRecordComponents()) {
				try {
					Object field = component.getAccessor().invoke(record);
					assertThat(field).as(record.getClass().getSimpleName() + "." + component.getName()).isNotNull();
					assertEveryFieldSet(field);
				}
				catch (ReflectiveOperationException ex) {
					throw new IllegalStateException(ex);
				}
			}
		}
		else if (value instanceof List<?> list) {
			list.forEach(EveryFieldTests::assertEveryFieldSet);
		}
	}

}
