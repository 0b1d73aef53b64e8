package org.conversationarchive.search;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import org.conversationarchive.conversation.Direction;
import org.conversationarchive.conversation.Environment;
import org.conversationarchive.conversation.FlagSource;
import org.conversationarchive.conversation.JsonEnum;
import org.conversationarchive.conversation.Platform;
import org.conversationarchive.conversation.SenderType;
import org.conversationarchive.conversation.Status;
import org.conversationarchive.search.Filter.Pair;
import org.conversationarchive.system.InvalidInputException;
import org.jspecify.annotations.Nullable;

import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

/**
 * The query-string form of a {@link Filter}: {@code status=failed&status=abandoned&
 * from=2025-01-01T00:00:00Z&tag=Language:en&q="refund"&speaker=user&flagSource=rule&
 * emotion=anger:0.6&turnsMin=10&dailyRankMin=2&flowNode=verify&exitNode=payment}. A
 * parameter given several times matches any of its values. Every bad value is a
 * {@code 400} that names the parameter and the value.
 */
public final class FilterParameters {

	/**
	 * The parameters that are part of the filter.
	 */
	public static final Set<String> NAMES = Set.of("id", "status", "from", "to", "platform", "flow", "direction", "env",
			"flagged", "repeatMin", "repeatMax", "contact", "q", "speaker", "function", "tag", "tagMatch", "param",
			"agent", "liveAgent", "flagSource", "emotion", "turnsMin", "turnsMax", "silenceMin", "silenceMax",
			"functionFailed", "failedFunction", "customerRepeated", "dailyRankMin", "dailyRankMax", "within",
			"language", "flowNode", "exitNode");

	private FilterParameters() {
	}

	/**
	 * Reads the filter from query parameters.
	 * @param parameters the request's parameters (others are ignored)
	 * @return the filter, validated
	 */
	public static Filter parse(MultiValueMap<String, String> parameters) {
		List<Pair> tags = pairs(parameters, "tag");
		String tagMatch = single(parameters, "tagMatch");
		String q = single(parameters, "q");
		String speaker = single(parameters, "speaker");
		String within = single(parameters, "within");
		Integer repeatMin = integer(parameters, "repeatMin");
		Integer repeatMax = integer(parameters, "repeatMax");
		Filter filter = new Filter(strings(parameters, "id"), values(parameters, "status", Status::of),
				instant(parameters, "from"), instant(parameters, "to"), values(parameters, "platform", Platform::of),
				strings(parameters, "flow"), values(parameters, "direction", Direction::of),
				values(parameters, "env", Environment::of), bool(parameters, "flagged"),
				(repeatMin != null || repeatMax != null) ? new Filter.RepeatContacts(repeatMin, repeatMax) : null,
				strings(parameters, "contact"),
				(q != null || speaker != null || within != null) ? new Filter.Content(q,
						parse("speaker", speaker, SenderType::of), parse("within", within, Filter.Within::of)) : null,
				strings(parameters, "function"),
				(tags != null || tagMatch != null)
						? new Filter.Tags(parse("tagMatch", tagMatch, Filter.TagMatch::of), tags) : null,
				pairs(parameters, "param"), strings(parameters, "agent"), bool(parameters, "liveAgent"),
				values(parameters, "flagSource", (value) -> JsonEnum.parse(FlagSource.class, value, "flagSource")),
				emotions(parameters), signals(parameters), strings(parameters, "language"),
				strings(parameters, "flowNode"), strings(parameters, "exitNode"));
		return filter.validated();
	}

	private static @Nullable List<String> strings(MultiValueMap<String, String> parameters, String name) {
		List<String> values = parameters.get(name);
		if (values == null) {
			return null;
		}
		List<String> nonBlank = new ArrayList<>();
		for (String value : values) {
			if (!value.isBlank()) {
				nonBlank.add(value.trim());
			}
		}
		return nonBlank.isEmpty() ? null : nonBlank;
	}

	private static <T> @Nullable List<T> values(MultiValueMap<String, String> parameters, String name,
			Function<String, T> parser) {
		List<String> values = strings(parameters, name);
		return (values != null) ? values.stream().map((value) -> parse(name, value, parser)).toList() : null;
	}

