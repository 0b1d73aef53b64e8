package org.conversationarchive.ingest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.conversationarchive.conversation.Conversation;
import org.conversationarchive.conversation.Conversation.Artifact;
import org.conversationarchive.conversation.Conversation.Audio;
import org.conversationarchive.conversation.Conversation.Contact;
import org.conversationarchive.conversation.Conversation.Flag;
import org.conversationarchive.conversation.Conversation.FunctionCall;
import org.conversationarchive.conversation.Conversation.Message;
import org.conversationarchive.conversation.Conversation.Ref;
import org.conversationarchive.conversation.Conversation.Sentiment;
import org.conversationarchive.conversation.Direction;
import org.conversationarchive.conversation.Environment;
import org.conversationarchive.conversation.FlagSource;
import org.conversationarchive.conversation.JsonEnum;
import org.conversationarchive.conversation.Platform;
import org.conversationarchive.conversation.SenderType;
import org.conversationarchive.conversation.Status;
import org.conversationarchive.system.Instants;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a conversation line without data binding. Binding the records (a creator call
 * through a method handle per object, a factory call per enum value) was the larger part
 * of what the service spent on a line; this reads the form clients send straight off the
 * parser.
 * <p>
 * It reads only what binding reads the same way: on anything else (a value of another
 * JSON type, an enum or an instant spelt otherwise, a repeated field, a null where
 * binding might refuse it, malformed JSON) it gives up and answers {@code null}, and the
 * line is bound as before, which reads it, or says what is wrong with it, exactly as it
 * always did. Free-form values ({@code data}, function arguments and results, tag values)
 * are read as the same mapper binds them into {@code Object}.
 */
final class FastConversationReader {

	private static final Map<String, Platform> PLATFORMS = values(Platform.values());

	private static final Map<String, Direction> DIRECTIONS = values(Direction.values());

	private static final Map<String, Environment> ENVIRONMENTS = values(Environment.values());

	private static final Map<String, Status> STATUSES = values(Status.values());

	private static final Map<String, SenderType> SENDER_TYPES = values(SenderType.values());

	private static final Map<String, FlagSource> FLAG_SOURCES = values(FlagSource.values());

	/** Free-form values nested deeper than this are bound. */
	private static final int MAX_DEPTH = 100;

	private static final Reader STRING = FastConversationReader::string;

	private static final Reader BOOLEAN = FastConversationReader::bool;

	private static final Reader LONG = FastConversationReader::longValue;

	private static final Reader INT = FastConversationReader::intValue;

	private static final Reader DOUBLE = FastConversationReader::doubleValue;

	private static final Reader INSTANT = FastConversationReader::instant;

	private static final Shape CONTACT = new Shape("id", STRING, "name", STRING, "phone", STRING, "email", STRING);

	private static final Shape REF = new Shape("id", STRING, "name", STRING);

	private static final Shape FLAG = new Shape("reason", STRING, "source",
			(Reader) (parser) -> constant(parser, FLAG_SOURCES));

	private static final Shape SENTIMENT = new Shape("emotion", STRING, "score", DOUBLE);

	private static final Shape AUDIO = new Shape("contentType", STRING, "size", LONG, "durationSeconds", DOUBLE,
			"sha256", STRING);

	private static final Shape ARTIFACT = new Shape("id", STRING, "name", STRING, "contentType", STRING, "size", LONG,
			"messageIndex", INT, "sha256", STRING, "uploadedAt", INSTANT, "url", STRING);

	private final Shape functionShape = new Shape("name", STRING, "arguments", (Reader) this::any, "result",
			(Reader) this::any);

	private final Shape messageShape = new Shape("at", INSTANT, "senderType",
			(Reader) (parser) -> constant(parser, SENDER_TYPES), "senderName", STRING, "channel", STRING, "text",
			STRING, "data", (Reader) this::any, "function", (Reader) this::function);

