package org.conversationarchive.conversation.index;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.conversationarchive.conversation.Conversation;
import org.conversationarchive.conversation.JsonEnum;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a conversation line straight off the parser, without data binding, which costs
 * most of the service's time on a line (see docs/architecture.md).
 * <p>
 * It reads only what binding reads the same way: on anything else (a value of another
 * JSON type, an enum or an instant spelt otherwise, a repeated field, a null where
 * binding might refuse it, malformed JSON) it answers {@code null}, and the line is
 * bound, which reads it or says what is wrong with it. Free-form values ({@code data},
 * function arguments and results, tag values) are read as the same mapper binds them into
 * {@code Object}.
 */
public final class FastConversationReader {

	/** Free-form values nested deeper than this are bound. */
	private static final int MAX_DEPTH = 100;

	private static final Reader STRING = FastConversationReader::string;

	private static final Reader BOOLEAN = FastConversationReader::bool;

	private static final Reader LONG = FastConversationReader::longValue;

	private static final Reader INT = FastConversationReader::intValue;

	private static final Reader DOUBLE = FastConversationReader::doubleValue;

	private static final Reader INSTANT = FastConversationReader::instant;

	private final Shape conversationShape;

	private final JsonMapper json;

	private final boolean failOnUnknown;

	/** Binds a free-form value in the middle of a line. */
	private final ObjectReader untyped;

	/**
	 * Whether free-form values are read here: unless the mapper binds numbers or arrays
	 * otherwise.
	 */
	private final boolean plainUntyped;

	public FastConversationReader(JsonMapper json) {
		this.json = json;
		this.untyped = json.readerFor(Object.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
		DeserializationConfig config = json.deserializationConfig();
		this.failOnUnknown = config.isEnabled(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
		this.plainUntyped = !config.isEnabled(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
				&& !config.isEnabled(DeserializationFeature.USE_LONG_FOR_INTS)
				&& !config.isEnabled(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
				&& !config.isEnabled(DeserializationFeature.USE_JAVA_ARRAY_FOR_JSON_ARRAY);
		this.conversationShape = shape(RecordShape.of(Conversation.class), new HashMap<>());
	}

	/**
	 * Reads one line.
	 * @param line the line's bytes
	 * @return what binding would read, or {@code null} when this reader cannot tell
	 */
	public @Nullable Conversation read(byte[] line) {
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
		return (Conversation) this.conversationShape.record.create(fields(parser, this.conversationShape));
	}

	/**
	 * How to read a value of a kind.
	 */
	private Reader reader(RecordShape.Kind kind, Map<Class<?>, Shape> shapes) {
		return switch (kind) {
			case RecordShape.Kind.Simple simple when simple == RecordShape.Kind.STRING -> STRING;
			case RecordShape.Kind.Simple simple when simple == RecordShape.Kind.INSTANT -> INSTANT;
			case RecordShape.Kind.Simple simple when simple == RecordShape.Kind.BOOLEAN -> BOOLEAN;
			case RecordShape.Kind.Simple simple when simple == RecordShape.Kind.LONG -> LONG;
			case RecordShape.Kind.Simple simple when simple == RecordShape.Kind.INT -> INT;
			case RecordShape.Kind.Simple simple when simple == RecordShape.Kind.DOUBLE -> DOUBLE;
			case RecordShape.Kind.Simple simple when simple == RecordShape.Kind.STRINGS_BY_KEY ->
				(parser) -> map(parser, STRING);
			case RecordShape.Kind.Simple simple when simple == RecordShape.Kind.ANY_BY_KEY ->
				(parser) -> map(parser, this::any);
			case RecordShape.Kind.Simple simple -> this::any;
			case RecordShape.Kind.Constant constant -> {
				Map<String, Object> constants = new HashMap<>();
				Enum<?>[] values = constant.type().getEnumConstants();
				for (int i = 0; i < values.length; i++) {
					constants.put(constant.names()[i].getValue(), values[i]);
				}
				Map<String, Object> byName = Map.copyOf(constants);
				yield (parser) -> constant(parser, byName);
			}
			case RecordShape.Kind.Nested nested -> {
				Shape shape = shape(nested.shape(), shapes);
				yield (parser) -> {
					Object[] values = object(parser, shape);
					return (values != null) ? shape.record.create(values) : null;
				};
			}
			case RecordShape.Kind.Array array -> {
				Reader element = reader(array.element(), shapes);
				yield (parser) -> array(parser, element);
			}
		};
	}

	private Shape shape(RecordShape<?> record, Map<Class<?>, Shape> shapes) {
		Shape shape = shapes.get(record.type());
		if (shape == null) {
			shape = new Shape(record);
			shapes.put(record.type(), shape);
			for (int i = 0; i < shape.readers.length; i++) {
				shape.readers[i] = reader(record.fields()[i].kind(), shapes);
			}
		}
		return shape;
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
	 * and BigInteger that holds them, other numbers as doubles), without a binding
	 * context per value.
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

		private final RecordShape<?> record;

		private final Map<String, Integer> fields = new HashMap<>();

		private final Reader[] readers;

		Shape(RecordShape<?> record) {
			if (record.fields().length > Long.SIZE) {
				// Which fields a line repeats is kept in the bits of a long.
				throw new IllegalStateException(record.type().getName() + " has more than " + Long.SIZE
						+ " components: the fast reader cannot tell a repeated one");
			}
			this.record = record;
			this.readers = new Reader[record.fields().length];
			for (int i = 0; i < this.readers.length; i++) {
				this.fields.put(record.fields()[i].name(), i);
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
