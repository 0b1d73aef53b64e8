package org.conversationarchive.conversation;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.time.LocalDate;
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
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Writes an index document as JSON, the same bytes as the application's mapper writes
 * (fields in record order, nulls left out, enums and instants in their JSON form), field
 * by field on the generator: binding a document (an accessor call through a method handle
 * per field, an enum's {@code @JsonValue} and the general instant formatter per message)
 * was a fifth of what the service spent on a conversation it ingests. Free-form values
 * (tags, message data, function arguments and results) are written by
 * {@link FreeFormJson}.
 */
@Component
public class DocumentJson {

	/** The longest instant {@link #iso(Instant, char[])} writes. */
	static final int ISO_LENGTH = 30;

	private static final long SECONDS_PER_DAY = 86_400;

	/** The first second of the year 0, and the first of the year 10000. */
	private static final long FIRST_SECOND = -62_167_219_200L;

	private static final long END_SECOND = 253_402_300_800L;

	private static final Day[] DAYS = new Day[4096];

	private static final SerializableString[] PLATFORMS = names(Platform.values());

	private static final SerializableString[] DIRECTIONS = names(Direction.values());

	private static final SerializableString[] ENVIRONMENTS = names(Environment.values());

	private static final SerializableString[] STATUSES = names(Status.values());

	private static final SerializableString[] SENDER_TYPES = names(SenderType.values());

	private static final SerializableString[] FLAG_SOURCES = names(FlagSource.values());

	private final JsonMapper json;

	private final FreeFormJson freeForm;

	public DocumentJson(JsonMapper json) {
		this.json = json;
		this.freeForm = new FreeFormJson(json);
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

	private void write(JsonGenerator out, ConversationDocument document) {
		out.writeStartObject();
		string(out, Name.org, document.org());
		string(out, Name.id, document.id());
		constant(out, Name.platform, document.platform(), PLATFORMS);
		string(out, Name.pointOfContact, document.pointOfContact());
		contact(out, document.contact());
		constant(out, Name.direction, document.direction(), DIRECTIONS);
		constant(out, Name.environment, document.environment(), ENVIRONMENTS);
		constant(out, Name.status, document.status(), STATUSES);
		ref(out, Name.flow, document.flow());
		ref(out, Name.agent, document.agent());
		array(out, Name.liveAgents, document.liveAgents(), (element, liveAgent) -> ref(element, null, liveAgent));
		string(out, Name.voice, document.voice());
		instant(out, Name.startedAt, document.startedAt());
		instant(out, Name.endedAt, document.endedAt());
		bool(out, Name.flagged, document.flagged());
		array(out, Name.flags, document.flags(), DocumentJson::flag);
		pojo(out, Name.tags, document.tags());
		pojo(out, Name.parameters, document.parameters());
		array(out, Name.sentiment, document.sentiment(), DocumentJson::sentiment);
		string(out, Name.reason, document.reason());
		string(out, Name.summary, document.summary());
		string(out, Name.analysis, document.analysis());
		array(out, Name.messages, document.messages(), this::message);
		if (document.durationSeconds() != null) {
			number(out, Name.durationSeconds, document.durationSeconds());
		}
		instant(out, Name.lastMessageAt, document.lastMessageAt());
		strings(out, Name.functions, document.functions());
		bool(out, Name.liveAgentHandled, document.liveAgentHandled());
		if (document.contactConversationCount() != null) {
			number(out, Name.contactConversationCount, document.contactConversationCount());
		}
		audio(out, document.audio());
		array(out, Name.artifacts, document.artifacts(), DocumentJson::artifact);
		strings(out, Name.tagKeys, document.tagKeys());
		strings(out, Name.tagPairs, document.tagPairs());
		instant(out, Name.updatedAt, document.updatedAt());
		string(out, Name.exportRow, document.exportRow());
		out.writeEndObject();
	}

	private void message(JsonGenerator out, @Nullable Message message) {
		if (message == null) {
			out.writeNull();
			return;
		}
		out.writeStartObject();
		instant(out, Name.at, message.at());
		constant(out, Name.senderType, message.senderType(), SENDER_TYPES);
		string(out, Name.senderName, message.senderName());
		string(out, Name.channel, message.channel());
		string(out, Name.text, message.text());
		pojo(out, Name.data, message.data());
		FunctionCall function = message.function();
		if (function != null) {
			out.writeName(Name.function.json);
			out.writeStartObject();
			string(out, Name.name, function.name());
			pojo(out, Name.arguments, function.arguments());
			pojo(out, Name.result, function.result());
			out.writeEndObject();
		}
		out.writeEndObject();
	}

	private static void contact(JsonGenerator out, @Nullable Contact contact) {
		if (contact == null) {
			return;
		}
		out.writeName(Name.contact.json);
		out.writeStartObject();
		string(out, Name.id, contact.id());
		string(out, Name.name, contact.name());
		string(out, Name.phone, contact.phone());
		string(out, Name.email, contact.email());
		out.writeEndObject();
	}

	/**
	 * A reference as a property, or as an array element when the name is null.
	 */
	private static void ref(JsonGenerator out, @Nullable Name name, @Nullable Ref ref) {
		if (ref == null) {
			if (name == null) {
				out.writeNull();
			}
			return;
		}
		if (name != null) {
			out.writeName(name.json);
		}
		out.writeStartObject();
		string(out, Name.id, ref.id());
		string(out, Name.name, ref.name());
		out.writeEndObject();
	}

	private static void flag(JsonGenerator out, @Nullable Flag flag) {
		if (flag == null) {
			out.writeNull();
			return;
		}
		out.writeStartObject();
		string(out, Name.reason, flag.reason());
		constant(out, Name.source, flag.source(), FLAG_SOURCES);
		out.writeEndObject();
	}

	private static void sentiment(JsonGenerator out, @Nullable Sentiment sentiment) {
		if (sentiment == null) {
			out.writeNull();
			return;
		}
		out.writeStartObject();
		string(out, Name.emotion, sentiment.emotion());
		if (sentiment.score() != null) {
			number(out, Name.score, sentiment.score());
		}
		out.writeEndObject();
	}

	private static void audio(JsonGenerator out, @Nullable Audio audio) {
		if (audio == null) {
			return;
		}
		out.writeName(Name.audio.json);
		out.writeStartObject();
		string(out, Name.contentType, audio.contentType());
		if (audio.size() != null) {
			number(out, Name.size, audio.size());
		}
		if (audio.durationSeconds() != null) {
			number(out, Name.durationSeconds, audio.durationSeconds());
		}
		string(out, Name.sha256, audio.sha256());
		out.writeEndObject();
	}

	private static void artifact(JsonGenerator out, @Nullable Artifact artifact) {
		if (artifact == null) {
			out.writeNull();
			return;
		}
		out.writeStartObject();
		string(out, Name.id, artifact.id());
		string(out, Name.name, artifact.name());
		string(out, Name.contentType, artifact.contentType());
		if (artifact.size() != null) {
			number(out, Name.size, artifact.size());
		}
		if (artifact.messageIndex() != null) {
			number(out, Name.messageIndex, artifact.messageIndex());
		}
		string(out, Name.sha256, artifact.sha256());
		instant(out, Name.uploadedAt, artifact.uploadedAt());
		string(out, Name.url, artifact.url());
		out.writeEndObject();
	}

	private static void strings(JsonGenerator out, Name name, @Nullable List<String> values) {
		array(out, name, values, JsonGenerator::writeString);
	}

	private static <T> void array(JsonGenerator out, Name name, @Nullable List<T> values,
			BiConsumer<JsonGenerator, T> element) {
		if (values == null) {
			return;
		}
		out.writeName(name.json);
		out.writeStartArray();
		for (T value : values) {
			element.accept(out, value);
		}
		out.writeEndArray();
	}

	private static void string(JsonGenerator out, Name name, @Nullable String value) {
		if (value != null) {
			out.writeName(name.json);
			out.writeString(value);
		}
	}

	private static void bool(JsonGenerator out, Name name, @Nullable Boolean value) {
		if (value != null) {
			out.writeName(name.json);
			out.writeBoolean(value);
		}
	}

	private void pojo(JsonGenerator out, Name name, @Nullable Object value) {
		if (value != null) {
			out.writeName(name.json);
			this.freeForm.write(out, value);
		}
	}

	private static void constant(JsonGenerator out, Name name, @Nullable Enum<?> value, SerializableString[] names) {
		if (value != null) {
			out.writeName(name.json);
			out.writeString(names[value.ordinal()]);
		}
	}

	private static void instant(JsonGenerator out, Name name, @Nullable Instant value) {
		if (value != null) {
			out.writeName(name.json);
			char[] text = new char[ISO_LENGTH];
			int length = iso(value, text);
			if (length >= 0) {
				out.writeString(text, 0, length);
			}
			else {
				out.writeString(value.toString());
			}
		}
	}

	private static void number(JsonGenerator out, Name name, long value) {
		out.writeName(name.json);
		out.writeNumber(value);
	}

	private static void number(JsonGenerator out, Name name, double value) {
		out.writeName(name.json);
		out.writeNumber(value);
	}

	/**
	 * An instant as ISO-8601 in UTC, as {@link Instant#toString()} writes it (the
	 * fraction in groups of three digits, none when whole).
	 * @param instant the instant
	 * @return its text
	 */
	static String iso(Instant instant) {
		char[] text = new char[ISO_LENGTH];
		int length = iso(instant, text);
		return (length >= 0) ? new String(text, 0, length) : instant.toString();
	}

	/**
	 * Writes an instant as {@link #iso(Instant)} does, for the years 0-9999: the date
	 * comes from a small cache of days (the instants of a conversation mostly share
	 * theirs, and working a date out of a day number was most of the cost).
	 * @param instant the instant
	 * @param text where to write, {@link #ISO_LENGTH} characters at least
	 * @return the length written, or -1 for an instant outside those years
	 */
	static int iso(Instant instant, char[] text) {
		long seconds = instant.getEpochSecond();
		if (seconds < FIRST_SECOND || seconds >= END_SECOND) {
			return -1;
		}
		long day = Math.floorDiv(seconds, SECONDS_PER_DAY);
		int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
		int slot = (int) (day & (DAYS.length - 1));
		Day date = DAYS[slot];
		if (date == null || date.epochDay() != day) {
			date = Day.of(day);
			DAYS[slot] = date;
		}
		System.arraycopy(date.text(), 0, text, 0, 10);
		text[10] = 'T';
		digits(text, 11, secondOfDay / 3600, 2);
		text[13] = ':';
		digits(text, 14, (secondOfDay / 60) % 60, 2);
		text[16] = ':';
		digits(text, 17, secondOfDay % 60, 2);
		int length = 19;
		int nanos = instant.getNano();
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
		return length;
	}

	private static void digits(char[] text, int start, int value, int count) {
		for (int i = start + count - 1; i >= start; i--) {
			text[i] = (char) ('0' + value % 10);
			value /= 10;
		}
	}

	/**
	 * A day's date as text ({@code yyyy-MM-dd}); immutable, so that threads may share the
	 * cache without locks (a slot another thread replaced meanwhile is only a miss).
	 */
	private record Day(long epochDay, char[] text) {

		static Day of(long epochDay) {
			LocalDate date = LocalDate.ofEpochDay(epochDay);
			char[] text = new char[10];
			digits(text, 0, date.getYear(), 4);
			text[4] = '-';
			digits(text, 5, date.getMonthValue(), 2);
			text[7] = '-';
			digits(text, 8, date.getDayOfMonth(), 2);
			return new Day(epochDay, text);
		}

	}

	private static SerializableString[] names(Enum<?>[] constants) {
		SerializableString[] names = new SerializableString[constants.length];
		for (Enum<?> constant : constants) {
			names[constant.ordinal()] = new SerializedString(JsonEnum.json(constant));
		}
		return names;
	}

	/**
	 * The documents' property names, each constant spelt as its name in JSON, encoded
	 * once: written as a {@link String}, every name of every message went through the
	 * generator's escaping loop character by character, as many calls as the values
	 * themselves (in a profile of ingest, names and values together were a sixth of the
	 * service's CPU).
	 */
	private enum Name {

		agent, analysis, arguments, artifacts, at, audio, channel, contact, contactConversationCount, contentType, data,
		direction, durationSeconds, email, emotion, endedAt, environment, exportRow, flagged, flags, flow, function,
		functions, id, lastMessageAt, liveAgentHandled, liveAgents, messageIndex, messages, name, org, parameters,
		phone, platform, pointOfContact, reason, result, score, senderName, senderType, sentiment, sha256, size, source,
		startedAt, status, summary, tagKeys, tagPairs, tags, text, updatedAt, uploadedAt, url, voice;

		private final SerializableString json = new SerializedString(name());

	}

}
