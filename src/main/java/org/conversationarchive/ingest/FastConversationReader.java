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
 * are bound by the same mapper.
 */
final class FastConversationReader {

	private static final Map<String, Platform> PLATFORMS = values(Platform.values());

	private static final Map<String, Direction> DIRECTIONS = values(Direction.values());

	private static final Map<String, Environment> ENVIRONMENTS = values(Environment.values());

	private static final Map<String, Status> STATUSES = values(Status.values());

	private static final Map<String, SenderType> SENDER_TYPES = values(SenderType.values());

	private static final Map<String, FlagSource> FLAG_SOURCES = values(FlagSource.values());

	private final JsonMapper json;

	private final boolean failOnUnknown;

	/** Binds a free-form value in the middle of a line. */
	private final ObjectReader untyped;

	FastConversationReader(JsonMapper json) {
		this.json = json;
		this.untyped = json.readerFor(Object.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
		this.failOnUnknown = json.deserializationConfig().isEnabled(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
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
		String id = null;
		Platform platform = null;
		String pointOfContact = null;
		Contact contact = null;
		Direction direction = null;
		Environment environment = null;
		Status status = null;
		Ref flow = null;
		Ref agent = null;
		List<Ref> liveAgents = null;
		String voice = null;
		Instant startedAt = null;
		Instant endedAt = null;
		Boolean flagged = null;
		List<Flag> flags = null;
		Map<String, Object> tags = null;
		Map<String, String> parameters = null;
		List<Sentiment> sentiment = null;
		String reason = null;
		String summary = null;
		String analysis = null;
		List<Message> messages = null;
		Long durationSeconds = null;
		Instant lastMessageAt = null;
		List<String> functions = null;
		Boolean liveAgentHandled = null;
		Integer contactConversationCount = null;
		Audio audio = null;
		List<Artifact> artifacts = null;
		Fields seen = new Fields();
		String name;
		while ((name = parser.nextName()) != null) {
			parser.nextToken();
			switch (name) {
				case "id" -> id = string(parser, seen.first(0));
				case "platform" -> platform = constant(parser, PLATFORMS, seen.first(1));
				case "pointOfContact" -> pointOfContact = string(parser, seen.first(2));
				case "contact" -> contact = contact(parser, seen.first(3));
				case "direction" -> direction = constant(parser, DIRECTIONS, seen.first(4));
				case "environment" -> environment = constant(parser, ENVIRONMENTS, seen.first(5));
				case "status" -> status = constant(parser, STATUSES, seen.first(6));
				case "flow" -> flow = ref(parser, seen.first(7));
				case "agent" -> agent = ref(parser, seen.first(8));
				case "liveAgents" -> liveAgents = list(parser, seen.first(9), this::ref);
				case "voice" -> voice = string(parser, seen.first(10));
				case "startedAt" -> startedAt = instant(parser, seen.first(11));
				case "endedAt" -> endedAt = instant(parser, seen.first(12));
				case "flagged" -> flagged = bool(parser, seen.first(13));
				case "flags" -> flags = list(parser, seen.first(14), this::flag);
				case "tags" -> tags = tags(parser, seen.first(15));
				case "parameters" -> parameters = parameters(parser, seen.first(16));
				case "sentiment" -> sentiment = list(parser, seen.first(17), this::sentiment);
				case "reason" -> reason = string(parser, seen.first(18));
				case "summary" -> summary = string(parser, seen.first(19));
				case "analysis" -> analysis = string(parser, seen.first(20));
				case "messages" -> messages = list(parser, seen.first(21), this::message);
				case "durationSeconds" -> durationSeconds = longValue(parser, seen.first(22));
				case "lastMessageAt" -> lastMessageAt = instant(parser, seen.first(23));
				case "functions" -> functions = list(parser, seen.first(24), (p, first) -> string(p, true));
				case "liveAgentHandled" -> liveAgentHandled = bool(parser, seen.first(25));
				case "contactConversationCount" -> contactConversationCount = intValue(parser, seen.first(26));
				case "audio" -> audio = audio(parser, seen.first(27));
				case "artifacts" -> artifacts = list(parser, seen.first(28), this::artifact);
				default -> unknown(parser);
			}
		}
		return new Conversation(id, platform, pointOfContact, contact, direction, environment, status, flow, agent,
				liveAgents, voice, startedAt, endedAt, flagged, flags, tags, parameters, sentiment, reason, summary,
				analysis, messages, durationSeconds, lastMessageAt, functions, liveAgentHandled,
				contactConversationCount, audio, artifacts);
	}

	private @Nullable Message message(JsonParser parser, boolean first) {
		if (!object(parser, first)) {
			return null;
		}
		Instant at = null;
		SenderType senderType = null;
		String senderName = null;
		String channel = null;
		String text = null;
		Object data = null;
		FunctionCall function = null;
		Fields seen = new Fields();
		String name;
		while ((name = parser.nextName()) != null) {
			parser.nextToken();
			switch (name) {
				case "at" -> at = instant(parser, seen.first(0));
				case "senderType" -> senderType = constant(parser, SENDER_TYPES, seen.first(1));
				case "senderName" -> senderName = string(parser, seen.first(2));
				case "channel" -> channel = string(parser, seen.first(3));
				case "text" -> text = string(parser, seen.first(4));
				case "data" -> data = any(parser, seen.first(5));
				case "function" -> function = function(parser, seen.first(6));
				default -> unknown(parser);
			}
		}
		return new Message(at, senderType, senderName, channel, text, data, function);
	}

	private @Nullable FunctionCall function(JsonParser parser, boolean first) {
		if (!object(parser, first)) {
			return null;
		}
		String name = null;
		Object arguments = null;
		Object result = null;
		Fields seen = new Fields();
		String field;
		while ((field = parser.nextName()) != null) {
			parser.nextToken();
			switch (field) {
				case "name" -> name = string(parser, seen.first(0));
				case "arguments" -> arguments = any(parser, seen.first(1));
				case "result" -> result = any(parser, seen.first(2));
				default -> unknown(parser);
			}
		}
		return new FunctionCall(name, arguments, result);
	}

	private @Nullable Contact contact(JsonParser parser, boolean first) {
		if (!object(parser, first)) {
			return null;
		}
		String id = null;
		String name = null;
		String phone = null;
		String email = null;
		Fields seen = new Fields();
		String field;
		while ((field = parser.nextName()) != null) {
			parser.nextToken();
			switch (field) {
				case "id" -> id = string(parser, seen.first(0));
				case "name" -> name = string(parser, seen.first(1));
				case "phone" -> phone = string(parser, seen.first(2));
				case "email" -> email = string(parser, seen.first(3));
				default -> unknown(parser);
			}
		}
		return new Contact(id, name, phone, email);
	}

	private @Nullable Ref ref(JsonParser parser, boolean first) {
		if (!object(parser, first)) {
			return null;
		}
		String id = null;
		String name = null;
		Fields seen = new Fields();
		String field;
		while ((field = parser.nextName()) != null) {
			parser.nextToken();
			switch (field) {
				case "id" -> id = string(parser, seen.first(0));
				case "name" -> name = string(parser, seen.first(1));
				default -> unknown(parser);
			}
		}
		return new Ref(id, name);
	}

	private @Nullable Flag flag(JsonParser parser, boolean first) {
		if (!object(parser, first)) {
			return null;
		}
		String reason = null;
		FlagSource source = null;
		Fields seen = new Fields();
		String field;
		while ((field = parser.nextName()) != null) {
			parser.nextToken();
			switch (field) {
				case "reason" -> reason = string(parser, seen.first(0));
				case "source" -> source = constant(parser, FLAG_SOURCES, seen.first(1));
				default -> unknown(parser);
			}
		}
		return new Flag(reason, source);
	}

	private @Nullable Sentiment sentiment(JsonParser parser, boolean first) {
		if (!object(parser, first)) {
			return null;
		}
		String emotion = null;
		Double score = null;
		Fields seen = new Fields();
		String field;
		while ((field = parser.nextName()) != null) {
			parser.nextToken();
			switch (field) {
				case "emotion" -> emotion = string(parser, seen.first(0));
				case "score" -> score = doubleValue(parser, seen.first(1));
				default -> unknown(parser);
			}
		}
		return new Sentiment(emotion, score);
	}

	private @Nullable Audio audio(JsonParser parser, boolean first) {
		if (!object(parser, first)) {
			return null;
		}
		String contentType = null;
		Long size = null;
		Double durationSeconds = null;
		String sha256 = null;
		Fields seen = new Fields();
		String field;
		while ((field = parser.nextName()) != null) {
			parser.nextToken();
			switch (field) {
				case "contentType" -> contentType = string(parser, seen.first(0));
				case "size" -> size = longValue(parser, seen.first(1));
				case "durationSeconds" -> durationSeconds = doubleValue(parser, seen.first(2));
				case "sha256" -> sha256 = string(parser, seen.first(3));
				default -> unknown(parser);
			}
		}
		return new Audio(contentType, size, durationSeconds, sha256);
	}

	private @Nullable Artifact artifact(JsonParser parser, boolean first) {
		if (!object(parser, first)) {
			return null;
		}
		String id = null;
		String name = null;
		String contentType = null;
		Long size = null;
		Integer messageIndex = null;
		String sha256 = null;
		Instant uploadedAt = null;
		String url = null;
		Fields seen = new Fields();
		String field;
		while ((field = parser.nextName()) != null) {
			parser.nextToken();
			switch (field) {
				case "id" -> id = string(parser, seen.first(0));
				case "name" -> name = string(parser, seen.first(1));
				case "contentType" -> contentType = string(parser, seen.first(2));
				case "size" -> size = longValue(parser, seen.first(3));
				case "messageIndex" -> messageIndex = intValue(parser, seen.first(4));
				case "sha256" -> sha256 = string(parser, seen.first(5));
				case "uploadedAt" -> uploadedAt = instant(parser, seen.first(6));
				case "url" -> url = string(parser, seen.first(7));
				default -> unknown(parser);
			}
		}
		return new Artifact(id, name, contentType, size, messageIndex, sha256, uploadedAt, url);
	}

	private @Nullable Map<String, Object> tags(JsonParser parser, boolean first) {
		if (!object(parser, first)) {
			return null;
		}
		Map<String, Object> tags = new LinkedHashMap<>();
		String key;
		while ((key = parser.nextName()) != null) {
			parser.nextToken();
			tags.put(key, any(parser, true));
		}
		return tags;
	}

	private @Nullable Map<String, String> parameters(JsonParser parser, boolean first) {
		if (!object(parser, first)) {
			return null;
		}
		Map<String, String> parameters = new LinkedHashMap<>();
		String key;
		while ((key = parser.nextName()) != null) {
			parser.nextToken();
			parameters.put(key, string(parser, true));
		}
		return parameters;
	}

	private <T> @Nullable List<T> list(JsonParser parser, boolean first, Element<T> element) {
		if (!first) {
			throw GiveUp.INSTANCE;
		}
		if (parser.currentToken() == JsonToken.VALUE_NULL) {
			return null;
		}
		if (parser.currentToken() != JsonToken.START_ARRAY) {
			throw GiveUp.INSTANCE;
		}
		List<T> list = new ArrayList<>();
		while (parser.nextToken() != JsonToken.END_ARRAY) {
			list.add(element.read(parser, true));
		}
		return list;
	}

	/**
	 * Whether the current value is an object to read (false: {@code null}).
	 */
	private static boolean object(JsonParser parser, boolean first) {
		if (!first) {
			throw GiveUp.INSTANCE;
		}
		JsonToken token = parser.currentToken();
		if (token == JsonToken.VALUE_NULL) {
			return false;
		}
		if (token != JsonToken.START_OBJECT) {
			throw GiveUp.INSTANCE;
		}
		return true;
	}

	private @Nullable Object any(JsonParser parser, boolean first) {
		if (!first) {
			throw GiveUp.INSTANCE;
		}
		return switch (parser.currentToken()) {
			case VALUE_NULL -> null;
			case VALUE_STRING -> parser.getString();
			case VALUE_TRUE -> Boolean.TRUE;
			case VALUE_FALSE -> Boolean.FALSE;
			default -> this.untyped.readValue(parser);
		};
	}

	private void unknown(JsonParser parser) {
		if (this.failOnUnknown) {
			throw GiveUp.INSTANCE;
		}
		parser.skipChildren();
	}

	private static @Nullable String string(JsonParser parser, boolean first) {
		if (!first) {
			throw GiveUp.INSTANCE;
		}
		return switch (parser.currentToken()) {
			case VALUE_STRING -> parser.getString();
			case VALUE_NULL -> null;
			default -> throw GiveUp.INSTANCE;
		};
	}

	private static @Nullable Boolean bool(JsonParser parser, boolean first) {
		if (!first) {
			throw GiveUp.INSTANCE;
		}
		return switch (parser.currentToken()) {
			case VALUE_TRUE -> Boolean.TRUE;
			case VALUE_FALSE -> Boolean.FALSE;
			case VALUE_NULL -> null;
			default -> throw GiveUp.INSTANCE;
		};
	}

	private static @Nullable Long longValue(JsonParser parser, boolean first) {
		if (!first) {
			throw GiveUp.INSTANCE;
		}
		return switch (parser.currentToken()) {
			case VALUE_NUMBER_INT -> integral(parser, JsonParser.NumberType.LONG) ? parser.getLongValue() : giveUp();
			case VALUE_NULL -> null;
			default -> throw GiveUp.INSTANCE;
		};
	}

	private static @Nullable Integer intValue(JsonParser parser, boolean first) {
		if (!first) {
			throw GiveUp.INSTANCE;
		}
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

	private static @Nullable Double doubleValue(JsonParser parser, boolean first) {
		if (!first) {
			throw GiveUp.INSTANCE;
		}
		return switch (parser.currentToken()) {
			case VALUE_NUMBER_FLOAT, VALUE_NUMBER_INT -> parser.getDoubleValue();
			case VALUE_NULL -> null;
			default -> throw GiveUp.INSTANCE;
		};
	}

	private static @Nullable Instant instant(JsonParser parser, boolean first) {
		if (!first) {
			throw GiveUp.INSTANCE;
		}
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
	private static <E> E constant(JsonParser parser, Map<String, E> constants, boolean first) {
		if (!first || parser.currentToken() != JsonToken.VALUE_STRING) {
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

	@FunctionalInterface
	private interface Element<T> {

		@Nullable T read(JsonParser parser, boolean first);

	}

	/**
	 * The fields of one object read so far: a repeated field is left to binding.
	 */
	private static final class Fields {

		private long seen;

		boolean first(int field) {
			long bit = 1L << field;
			boolean first = (this.seen & bit) == 0;
			this.seen |= bit;
			return first;
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