	private final Shape conversationShape = new Shape("id", STRING, "platform",
			(Reader) (parser) -> constant(parser, PLATFORMS), "pointOfContact", STRING, "contact",
			(Reader) this::contact, "direction", (Reader) (parser) -> constant(parser, DIRECTIONS), "environment",
			(Reader) (parser) -> constant(parser, ENVIRONMENTS), "status",
			(Reader) (parser) -> constant(parser, STATUSES), "flow", (Reader) this::ref, "agent", (Reader) this::ref,
			"liveAgents", (Reader) (parser) -> array(parser, this::ref), "voice", STRING, "startedAt", INSTANT,
			"endedAt", INSTANT, "flagged", BOOLEAN, "flags", (Reader) (parser) -> array(parser, this::flag), "tags",
			(Reader) (parser) -> map(parser, this::any), "parameters", (Reader) (parser) -> map(parser, STRING),
			"sentiment", (Reader) (parser) -> array(parser, this::sentiment), "reason", STRING, "summary", STRING,
			"analysis", STRING, "messages", (Reader) (parser) -> array(parser, this::message), "durationSeconds", LONG,
			"lastMessageAt", INSTANT, "functions", (Reader) (parser) -> array(parser, STRING), "liveAgentHandled",
			BOOLEAN, "contactConversationCount", INT, "audio", (Reader) this::audio, "artifacts",
			(Reader) (parser) -> array(parser, this::artifact));

	private final JsonMapper json;

	private final boolean failOnUnknown;

	/** Binds a free-form value in the middle of a line. */
	private final ObjectReader untyped;

	/**
	 * Whether free-form values are read here: unless the mapper binds numbers or arrays
	 * otherwise.
	 */
	private final boolean plainUntyped;

