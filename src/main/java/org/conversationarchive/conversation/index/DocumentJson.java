package org.conversationarchive.conversation.index;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.conversationarchive.conversation.ConversationDocument;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Writes an index document as JSON, the same bytes as the application's mapper writes
 * (fields in record order, nulls left out, enums and instants in their JSON form), field
 * by field on the generator, as {@link RecordShape} declares them, which is cheaper than
 * binding (see bench/README.md). Free-form values (tags, message data, function arguments
 * and results) are written by {@link FreeFormJson}.
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

	private final JsonMapper json;

	private final FreeFormJson freeForm;

	private final ObjectWriter document;

	public DocumentJson(JsonMapper json) {
		this.json = json;
		this.freeForm = new FreeFormJson(json);
		this.document = object(RecordShape.of(ConversationDocument.class), new HashMap<>());
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
		this.document.write(out, document);
	}

	/**
	 * How to write a value of a kind, never null.
	 */
	private ValueWriter writer(RecordShape.Kind kind, Map<Class<?>, ObjectWriter> objects) {
		return switch (kind) {
			case RecordShape.Kind.Simple simple when simple == RecordShape.Kind.STRING ->
				(out, value) -> out.writeString((String) value);
			case RecordShape.Kind.Simple simple when simple == RecordShape.Kind.INSTANT ->
				(out, value) -> instant(out, (Instant) value);
			case RecordShape.Kind.Simple simple when simple == RecordShape.Kind.BOOLEAN ->
				(out, value) -> out.writeBoolean((Boolean) value);
			case RecordShape.Kind.Simple simple when simple == RecordShape.Kind.LONG ->
				(out, value) -> out.writeNumber((Long) value);
			case RecordShape.Kind.Simple simple when simple == RecordShape.Kind.INT ->
				(out, value) -> out.writeNumber((Integer) value);
			case RecordShape.Kind.Simple simple when simple == RecordShape.Kind.DOUBLE ->
				(out, value) -> out.writeNumber((Double) value);
			// Free-form values and maps of them.
			case RecordShape.Kind.Simple simple -> this.freeForm::write;
			case RecordShape.Kind.Constant constant -> {
				SerializableString[] names = constant.names();
				yield (out, value) -> out.writeString(names[((Enum<?>) value).ordinal()]);
			}
			case RecordShape.Kind.Nested nested -> object(nested.shape(), objects);
			case RecordShape.Kind.Array array -> {
				ValueWriter element = writer(array.element(), objects);
				yield (out, value) -> {
					out.writeStartArray();
					for (Object item : (List<?>) value) {
						if (item != null) {
							element.write(out, item);
						}
						else {
							out.writeNull();
						}
					}
					out.writeEndArray();
				};
			}
		};
	}

	private ObjectWriter object(RecordShape<?> shape, Map<Class<?>, ObjectWriter> objects) {
		ObjectWriter writer = objects.get(shape.type());
		if (writer == null) {
			writer = new ObjectWriter(shape.fields());
			objects.put(shape.type(), writer);
			for (int i = 0; i < writer.values.length; i++) {
				writer.values[i] = writer(shape.fields()[i].kind(), objects);
			}
		}
		return writer;
	}

	private static void instant(JsonGenerator out, Instant value) {
		char[] text = new char[ISO_LENGTH];
		int length = iso(value, text);
		if (length >= 0) {
			out.writeString(text, 0, length);
		}
		else {
			out.writeString(value.toString());
		}
	}

	/**
	 * An instant as ISO-8601 in UTC, as {@link Instant#toString()} writes it (the
	 * fraction in groups of three digits, none when whole).
	 * @param instant the instant
	 * @return its text
	 */
	public static String iso(Instant instant) {
		char[] text = new char[ISO_LENGTH];
		int length = iso(instant, text);
		return (length >= 0) ? new String(text, 0, length) : instant.toString();
	}

	/**
	 * Writes an instant as {@link #iso(Instant)} does, for the years 0-9999: the date
	 * comes from a small cache of days, since the instants of a conversation mostly share
	 * theirs.
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

	/**
	 * Writes a value that is not null.
	 */
	@FunctionalInterface
	private interface ValueWriter {

		void write(JsonGenerator out, Object value);

	}

	/**
	 * Writes a record as an object, its fields in order, nulls left out.
	 */
	private static final class ObjectWriter implements ValueWriter {

		private final RecordShape.Field[] fields;

		private final ValueWriter[] values;

		ObjectWriter(RecordShape.Field[] fields) {
			this.fields = fields;
			this.values = new ValueWriter[fields.length];
		}

		@Override
		public void write(JsonGenerator out, Object record) {
			out.writeStartObject();
			for (int i = 0; i < this.fields.length; i++) {
				Object value = this.fields[i].get(record);
				if (value != null) {
					out.writeName(this.fields[i].json());
					this.values[i].write(out, value);
				}
			}
			out.writeEndObject();
		}

	}

}
