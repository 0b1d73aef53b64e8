package org.conversationarchive.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.conversationarchive.conversation.Direction;
import org.conversationarchive.conversation.Environment;
import org.conversationarchive.conversation.JsonEnum;
import org.conversationarchive.conversation.Platform;
import org.conversationarchive.conversation.SenderType;
import org.conversationarchive.conversation.Status;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * How the pages write values: times in UTC (the archive's time, the same for everyone
 * looking at one conversation), durations, labels of the archive's values, JSON.
 * Templates reach it as {@code formats}.
 */
@Component
class Formats {

	private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
		.withZone(ZoneOffset.UTC);

	private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
		.withZone(ZoneOffset.UTC);

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT)
		.withZone(ZoneOffset.UTC);

	/**
	 * Emotions felt as bad or good: a high score of the first is a warning, not a
	 * success.
	 */
	private static final Set<String> NEGATIVE = Set.of("anger", "annoyance", "anxiety", "confusion", "disappointment",
			"disgust", "fear", "frustration", "impatience", "sadness", "stress", "worry");

	private static final Set<String> POSITIVE = Set.of("amusement", "appreciation", "curiosity", "excitement",
			"gratitude", "happiness", "joy", "relief", "satisfaction", "trust");

	private static final Map<String, String> LABELS = Map.ofEntries(Map.entry("sms", "SMS"),
			Map.entry("whatsapp", "WhatsApp"), Map.entry("human_phone", "Human Phone"),
			Map.entry("voicemail_message_left", "Answering Machine — Message Left"),
			Map.entry("voicemail_no_message_left", "Answering Machine — No Message Left"),
			Map.entry("human_agent", "Human agent"), Map.entry("production", "Production"), Map.entry("test", "Test"));

	private final JsonMapper json;

	Formats(JsonMapper json) {
		this.json = json;
	}

	public String dateTime(@Nullable Instant instant) {
		return (instant != null) ? DATE_TIME.format(instant) : "";
	}

	public String seconds(@Nullable Instant instant) {
		return (instant != null) ? SECONDS.format(instant) + " UTC" : "";
	}

	public String time(@Nullable Instant instant) {
		return (instant != null) ? TIME.format(instant) : "";
	}

	/**
	 * An ISO-8601 instant, for {@code <time datetime>}.
	 * @param instant the instant
	 * @return its ISO form, or empty
	 */
	public String iso(@Nullable Instant instant) {
		return (instant != null) ? instant.toString() : "";
	}

	/**
	 * A duration as people read it, its two largest units: {@code 45s}, {@code 5m 0s},
	 * {@code 3h 12m}, {@code 2d 4h} (an email thread can last days).
	 * @param seconds the duration in seconds
	 * @return its text, or empty
	 */
	public String duration(@Nullable Number seconds) {
		if (seconds == null) {
			return "";
		}
		long total = Math.round(seconds.doubleValue());
		if (total < 60) {
			return total + "s";
		}
		if (total < 3600) {
			return (total / 60) + "m " + (total % 60) + "s";
		}
		if (total < 86_400) {
			return (total / 3600) + "h " + ((total % 3600) / 60) + "m";
		}
		return (total / 86_400) + "d " + ((total % 86_400) / 3600) + "h";
	}

	/**
	 * A language's name in English, from its ISO 639-1 code.
	 * @param code the code, e.g. {@code es}
	 * @return its name, e.g. {@code Spanish}, or the code when it names none
	 */
	public String language(@Nullable String code) {
		if (code == null) {
			return "";
		}
		String name = Locale.of(code).getDisplayLanguage(Locale.ENGLISH);
		return (name.isEmpty() || name.equals(code)) ? code : name;
	}

	/**
	 * A point in a recording as players show it: {@code 0:05}, {@code 12:40},
	 * {@code 1:02:03}.
	 * @param seconds seconds from the start
	 * @return its text, or empty
	 */
	public String offset(@Nullable Number seconds) {
		if (seconds == null) {
			return "";
		}
		long total = Math.max(0, (long) Math.floor(seconds.doubleValue()));
		return (total < 3600) ? String.format(Locale.ROOT, "%d:%02d", total / 60, total % 60)
				: String.format(Locale.ROOT, "%d:%02d:%02d", total / 3600, (total % 3600) / 60, total % 60);
	}

	/**
	 * Where a sentiment's score is best, for its {@code <meter optimum>}: low for an
	 * emotion felt as bad (so a strong one shows red), high for a good one, the middle
	 * for any other.
	 * @param emotion the emotion, as the conversation names it
	 * @return 0, 1 or 0.5
	 */
	public double optimum(@Nullable String emotion) {
		String name = (emotion != null) ? emotion.strip().toLowerCase(Locale.ROOT) : "";
		if (NEGATIVE.contains(name)) {
			return 0;
		}
		return POSITIVE.contains(name) ? 1 : 0.5;
	}

	/**
	 * The label of a value of the archive's enumerations, or of its JSON name.
	 * @param value an enumeration constant or its JSON name
	 * @return the label, e.g. {@code Human Handoff}
	 */
	public String label(@Nullable Object value) {
		if (value == null) {
			return "";
		}
		String name = (value instanceof Enum<?> constant) ? JsonEnum.json(constant) : value.toString();
		String label = LABELS.get(name);
		if (label != null) {
			return label;
		}
		String spaced = name.replace('_', ' ');
		return spaced.isEmpty() ? spaced : Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
	}

	/**
	 * The label of a status, capitalised as the table shows it.
	 * @param status the status
	 * @return e.g. {@code Human Handoff}
	 */
	public String status(@Nullable Status status) {
		if (status == null) {
			return "";
		}
		String label = LABELS.get(status.json());
		if (label != null) {
			return label;
		}
		StringBuilder words = new StringBuilder();
		for (String word : status.json().split("_")) {
			words.append(words.isEmpty() ? "" : " ")
				.append(Character.toUpperCase(word.charAt(0)))
				.append(word.substring(1));
		}
		return words.toString();
	}

	public String platform(@Nullable Platform platform) {
		return (platform != null) ? label(platform) : "";
	}

	/**
	 * A value of a tag: a string, or a list of them.
	 * @param value the tag's value
	 * @return the text
	 */
	public String tagValue(@Nullable Object value) {
		if (value instanceof List<?> list) {
			return String.join(", ", list.stream().map(String::valueOf).toList());
		}
		return (value != null) ? value.toString() : "";
	}

	/**
	 * The entries of a list or map as a cell's chips show them: a map's as
	 * {@code key: value}.
	 * @param values a list, or a map of tags or parameters
	 * @return the texts, empty for none
	 */
	public List<String> items(@Nullable Object values) {
		if (values instanceof Map<?, ?> map) {
			return map.entrySet().stream().map((entry) -> entry.getKey() + ": " + tagValue(entry.getValue())).toList();
		}
		if (values instanceof List<?> list) {
			return list.stream().map(String::valueOf).toList();
		}
		return (values != null) ? List.of(values.toString()) : List.of();
	}

	/**
	 * Any JSON value, indented, for function calls and message data.
	 * @param value the value
	 * @return the JSON
	 */
	public String json(@Nullable Object value) {
		return this.json.writerWithDefaultPrettyPrinter().writeValueAsString(value);
	}

	/**
	 * The labels of the archive's enumerations, for the pages' scripts: statuses,
	 * platforms, directions, environments and sender types, each value's JSON name to
	 * what the table shows.
	 * @return kind ({@code status}, {@code platform}, {@code direction},
	 * {@code environment}, {@code speaker}) to value to label, in declaration order
	 */
	public Map<String, Map<String, String>> labels() {
		Map<String, Map<String, String>> labels = new LinkedHashMap<>();
		labels.put("status", labels(Status.values(), this::status));
		labels.put("platform", labels(Platform.values(), this::platform));
		labels.put("direction", labels(Direction.values(), this::label));
		labels.put("environment", labels(Environment.values(), this::label));
		labels.put("speaker", labels(SenderType.values(), this::label));
		return labels;
	}

	private static <E extends Enum<E>> Map<String, String> labels(E[] values, Function<E, String> label) {
		Map<String, String> labels = new LinkedHashMap<>();
		for (E value : values) {
			labels.put(JsonEnum.json(value), label.apply(value));
		}
		return labels;
	}

	public String number(long value) {
		return String.format(Locale.ROOT, "%,d", value);
	}

}
