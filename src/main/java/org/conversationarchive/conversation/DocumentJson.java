package org.conversationarchive.conversation;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.BiConsumer;

import org.conversationarchive.conversation.Conversation.Artifact;
import org.conversationarchive.conversation.Conversation.Audio;
import org.conversationarchive.conversation.Conversation.Contact;
import org.conversationarchive.conversation.Conversation.Flag;
import org.conversationarchive.conversation.Conversation.FunctionCall;
import org.conversationarchive.conversation.Conversation.Message;
import org.conversationarchive.conversation.Conversation.Ref;
import org.conversationarchive.conversation.Conversation.Sentiment;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Writes an index document as JSON, the same bytes as the application's mapper writes
 * (fields in record order, nulls left out, enums and instants in their JSON form), field
 * by field on the generator: binding a document (an accessor call through a method handle
 * per field, an enum's {@code @JsonValue} and the general instant formatter per message)
 * was a fifth of what the service spent on a conversation it ingests. Free-form values
 * (tags, message data, function arguments and results) are written by the mapper.
 */
@Component
public class DocumentJson {

	private static final String[] PLATFORMS = names(Platform.values());

	private static final String[] DIRECTIONS = names(Direction.values());

	private static final String[] ENVIRONMENTS = names(Environment.values());

	private static final String[] STATUSES = names(Status.values());

	private static final String[] SENDER_TYPES = names(SenderType.values());

	private static final String[] FLAG_SOURCES = names(FlagSource.values());

	private final JsonMapper json;

	public DocumentJson(JsonMapper json) {
		this.json = json;
	}

	/**
	 * The document's JSON.
	 * @param document the document
	 * @return its UTF-8 bytes
	 */
	public byte[] bytes(ConversationDocument document) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
		write(document, out);
		return out.toByteArray();
	}

	/**
	 * Writes the document's JSON to a stream, on one line.
	 * @param document the document
	 * @param out the stream, left open
	 */
	public void write(ConversationDocument document, OutputStream out) {
		try (JsonGenerator generator = this.json.createGenerator(out)) {
			write(generator, document);
		}
	}

	private static void write(JsonGenerator out, ConversationDocument document) {
		out.writeStartObject();
		string(out, "org", document.org());
		string(out, "id", document.id());
		constant(out, "platform", document.platform(), PLATFORMS);
		string(out, "pointOfContact", document.pointOfContact());
		contact(out, document.contact());
		constant(out, "direction", document.direction(), DIRECTIONS);
		constant(out, "environment", document.environment(), ENVIRONMENTS);
		constant(out, "status", document.status(), STATUSES);
		ref(out, "flow", document.flow());
		ref(out, "agent", document.agent());
		array(out, "liveAgents", document.liveAgents(), (element, liveAgent) -> ref(element, null, liveAgent));
		string(out, "voice", document.voice());
		instant(out, "startedAt", document.startedAt());
		instant(out, "endedAt", document.endedAt());
		bool(out, "flagged", document.flagged());
		array(out, "flags", document.flags(), DocumentJson::flag);
		pojo(out, "tags", document.tags());
		pojo(out, "parameters", document.parameters());
		array(out, "sentiment", document.sentiment(), DocumentJson::sentiment);
		string(out, "reason", document.reason());
		string(out, "summary", document.summary());
		string(out, "analysis", document.analysis());
		array(out, "messages", document.messages(), DocumentJson::message);
		if (document.durationSeconds() != null) {
			out.writeNumberProperty("durationSeconds", document.durationSeconds());
		}
		instant(out, "lastMessageAt", document.lastMessageAt());
		strings(out, "functions", document.functions());
		bool(out, "liveAgentHandled", document.liveAgentHandled());
		if (document.contactConversationCount() != null) {
			out.writeNumberProperty("contactConversationCount", document.contactConversationCount());
		}
		audio(out, document.audio());
		array(out, "artifacts", document.artifacts(), DocumentJson::artifact);
		strings(out, "tagKeys", document.tagKeys());
		strings(out, "tagPairs", document.tagPairs());
		instant(out, "updatedAt", document.updatedAt());
		string(out, "exportRow", document.exportRow());
		out.writeEndObject();
	}

	private static void message(JsonGenerator out, @Nullable Message message) {
		if (message == null) {
			out.writeNull();
			return;
		}
		out.writeStartObject();
		instant(out, "at", message.at());
		constant(out, "senderType", message.senderType(), SENDER_TYPES);
		string(out, "senderName", message.senderName());
		string(out, "channel", message.channel());
		string(out, "text", message.text());
		pojo(out, "data", message.data());
		FunctionCall function = message.function();
		if (function != null) {
			out.writeObjectPropertyStart("function");
			string(out, "name", function.name());
			pojo(out, "arguments", function.arguments());
			pojo(out, "result", function.result());
			out.writeEndObject();
		}
		out.writeEndObject();
	}

	private static void contact(JsonGenerator out, @Nullable Contact contact) {
		if (contact == null) {
			return;
		}
		out.writeObjectPropertyStart("contact");
		string(out, "id", contact.id());
		string(out, "name", contact.name());
		string(out, "phone", contact.phone());
		string(out, "email", contact.email());
		out.writeEndObject();
	}

	/**
	 * A reference as a property, or as an array element when the name is null.
	 */
	private static void ref(JsonGenerator out, @Nullable String name, @Nullable Ref ref) {
		if (ref == null) {
			if (name == null) {
				out.writeNull();
			}
			return;
		}
		if (name != null) {
			out.writeName(name);
		}
		out.writeStartObject();
		string(out, "id", ref.id());
		string(out, "name", ref.name());
		out.writeEndObject();
	}

	private static void flag(JsonGenerator out, @Nullable Flag flag) {
		if (flag == null) {
			out.writeNull();
			return;
		}
		out.writeStartObject();
		string(out, "reason", flag.reason());
		constant(out, "source", flag.source(), FLAG_SOURCES);
		out.writeEndObject();
	}

	private static void sentiment(JsonGenerator out, @Nullable Sentiment sentiment) {
		if (sentiment == null) {
			out.writeNull();
			return;
		}
		out.writeStartObject();
		string(out, "emotion", sentiment.emotion());
		if (sentiment.score() != null) {
			out.writeNumberProperty("score", sentiment.score());
		}
		out.writeEndObject();
	}

	private static void audio(JsonGenerator out, @Nullable Audio audio) {
		if (audio == null) {
			return;
		}
		out.writeObjectPropertyStart("audio");
		string(out, "contentType", audio.contentType());
		if (audio.size() != null) {
			out.writeNumberProperty("size", audio.size());
		}
		if (audio.durationSeconds() != null) {
			out.writeNumberProperty("durationSeconds", audio.durationSeconds());
		}
		string(out, "sha256", audio.sha256());
		out.writeEndObject();
	}

	private static void artifact(JsonGenerator out, @Nullable Artifact artifact) {
		if (artifact == null) {
			out.writeNull();
			return;
		}
		out.writeStartObject();
		string(out, "id", artifact.id());
		string(out, "name", artifact.name());
		string(out, "contentType", artifact.contentType());
		if (artifact.size() != null) {
			out.writeNumberProperty("size", artifact.size());
		}
		if (artifact.messageIndex() != null) {
			out.writeNumberProperty("messageIndex", artifact.messageIndex());
		}
		string(out, "sha256", artifact.sha256());
		instant(out, "uploadedAt", artifact.uploadedAt());
		string(out, "url", artifact.url());
		out.writeEndObject();
	}

	private static void strings(JsonGenerator out, String name, @Nullable List<String> values) {
		array(out, name, values, JsonGenerator::writeString);
	}

	private static <T> void array(JsonGenerator out, String name, @Nullable List<T> values,
			BiConsumer<JsonGenerator, T> element) {
		if (values == null) {
			return;
		}
		out.writeArrayPropertyStart(name);
		for (T value : values) {
			element.accept(out, value);
		}
		out.writeEndArray();
	}

	private static void string(JsonGenerator out, String name, @Nullable String value) {
		if (value != null) {
			out.writeStringProperty(name, value);
		}
	}

	private static void bool(JsonGenerator out, String name, @Nullable Boolean value) {
		if (value != null) {
			out.writeBooleanProperty(name, value);
		}
	}

	private static void pojo(JsonGenerator out, String name, @Nullable Object value) {
		if (value != null) {
			out.writePOJOProperty(name, value);
		}
	}

	private static void constant(JsonGenerator out, String name, @Nullable Enum<?> value, String[] names) {
		if (value != null) {
			out.writeStringProperty(name, names[value.ordinal()]);
		}
	}

	private static void instant(JsonGenerator out, String name, @Nullable Instant value) {
		if (value != null) {
			out.writeStringProperty(name, iso(value));
		}
	}

	/**
	 * An instant as ISO-8601 in UTC, as {@link Instant#toString()} writes it (the
	 * fraction in groups of three digits, none when whole), for the years 0-9999; other
	 * years by {@link Instant#toString()} itself.
	 */
	static String iso(Instant instant) {
		LocalDateTime time = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
		int year = time.getYear();
		if (year < 0 || year > 9999) {
			return instant.toString();
		}
		char[] text = new char[30];
		digits(text, 0, year, 4);
		text[4] = '-';
		digits(text, 5, time.getMonthValue(), 2);
		text[7] = '-';
		digits(text, 8, time.getDayOfMonth(), 2);
		text[10] = 'T';
		digits(text, 11, time.getHour(), 2);
		text[13] = ':';
		digits(text, 14, time.getMinute(), 2);
		text[16] = ':';
		digits(text, 17, time.getSecond(), 2);
		int length = 19;
		int nanos = time.getNano();
		if (nanos != 0) {
			text[length++] = '.';
			if (nanos % 1_000_000 == 0) {
				digits(text, length, nanos / 1_000_000, 3);
				length += 3;
			}
			else if (nanos % 1_000 == 0) {
				digits(text, length, nanos / 1_000, 6);
				length += 6;
			}
			else {
				digits(text, length, nanos, 9);
				length += 9;
			}
		}
		text[length++] = 'Z';
		return new String(text, 0, length);
	}

	private static void digits(char[] text, int start, int value, int count) {
		for (int i = start + count - 1; i >= start; i--) {
			text[i] = (char) ('0' + value % 10);
			value /= 10;
		}
	}

	private static String[] names(Enum<?>[] constants) {
		String[] names = new String[constants.length];
		for (Enum<?> constant : constants) {
			names[constant.ordinal()] = JsonEnum.json(constant);
		}
		return names;
	}

}