	FastConversationReader(JsonMapper json) {
		this.json = json;
		this.untyped = json.readerFor(Object.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
		DeserializationConfig config = json.deserializationConfig();
		this.failOnUnknown = config.isEnabled(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
		this.plainUntyped = !config.isEnabled(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
				&& !config.isEnabled(DeserializationFeature.USE_LONG_FOR_INTS)
				&& !config.isEnabled(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
				&& !config.isEnabled(DeserializationFeature.USE_JAVA_ARRAY_FOR_JSON_ARRAY);
	}

	/**
	 * Reads one line.
	 * @param line the line's bytes
	 * @return what binding would read, or {@code null} when this reader cannot tell
	 */
	@Nullable Conversation read(byte[] line) {
		try (JsonParser parser = this.json.createParser(line)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return null;
			}
			Conversation conversation = conversation(parser);
			return (parser.nextToken() == null) ? conversation : null;
		}
		catch (GiveUp | JacksonException ex) {
			return null;
		}
	}

	private Conversation conversation(JsonParser parser) {
		Object[] v = fields(parser, this.conversationShape);
		return new Conversation((String) v[0], (Platform) v[1], (String) v[2], (Contact) v[3], (Direction) v[4],
				(Environment) v[5], (Status) v[6], (Ref) v[7], (Ref) v[8], asList(v[9]), (String) v[10],
				(Instant) v[11], (Instant) v[12], (Boolean) v[13], asList(v[14]), asMap(v[15]), asMap(v[16]),
				asList(v[17]), (String) v[18], (String) v[19], (String) v[20], asList(v[21]), (Long) v[22],
				(Instant) v[23], asList(v[24]), (Boolean) v[25], (Integer) v[26], (Audio) v[27], asList(v[28]));
	}

	private @Nullable Message message(JsonParser parser) {
		Object[] v = object(parser, this.messageShape);
		return (v != null) ? new Message((Instant) v[0], (SenderType) v[1], (String) v[2], (String) v[3], (String) v[4],
				v[5], (FunctionCall) v[6]) : null;
	}

	private @Nullable FunctionCall function(JsonParser parser) {
		Object[] v = object(parser, this.functionShape);
		return (v != null) ? new FunctionCall((String) v[0], v[1], v[2]) : null;
	}

	private @Nullable Contact contact(JsonParser parser) {
		Object[] v = object(parser, CONTACT);
		return (v != null) ? new Contact((String) v[0], (String) v[1], (String) v[2], (String) v[3]) : null;
	}

	private @Nullable Ref ref(JsonParser parser) {
		Object[] v = object(parser, REF);
		return (v != null) ? new Ref((String) v[0], (String) v[1]) : null;
	}

	private @Nullable Flag flag(JsonParser parser) {
		Object[] v = object(parser, FLAG);
		return (v != null) ? new Flag((String) v[0], (FlagSource) v[1]) : null;
	}

	private @Nullable Sentiment sentiment(JsonParser parser) {
		Object[] v = object(parser, SENTIMENT);
		return (v != null) ? new Sentiment((String) v[0], (Double) v[1]) : null;
	}

	private @Nullable Audio audio(JsonParser parser) {
		Object[] v = object(parser, AUDIO);
		return (v != null) ? new Audio((String) v[0], (Long) v[1], (Double) v[2], (String) v[3]) : null;
	}

	private @Nullable Artifact artifact(JsonParser parser) {
		Object[] v = object(parser, ARTIFACT);
		return (v != null) ? new Artifact((String) v[0], (String) v[1], (String) v[2], (Long) v[3], (Integer) v[4],
				(String) v[5], (Instant) v[6], (String) v[7]) : null;
	}

	/**
	 * The values of an object's fields, in the order of its shape; {@code null} for a
	 * JSON null.
	 */
	private Object @Nullable [] object(JsonParser parser, Shape shape) {
		JsonToken token = parser.currentToken();
		if (token == JsonToken.VALUE_NULL) {
			return null;
		}
		if (token != JsonToken.START_OBJECT) {
			throw GiveUp.INSTANCE;
		}
		return fields(parser, shape);
	}

	private Object[] fields(JsonParser parser, Shape shape) {
		Object[] values = new Object[shape.readers.length];
		long seen = 0;
		String name;
		while ((name = parser.nextName()) != null) {
			parser.nextToken();
			Integer field = shape.fields.get(name);
			if (field == null) {
				unknown(parser);
				continue;
			}
			long bit = 1L << field;
			if ((seen & bit) != 0) {
				throw GiveUp.INSTANCE;
			}
			seen |= bit;
			values[field] = shape.readers[field].read(parser);
		}
		return values;
	}

	/**
	 * An object of any keys, each value read by the reader; {@code null} for a JSON null.
	 */
	private static @Nullable Map<String, @Nullable Object> map(JsonParser parser, Reader value) {
		JsonToken token = parser.currentToken();
		if (token == JsonToken.VALUE_NULL) {
			return null;
		}
		if (token != JsonToken.START_OBJECT) {
			throw GiveUp.INSTANCE;
		}
		Map<String, @Nullable Object> map = new LinkedHashMap<>();
		String key;
		while ((key = parser.nextName()) != null) {
			parser.nextToken();
			map.put(key, value.read(parser));
		}
		return map;
	}

	/**
	 * An array, each element read by the reader; {@code null} for a JSON null.
	 */
	private static @Nullable List<@Nullable Object> array(JsonParser parser, Reader element) {
		JsonToken token = parser.currentToken();
		if (token == JsonToken.VALUE_NULL) {
			return null;
		}
		if (token != JsonToken.START_ARRAY) {
			throw GiveUp.INSTANCE;
		}
		List<@Nullable Object> list = new ArrayList<>();
		while (parser.nextToken() != JsonToken.END_ARRAY) {
			list.add(element.read(parser));
		}
		return list;
	}

	@SuppressWarnings("unchecked")
	private static <T> @Nullable List<T> asList(@Nullable Object value) {
		return (List<T>) value;
	}

	@SuppressWarnings("unchecked")
	private static <V> @Nullable Map<String, V> asMap(@Nullable Object value) {
		return (Map<String, V>) value;
	}

	private @Nullable Object any(JsonParser parser) {
		return switch (parser.currentToken()) {
			case VALUE_NULL -> null;
			case VALUE_STRING -> parser.getString();
			case VALUE_TRUE -> Boolean.TRUE;
			case VALUE_FALSE -> Boolean.FALSE;
			default -> this.plainUntyped ? untyped(parser, 0) : this.untyped.readValue(parser);
		};
	}

	/**
	 * A free-form value as binding reads one into {@code Object} (maps in their order,
	 * the later of two equal keys winning, lists, integers as the smallest of int, long
	 * and BigInteger that holds them, other numbers as doubles): binding each value took
	 * a context of its own.
	 */
	private @Nullable Object untyped(JsonParser parser, int depth) {
		JsonToken token = parser.currentToken();
		if (depth > MAX_DEPTH && (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY)) {
			return this.untyped.readValue(parser);
		}
		return switch (token) {
			case VALUE_NULL -> null;
			case VALUE_STRING -> parser.getString();
			case VALUE_TRUE -> Boolean.TRUE;
			case VALUE_FALSE -> Boolean.FALSE;
			case VALUE_NUMBER_INT -> parser.getNumberValue();
			case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
			case START_OBJECT -> {
				Map<String, @Nullable Object> map = new LinkedHashMap<>();
				String key;
				while ((key = parser.nextName()) != null) {
					parser.nextToken();
					map.put(key, untyped(parser, depth + 1));
				}
				yield map;
			}
			case START_ARRAY -> {
				List<@Nullable Object> list = new ArrayList<>();
				while (parser.nextToken() != JsonToken.END_ARRAY) {
					list.add(untyped(parser, depth + 1));
				}
				yield list;
			}
			default -> this.untyped.readValue(parser);
		};
	}

	private void unknown(JsonParser parser) {
		if (this.failOnUnknown) {
			throw GiveUp.INSTANCE;
		}
		parser.skipChildren();
	}

	private static @Nullable String string(JsonParser parser) {
		return switch (parser.currentToken()) {
			case VALUE_STRING -> parser.getString();
			case VALUE_NULL -> null;
			default -> throw GiveUp.INSTANCE;
		};
	}

	private static @Nullable Boolean bool(JsonParser parser) {
		return switch (parser.currentToken()) {
			case VALUE_TRUE -> Boolean.TRUE;
			case VALUE_FALSE -> Boolean.FALSE;
			case VALUE_NULL -> null;
			default -> throw GiveUp.INSTANCE;
		};
	}

	private static @Nullable Long longValue(JsonParser parser) {
		return switch (parser.currentToken()) {
			case VALUE_NUMBER_INT -> integral(parser, JsonParser.NumberType.LONG) ? parser.getLongValue() : giveUp();
			case VALUE_NULL -> null;
			default -> throw GiveUp.INSTANCE;
		};
	}

	private static @Nullable Integer intValue(JsonParser parser) {
		return switch (parser.currentToken()) {
			case VALUE_NUMBER_INT -> integral(parser, JsonParser.NumberType.INT) ? parser.getIntValue() : giveUp();
			case VALUE_NULL -> null;
			default -> throw GiveUp.INSTANCE;
		};
	}

	private static boolean integral(JsonParser parser, JsonParser.NumberType widest) {
		JsonParser.NumberType type = parser.getNumberType();
		return type == JsonParser.NumberType.INT || type == widest;
	}

	private static @Nullable Double doubleValue(JsonParser parser) {
		return switch (parser.currentToken()) {
			case VALUE_NUMBER_FLOAT, VALUE_NUMBER_INT -> parser.getDoubleValue();
			case VALUE_NULL -> null;
			default -> throw GiveUp.INSTANCE;
		};
	}

	private static @Nullable Instant instant(JsonParser parser) {
		return switch (parser.currentToken()) {
			case VALUE_STRING -> {
				Instant instant = Instants.parse(parser.getString());
				if (instant == null) {
					throw GiveUp.INSTANCE;
				}
				yield instant;
			}
			case VALUE_NULL -> null;
			default -> throw GiveUp.INSTANCE;
		};
	}

	/**
	 * A constant in its JSON spelling; anything else (another case, spaces, null) is left
	 * to the enum's own factory.
	 */
	private static <E> E constant(JsonParser parser, Map<String, E> constants) {
		if (parser.currentToken() != JsonToken.VALUE_STRING) {
			throw GiveUp.INSTANCE;
		}
		E constant = constants.get(parser.getString());
		if (constant == null) {
			throw GiveUp.INSTANCE;
		}
		return constant;
	}

	private static <T> T giveUp() {
		throw GiveUp.INSTANCE;
	}

	private static <E extends Enum<E>> Map<String, E> values(E[] constants) {
		Map<String, E> values = new HashMap<>();
		for (E constant : constants) {
			values.put(JsonEnum.json(constant), constant);
		}
		return Map.copyOf(values);
	}

	/**
	 * Reads the value the parser is at, or gives up.
	 */
	@FunctionalInterface
	private interface Reader {

		@Nullable Object read(JsonParser parser);

	}

	/**
	 * The fields of an object, in the order of its record's components, and how each
	 * value is read.
	 */
	private static final class Shape {

		private final Map<String, Integer> fields = new HashMap<>();

		private final Reader[] readers;

		Shape(Object... namesAndReaders) {
			this.readers = new Reader[namesAndReaders.length / 2];
			for (int i = 0; i < this.readers.length; i++) {
				this.fields.put((String) namesAndReaders[2 * i], i);
				this.readers[i] = (Reader) namesAndReaders[2 * i + 1];
			}
		}

	}

	/**
	 * This reader cannot tell what binding would make of the line.
	 */
	private static final class GiveUp extends RuntimeException {

		static final GiveUp INSTANCE = new GiveUp();

		private GiveUp() {
			super(null, null, false, false);
		}

	}

}
