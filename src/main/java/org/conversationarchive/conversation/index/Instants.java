package org.conversationarchive.conversation.index;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.ext.javatime.deser.InstantDeserializer;

/**
 * Reads the instants of conversations quickly (one per message; see bench/README.md): the
 * common RFC 3339 form ({@code 2025-03-01T10:15:30.123Z}, or with an offset) directly,
 * and hands every other string, errors included, to Jackson's own deserializer. A number
 * is refused: seconds or milliseconds since 1970 cannot be told apart, and the API takes
 * ISO-8601 text.
 */
public final class Instants extends StdScalarDeserializer<Instant> {

	private static final Pattern EPOCH = Pattern.compile("[-+]?[0-9.]+");

	public Instants() {
		super(Instant.class);
	}

	@Override
	public Instant deserialize(JsonParser parser, DeserializationContext context) throws JacksonException {
		if (parser.currentToken() == JsonToken.VALUE_STRING) {
			String text = parser.getString();
			Instant instant = parse(text);
			if (instant != null) {
				return instant;
			}
			if (EPOCH.matcher(text.strip()).matches()) {
				// Jackson would read it as seconds since 1970: a number in quotes is no
				// more an instant than the number.
				return (Instant) context.handleWeirdStringValue(Instant.class, text, "not an ISO-8601 instant");
			}
		}
		if (parser.currentToken() == JsonToken.VALUE_NUMBER_INT
				|| parser.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
			return (Instant) context.handleUnexpectedToken(Instant.class, parser);
		}
		return InstantDeserializer.INSTANT.deserialize(parser, context);
	}

	/**
	 * Reads {@code yyyy-MM-ddTHH:mm:ss[.fraction](Z|±HH:mm)}.
	 * @param text the text
	 * @return the instant, or {@code null} when the text is of another form or invalid
	 */
	public static @Nullable Instant parse(String text) {
		int length = text.length();
		if (length < 20 || text.charAt(4) != '-' || text.charAt(7) != '-'
				|| (text.charAt(10) != 'T' && text.charAt(10) != 't') || text.charAt(13) != ':'
				|| text.charAt(16) != ':') {
			return null;
		}
		int year = digits(text, 0, 4);
		int month = digits(text, 5, 2);
		int day = digits(text, 8, 2);
		int hour = digits(text, 11, 2);
		int minute = digits(text, 14, 2);
		int second = digits(text, 17, 2);
		if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
				|| second > 59) {
			return null;
		}
		int position = 19;
		int nanos = 0;
		if (text.charAt(position) == '.') {
			int start = ++position;
			while (position < length && Character.isDigit(text.charAt(position))) {
				position++;
			}
			int count = position - start;
			if (count == 0 || count > 9) {
				return null;
			}
			nanos = digits(text, start, count);
			for (int i = count; i < 9; i++) {
				nanos *= 10;
			}
		}
		if (position >= length) {
			return null;
		}
		int offsetSeconds;
		char zone = text.charAt(position);
		if ((zone == 'Z' || zone == 'z') && position == length - 1) {
			offsetSeconds = 0;
		}
		else if ((zone == '+' || zone == '-') && position == length - 6 && text.charAt(position + 3) == ':') {
			int hours = digits(text, position + 1, 2);
			int minutes = digits(text, position + 4, 2);
			if (hours < 0 || hours > 18 || minutes < 0 || minutes > 59) {
				return null;
			}
			offsetSeconds = ((zone == '-') ? -1 : 1) * (hours * 3600 + minutes * 60);
		}
		else {
			return null;
		}
		try {
			long days = LocalDate.of(year, month, day).toEpochDay();
			return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second - offsetSeconds, nanos);
		}
		catch (DateTimeException ex) {
			return null;
		}
	}

	private static int digits(String text, int start, int count) {
		int value = 0;
		for (int i = start; i < start + count; i++) {
			char c = text.charAt(i);
			if (c < '0' || c > '9') {
				return -1;
			}
			value = value * 10 + (c - '0');
		}
		return value;
	}

}
