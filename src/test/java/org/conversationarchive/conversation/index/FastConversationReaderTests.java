package org.conversationarchive.conversation.index;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.conversationarchive.conversation.Conversation;
import org.conversationarchive.generator.ConversationGenerator;
import org.conversationarchive.system.JsonCoercion;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The fast reader reads a line exactly as binding does, or leaves it to binding.
 */
class FastConversationReaderTests {

	private static final JsonMapper JSON = mapper(false);

	private final FastConversationReader reader = new FastConversationReader(JSON);

	@Test
	void readsEveryGeneratedConversationAsBindingDoes() {
		JsonMapper writer = JsonMapper.builder()
			.changeDefaultPropertyInclusion((inclusion) -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
			.build();
		new ConversationGenerator(11, ConversationGenerator.Options.of(3000)).stream().forEach((generated) -> {
			byte[] line = writer.writeValueAsBytes(generated);
			Conversation read = this.reader.read(line);
			assertThat(read).as(generated.id()).isNotNull().isEqualTo(JSON.readValue(line, Conversation.class));
		});
	}

	@Test
	void readsUnusualButPlainFormsAsBindingDoes() {
		List<String> lines = List.of("{\"id\":\"a\",\"platform\":\"voice\",\"startedAt\":\"2025-01-01T00:00:00Z\"}",
				"{\"id\":\"a\",\"platform\":\"web\",\"startedAt\":\"2025-01-01T02:00:00.123456+02:00\",\"contact\":null,"
						+ "\"messages\":null,\"tags\":null,\"flow\":null,\"liveAgents\":[null,{\"id\":\"l\"}],"
						+ "\"parameters\":{\"k\":null,\"j\":\"v\"},\"flagged\":false,\"functions\":[\"f\",null]}",
				"{\"extra\":{\"x\":[1,2,{\"y\":null}]},\"id\":\"a\",\"platform\":\"sms\",\"startedAt\":\"2025-01-01T00:00:00Z\","
						+ "\"messages\":[{\"at\":\"2025-01-01T00:00:01Z\",\"senderType\":\"user\",\"unknown\":true,"
						+ "\"text\":\"caf\\u00e9 \\ud83d\\ude00 \\\"quoted\\\"\",\"data\":{\"n\":1,\"big\":12345678901234,"
						+ "\"huge\":123456789012345678901234567890,\"f\":1.5,\"e\":1e400,\"b\":true,\"s\":\"x\","
						+ "\"a\":[1,\"a\",null,[]],\"o\":{}}},null,{\"function\":{\"name\":\"lookup\",\"arguments\":[1,2.5],"
						+ "\"result\":7}}]}",
				"{\"id\":\"a\",\"platform\":\"email\",\"startedAt\":\"2025-01-01T00:00:00Z\",\"tags\":{\"a\":\"x\",\"a\":\"y\","
						+ "\"l\":[\"p\",\"q\"],\"n\":3,\"z\":null},\"sentiment\":[{\"emotion\":\"joy\",\"score\":1},"
						+ "{\"emotion\":\"anger\",\"score\":0.25}],\"flags\":[{\"reason\":\"r\",\"source\":\"review_agent\"}],"
						+ "\"audio\":{\"contentType\":\"audio/mpeg\",\"size\":12,\"durationSeconds\":3},"
						+ "\"artifacts\":[{\"id\":\"x\",\"size\":5,\"messageIndex\":2,\"uploadedAt\":\"2025-01-01T00:00:00Z\"}],"
						+ "\"durationSeconds\":4102444800,\"contactConversationCount\":3,\"liveAgentHandled\":true,"
						+ "\"lastMessageAt\":\"2025-01-01T00:00:00Z\"}",
				"{}");
		for (String text : lines) {
			byte[] line = text.getBytes(StandardCharsets.UTF_8);
			assertThat(this.reader.read(line)).as(text).isNotNull().isEqualTo(JSON.readValue(line, Conversation.class));
		}
	}

	@Test
	void readsFreeFormValuesAsBindingDoes() {
		String deep = "[".repeat(150) + "1" + "]".repeat(150);
		String values = "{\"ints\":[0,-0,2147483647,2147483648,-2147483649,9223372036854775807,9223372036854775808,"
				+ "-9223372036854775809],\"floats\":[0.0,-0.0,1.0,1E2,-1.5e-10,0.1,1e400,-1e400,4.9e-325],"
				+ "\"nested\":{\"a\":{\"b\":1,\"b\":{\"c\":[{}]}},\"a\":[null,true,false,\"s\"]},"
				+ "\"empty\":[[],{}],\"deep\":" + deep + "}";
		String text = "{\"id\":\"a\",\"platform\":\"web\",\"startedAt\":\"2025-01-01T00:00:00Z\",\"messages\":["
				+ "{\"data\":" + values + ",\"function\":{\"arguments\":" + values + ",\"result\":[" + values
				+ ",12,1.5]}}],\"tags\":{\"t\":" + values + ",\"n\":7,\"f\":2.5}}";
		byte[] line = text.getBytes(StandardCharsets.UTF_8);
		assertThat(this.reader.read(line)).isNotNull().isEqualTo(JSON.readValue(line, Conversation.class));
		for (DeserializationFeature feature : List.of(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS,
				DeserializationFeature.USE_BIG_INTEGER_FOR_INTS, DeserializationFeature.USE_LONG_FOR_INTS,
				DeserializationFeature.USE_JAVA_ARRAY_FOR_JSON_ARRAY)) {
			JsonMapper other = mapper(false).rebuild().enable(feature).build();
			Conversation read = new FastConversationReader(other).read(line);
			if (feature == DeserializationFeature.USE_LONG_FOR_INTS) {
				// Binding refuses an integer beyond a long then: so does the reader.
				assertThatExceptionOfType(JacksonException.class)
					.isThrownBy(() -> other.readValue(line, Conversation.class));
				assertThat(read).isNull();
				continue;
			}
			Conversation bound = other.readValue(line, Conversation.class);
			// Java arrays compare by identity: compare what they hold.
			assertThat(read).as(feature.name()).isNotNull().usingRecursiveComparison().isEqualTo(bound);
		}
	}

	@Test
	void leavesEverythingElseToBinding() {
		List<String> lines = List.of("{\"id\":\"a\",\"platform\":\"VOICE\"}", "{\"id\":\"a\",\"platform\":\" voice\"}",
				"{\"id\":\"a\",\"platform\":null}", "{\"id\":\"a\",\"platform\":\"fax\"}",
				"{\"startedAt\":\"2025-01-01\"}", "{\"startedAt\":1700000000}",
				"{\"startedAt\":\"2025-13-01T00:00:00Z\"}", "{\"id\":5}", "{\"id\":\"a\",\"id\":\"b\"}",
				"{\"flagged\":\"true\"}", "{\"contactConversationCount\":1.5}",
				"{\"contactConversationCount\":12345678901}", "{\"durationSeconds\":99999999999999999999}",
				"{\"contact\":\"c\"}", "{\"messages\":{}}", "{\"flags\":[{\"source\":\"agent\"}]}",
				"{\"messages\":[{\"senderType\":\"USER\"}]}", "{\"parameters\":{\"k\":1}}", "null", "[1]",
				"{\"id\":\"a\"} {\"id\":\"b\"}", "{\"id\":", "{\"id\":\"a\"", "");
		for (String text : lines) {
			assertThat(this.reader.read(text.getBytes(StandardCharsets.UTF_8))).as(text).isNull();
		}
	}

	@Test
	void whatBindingRefusesToCoerceIsLeftToBindingToRefuse() {
		// A value of another JSON type than its field's is never turned into it.
		List<String> lines = List.of("{\"id\":123}", "{\"id\":1.5}", "{\"id\":true}", "{\"parameters\":{\"a\":1}}",
				"{\"parameters\":{\"a\":false}}", "{\"flagged\":\"true\"}", "{\"flagged\":1}",
				"{\"liveAgentHandled\":\"false\"}", "{\"contactConversationCount\":\"3\"}",
				"{\"contactConversationCount\":2.0}", "{\"durationSeconds\":\"60\"}", "{\"durationSeconds\":\"\"}",
				"{\"sentiment\":[{\"score\":\"0.5\"}]}", "{\"functions\":[1]}", "{\"startedAt\":1700000000}",
				"{\"messages\":[{\"at\":1700000000.5}]}", "{\"messages\":[{\"at\":\"\"}]}",
				"{\"artifacts\":[{\"messageIndex\":\"1\"}]}", "{\"contact\":{\"id\":42}}");
		for (String text : lines) {
			byte[] line = text.getBytes(StandardCharsets.UTF_8);
			assertThat(this.reader.read(line)).as(text).isNull();
			assertThatExceptionOfType(JacksonException.class).as(text)
				.isThrownBy(() -> JSON.readValue(line, Conversation.class));
		}
	}

	@Test
	void leavesUnknownFieldsToBindingWhenBindingRefusesThem() {
		FastConversationReader strict = new FastConversationReader(mapper(true));
		byte[] known = "{\"id\":\"a\"}".getBytes(StandardCharsets.UTF_8);
		byte[] unknown = "{\"id\":\"a\",\"extra\":1}".getBytes(StandardCharsets.UTF_8);
		assertThat(strict.read(known)).isNotNull();
		assertThat(strict.read(unknown)).isNull();
		assertThat(this.reader.read(unknown)).isEqualTo(JSON.readValue(unknown, Conversation.class));
	}

	/**
	 * The application's mapper: instants read as it reads them, no coercion.
	 */
	private static JsonMapper mapper(boolean failOnUnknown) {
		return JsonCoercion.refuse(JsonMapper.builder())
			.addModule(new SimpleModule("instants").addDeserializer(Instant.class, new Instants()))
			.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, failOnUnknown)
			.build();
	}

}