	private static <T> @Nullable T parse(String name, @Nullable String value, Function<String, T> parser) {
		if (value == null) {
			return null;
		}
		try {
			return parser.apply(value);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidInputException("parameter " + name + ": " + ex.getMessage());
		}
	}

	/**
	 * A parameter given at most once, trimmed.
	 * @param parameters the request's parameters
	 * @param name the parameter
	 * @return its value, or {@code null} when absent or blank
	 * @throws InvalidInputException when it is given more than once
	 */
	public static @Nullable String single(MultiValueMap<String, String> parameters, String name) {
		List<String> values = parameters.get(name);
		if (values == null || values.isEmpty() || values.get(0).isBlank()) {
			return null;
		}
		if (values.size() > 1) {
			throw new InvalidInputException("parameter " + name + ": given " + values.size() + " times; give it once");
		}
		return values.get(0).trim();
	}

	private static @Nullable Instant instant(MultiValueMap<String, String> parameters, String name) {
		String value = single(parameters, name);
		if (value == null) {
			return null;
		}
		try {
			return Instant.parse(value);
		}
		catch (DateTimeParseException ex) {
			throw new InvalidInputException("parameter " + name + ": '" + value
					+ "' is not an ISO-8601 instant (such as 2025-03-01T10:15:30Z)");
		}
	}

	private static @Nullable Boolean bool(MultiValueMap<String, String> parameters, String name) {
		String value = single(parameters, name);
		if (value == null) {
			return null;
		}
		// As JSON spells them, nothing read as one of them.
		return switch (value) {
			case "true" -> true;
			case "false" -> false;
			default -> throw new InvalidInputException("parameter " + name + ": '" + value + "' is not true or false");
		};
	}

	private static Filter.@Nullable Signals signals(MultiValueMap<String, String> parameters) {
		Filter.Signals signals = new Filter.Signals(bounds(parameters, "turnsMin", "turnsMax"),
				bounds(parameters, "silenceMin", "silenceMax"), bool(parameters, "functionFailed"),
				strings(parameters, "failedFunction"), bool(parameters, "customerRepeated"),
				bounds(parameters, "dailyRankMin", "dailyRankMax"));
		return signals.any() ? signals : null;
	}

	private static Filter.@Nullable Bounds bounds(MultiValueMap<String, String> parameters, String minName,
			String maxName) {
		Integer min = integer(parameters, minName);
		Integer max = integer(parameters, maxName);
		return (min != null || max != null)
				? new Filter.Bounds((min != null) ? min.longValue() : null, (max != null) ? max.longValue() : null)
				: null;
	}

	private static @Nullable Integer integer(MultiValueMap<String, String> parameters, String name) {
		String value = single(parameters, name);
		if (value == null) {
			return null;
		}
		try {
			int number = Integer.parseInt(value);
			if (number < 0) {
				throw new InvalidInputException("parameter " + name + ": " + value + " is negative");
			}
			return number;
		}
		catch (NumberFormatException ex) {
			throw new InvalidInputException("parameter " + name + ": '" + value + "' is not a whole number");
		}
	}

	private static @Nullable List<Pair> pairs(MultiValueMap<String, String> parameters, String name) {
		List<String> values = parameters.get(name);
		if (values == null) {
			return null;
		}
		List<Pair> pairs = new ArrayList<>();
		for (String value : values) {
			int colon = value.indexOf(':');
			if (colon <= 0) {
				throw new InvalidInputException(
						"parameter " + name + ": '" + value + "' is not key:value (key:* matches any value)");
			}
			pairs.add(new Pair(value.substring(0, colon).trim(), value.substring(colon + 1).trim()));
		}
		return pairs;
	}

	/**
	 * {@code emotion=anger:0.6}: the emotion, a colon, and the least score (0 to 1); the
	 * last colon separates them, so an emotion may have one of its own.
	 */
	private static @Nullable List<Filter.EmotionScore> emotions(MultiValueMap<String, String> parameters) {
		List<String> values = strings(parameters, "emotion");
		if (values == null) {
			return null;
		}
		List<Filter.EmotionScore> emotions = new ArrayList<>();
		for (String value : values) {
			int colon = value.lastIndexOf(':');
			if (colon <= 0 || colon == value.length() - 1) {
				throw new InvalidInputException(
						"parameter emotion: '" + value + "' is not emotion:min (e.g. anger:0.6, a score from 0 to 1)");
			}
			String score = value.substring(colon + 1).trim();
			double min;
			try {
				// Decimal numbers only: not NaN, Infinity or hexadecimal, which a double
				// would read.
				min = new BigDecimal(score).doubleValue();
			}
			catch (NumberFormatException ex) {
				throw new InvalidInputException(
						"parameter emotion: '" + score + "' in '" + value + "' is not a score (a number from 0 to 1)");
			}
			emotions.add(new Filter.EmotionScore(value.substring(0, colon).trim(), min));
		}
		return emotions;
	}

	/**
	 * The query-string form of a filter, as {@link #parse} reads it back: what shows a
	 * saved view's filter in a form of these parameters.
	 * @param filter the filter
	 * @return parameter name to values, in the order of {@link Filter}'s fields
	 */
	public static MultiValueMap<String, String> of(Filter filter) {
		MultiValueMap<String, String> parameters = new LinkedMultiValueMap<>();
		addAll(parameters, "id", filter.ids(), String::valueOf);
		addAll(parameters, "status", filter.statuses(), Status::json);
		add(parameters, "from", filter.from());
		add(parameters, "to", filter.to());
		addAll(parameters, "platform", filter.platforms(), Platform::json);
		addAll(parameters, "flow", filter.flows(), String::valueOf);
		addAll(parameters, "direction", filter.directions(), Direction::json);
		addAll(parameters, "env", filter.environments(), Environment::json);
		add(parameters, "flagged", filter.flagged());
		if (filter.repeatContacts() != null) {
			add(parameters, "repeatMin", filter.repeatContacts().min());
			add(parameters, "repeatMax", filter.repeatContacts().max());
		}
		addAll(parameters, "contact", filter.contacts(), String::valueOf);
		if (filter.content() != null) {
			add(parameters, "q", filter.content().query());
			add(parameters, "speaker", (filter.content().speaker() != null) ? filter.content().speaker().json() : null);
			add(parameters, "within", filter.content().within());
		}
		addAll(parameters, "function", filter.functions(), String::valueOf);
		if (filter.tags() != null) {
			addAll(parameters, "tag", filter.tags().pairs(), FilterParameters::pair);
			add(parameters, "tagMatch", (filter.tags().match() != null) ? filter.tags().match().json() : null);
		}
		addAll(parameters, "param", filter.parameters(), FilterParameters::pair);
		addAll(parameters, "agent", filter.agents(), String::valueOf);
		add(parameters, "liveAgent", filter.liveAgentHandled());
		addAll(parameters, "flagSource", filter.flagSources(), FlagSource::json);
		addAll(parameters, "emotion", filter.emotions(), Filter.EmotionScore::parameter);
		Filter.Signals signals = filter.signals();
		if (signals != null) {
			addBounds(parameters, "turnsMin", "turnsMax", signals.turns());
			addBounds(parameters, "silenceMin", "silenceMax", signals.longestSilenceSeconds());
			add(parameters, "functionFailed", signals.functionFailed());
			addAll(parameters, "failedFunction", signals.failedFunctions(), String::valueOf);
			add(parameters, "customerRepeated", signals.customerRepeated());
			addBounds(parameters, "dailyRankMin", "dailyRankMax", signals.contactDailyRank());
		}
		addAll(parameters, "language", filter.languages(), String::valueOf);
		addAll(parameters, "flowNode", filter.flowNodes(), String::valueOf);
		addAll(parameters, "exitNode", filter.exitNodes(), String::valueOf);
		return parameters;
	}

	private static <T> void addAll(MultiValueMap<String, String> parameters, String name, @Nullable List<T> values,
			Function<T, String> format) {
		if (values != null) {
			values.forEach((value) -> parameters.add(name, format.apply(value)));
		}
	}

	private static void addBounds(MultiValueMap<String, String> parameters, String minName, String maxName,
			Filter.@Nullable Bounds bounds) {
		if (bounds != null) {
			add(parameters, minName, bounds.min());
			add(parameters, maxName, bounds.max());
		}
	}

	private static void add(MultiValueMap<String, String> parameters, String name, @Nullable Object value) {
		if (value != null) {
			parameters.add(name, value.toString());
		}
	}

	private static String pair(Pair pair) {
		return pair.key() + ":" + pair.value();
	}

}
