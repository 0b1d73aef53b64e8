package org.conversationarchive.search;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import org.conversationarchive.conversation.Direction;
import org.conversationarchive.conversation.Environment;
import org.conversationarchive.conversation.FlagSource;
import org.conversationarchive.conversation.Languages;
import org.conversationarchive.conversation.Platform;
import org.conversationarchive.conversation.SenderType;
import org.conversationarchive.conversation.Status;
import org.conversationarchive.system.InvalidInputException;
import org.conversationarchive.system.JsonProblems;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which conversations: the one filter model of search, views, exports and schedules (its
 * JSON form is what views store). Several values of one filter match any of them;
 * different filters must all match. Every part is optional.
 *
 * @param ids conversation ids
 * @param statuses outcomes
 * @param from started at or after
 * @param to started before
 * @param platforms channels
 * @param flows flow ids
 * @param directions inbound, outbound
 * @param environments production, test ("Used For")
 * @param flagged flagged for review, or not
 * @param repeatContacts how many conversations the contact has
 * @param contacts contact ids
 * @param content what was said
 * @param functions functions called
 * @param tags tag key/value pairs, all or any
 * @param parameters parameter key/value pairs, all
 * @param agents AI agent ids
 * @param liveAgentHandled whether a human handled it
 * @param flagSources flagged by any of these sources (rule, user, review agent)
 * @param emotions emotions scored at least so high, all of them
 * @param signals the review signals the archive derives (turns, silences, failed
 * functions, repeated messages, the contact's conversations that day)
 * @param languages the conversation's language, any of these ISO 639-1 codes (its
 * {@code Language} tag, or detected from its words)
 * @param flowNodes passed through any of these flow nodes (a message of the conversation
 * names it)
 * @param exitNodes left the flow at any of these nodes (its last message that names a
 * node names it)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Filter(@Nullable List<String> ids, @Nullable List<Status> statuses, @Nullable Instant from,
		@Nullable Instant to, @Nullable List<Platform> platforms, @Nullable List<String> flows,
		@Nullable List<Direction> directions, @Nullable List<Environment> environments, @Nullable Boolean flagged,
		@Nullable RepeatContacts repeatContacts, @Nullable List<String> contacts, @Nullable Content content,
		@Nullable List<String> functions, @Nullable Tags tags, @Nullable List<Pair> parameters,
		@Nullable List<String> agents, @Nullable Boolean liveAgentHandled, @Nullable List<FlagSource> flagSources,
		@Nullable List<EmotionScore> emotions, @Nullable Signals signals, @Nullable List<String> languages,
		@Nullable List<String> flowNodes, @Nullable List<String> exitNodes) {

	/** The most values of one filter (a terms query takes 65,536). */
	static final int MAX_VALUES = 10_000;

	/**
	 * The most tag or parameter pairs: each is a clause of its own, and Elasticsearch
	 * takes at least 1,024 clauses in a query.
	 */
	static final int MAX_PAIRS = 500;

	/** The longest value (a term is at most 32,766 bytes of UTF-8). */
	static final int MAX_VALUE_LENGTH = 4096;

	/**
	 * No filter: every conversation.
	 */
	public static final Filter ALL = new Filter(null, null, null, null, null, null, null, null, null, null, null, null,
			null, null, null, null, null, null, null, null, null, null, null);

	/** The longest window of {@link Within}: a day. */
	static final long MAX_WITHIN_SECONDS = 86_400;

	/**
	 * A filter of every part but the language (what callers that do not filter by
	 * language build).
	 */
	public Filter(@Nullable List<String> ids, @Nullable List<Status> statuses, @Nullable Instant from,
			@Nullable Instant to, @Nullable List<Platform> platforms, @Nullable List<String> flows,
			@Nullable List<Direction> directions, @Nullable List<Environment> environments, @Nullable Boolean flagged,
			@Nullable RepeatContacts repeatContacts, @Nullable List<String> contacts, @Nullable Content content,
			@Nullable List<String> functions, @Nullable Tags tags, @Nullable List<Pair> parameters,
			@Nullable List<String> agents, @Nullable Boolean liveAgentHandled, @Nullable List<FlagSource> flagSources,
			@Nullable List<EmotionScore> emotions, @Nullable Signals signals) {
		this(ids, statuses, from, to, platforms, flows, directions, environments, flagged, repeatContacts, contacts,
				content, functions, tags, parameters, agents, liveAgentHandled, flagSources, emotions, signals, null,
				null, null);
	}

	/**
	 * A filter of every part but the flow nodes (what callers that do not filter by them
	 * build).
	 */
	public Filter(@Nullable List<String> ids, @Nullable List<Status> statuses, @Nullable Instant from,
			@Nullable Instant to, @Nullable List<Platform> platforms, @Nullable List<String> flows,
			@Nullable List<Direction> directions, @Nullable List<Environment> environments, @Nullable Boolean flagged,
			@Nullable RepeatContacts repeatContacts, @Nullable List<String> contacts, @Nullable Content content,
			@Nullable List<String> functions, @Nullable Tags tags, @Nullable List<Pair> parameters,
			@Nullable List<String> agents, @Nullable Boolean liveAgentHandled, @Nullable List<FlagSource> flagSources,
			@Nullable List<EmotionScore> emotions, @Nullable Signals signals, @Nullable List<String> languages) {
		this(ids, statuses, from, to, platforms, flows, directions, environments, flagged, repeatContacts, contacts,
				content, functions, tags, parameters, agents, liveAgentHandled, flagSources, emotions, signals,
				languages, null, null);
	}

	/**
	 * How many conversations the contact has, between {@code min} and {@code max}
	 * inclusive; either may be left out.
	 *
	 * @param min at least
	 * @param max at most
	 */
	public record RepeatContacts(@Nullable Integer min, @Nullable Integer max) {
	}

	/**
	 * The review signals of
	 * {@link org.conversationarchive.conversation.Conversation.Signals}, each part
	 * optional, all given parts to hold.
	 *
	 * @param turns how many turns (runs of messages by one side)
	 * @param longestSilenceSeconds how long the longest wait between two messages was, in
	 * seconds
	 * @param functionFailed whether a function call's result reported an error
	 * @param failedFunctions a call of any of these functions reported an error
	 * @param customerRepeated whether the customer said again what they had said
	 * @param contactDailyRank which of its contact's conversations of the 24 hours up to
	 * its start it is (1: the first; at least 2: a repeat within a day)
	 */
	@JsonInclude(JsonInclude.Include.NON_EMPTY)
	public record Signals(@Nullable Bounds turns, @Nullable Bounds longestSilenceSeconds,
			@Nullable Boolean functionFailed, @Nullable List<String> failedFunctions,
			@Nullable Boolean customerRepeated, @Nullable Bounds contactDailyRank) {

		boolean any() {
			return given(this.turns) || given(this.longestSilenceSeconds) || this.functionFailed != null
					|| (this.failedFunctions != null && !this.failedFunctions.isEmpty())
					|| this.customerRepeated != null || given(this.contactDailyRank);
		}

		private static boolean given(@Nullable Bounds bounds) {
			return bounds != null && (bounds.min() != null || bounds.max() != null);
		}

	}

	/**
	 * Between {@code min} and {@code max} inclusive; either may be left out.
	 *
	 * @param min at least
	 * @param max at most
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Bounds(@Nullable Long min, @Nullable Long max) {
	}

	/**
	 * Words or phrases said, optionally by one type of sender only, optionally in the
	 * first or last seconds of the conversation only.
	 *
	 * @param query the content query (see {@link ContentQuery})
	 * @param speaker only messages of this sender type
	 * @param within only messages this near the start or the end
	 */
	public record Content(@Nullable String query, @Nullable SenderType speaker, @Nullable Within within) {

		public Content(@Nullable String query, @Nullable SenderType speaker) {
			this(query, speaker, null);
		}

	}

	/**
	 * The first or the last seconds of a conversation: {@code first:30s},
	 * {@code last:2m}, {@code first:1h} (a bare number is seconds). The end is the
	 * conversation's end, or its last message while it goes on.
	 *
	 * @param end from the start ({@code first}) or back from the end ({@code last})
	 * @param seconds how many seconds
	 */
	public record Within(End end, long seconds) {

		private static final Pattern FORM = Pattern.compile("(first|last):(\\d{1,6})(s|m|h)?");

		/**
		 * Reads {@code first:30s}.
		 * @param value the text
		 * @return the window
		 * @throws IllegalArgumentException naming the form when it is not one
		 */
		@JsonCreator
		public static Within of(String value) {
			var matcher = FORM.matcher(value.strip().toLowerCase(Locale.ROOT));
			if (!matcher.matches()) {
				throw new IllegalArgumentException("'" + value
						+ "' is not a window of the conversation; give first:N or last:N with N in seconds, or with s, m or h, e.g. first:30s or last:2m");
			}
			long seconds = Long.parseLong(matcher.group(2))
					* switch ((matcher.group(3) != null) ? matcher.group(3) : "s") {
						case "m" -> 60;
						case "h" -> 3600;
						default -> 1;
					};
			if (seconds < 1 || seconds > MAX_WITHIN_SECONDS) {
				throw new IllegalArgumentException("'" + value + "' is " + seconds
						+ " seconds; a window is 1 second to " + MAX_WITHIN_SECONDS + " seconds (a day)");
			}
			return new Within(End.valueOf(matcher.group(1).toUpperCase(Locale.ROOT)), seconds);
		}

		@JsonValue
		@Override
		public String toString() {
			return this.end.name().toLowerCase(Locale.ROOT) + ":" + this.seconds + "s";
		}

		/**
		 * Which end of the conversation a window is at.
		 */
		public enum End {

			FIRST, LAST

		}

	}

	/**
	 * Tag pairs and whether all or any must match.
	 *
	 * @param match all (the default) or any
	 * @param pairs the pairs
	 */
	public record Tags(@Nullable TagMatch match, @Nullable List<Pair> pairs) {
	}

	/**
	 * A key and a value; the value {@code *} matches any value of the key.
	 *
	 * @param key the key
	 * @param value the value
	 */
	public record Pair(@Nullable String key, @Nullable String value) {
	}

	/**
	 * An emotion of the conversation's sentiment with a score of at least {@code min}.
	 *
	 * @param emotion the emotion, as the sentiment names it (e.g. {@code anger})
	 * @param min the least score, 0 to 1
	 */
	public record EmotionScore(@Nullable String emotion, @Nullable Double min) {

		/**
		 * Its query-string form, {@code anger:0.6}.
		 * @return the parameter's value
		 */
		public String parameter() {
			return this.emotion + ":" + this.min;
		}

	}

	/**
	 * Whether all tag pairs must match, or any.
	 */
	public enum TagMatch {

		ALL, ANY;

		@JsonValue
		public String json() {
			return org.conversationarchive.conversation.JsonEnum.json(this);
		}

		@JsonCreator
		public static TagMatch of(String value) {
			return org.conversationarchive.conversation.JsonEnum.parse(TagMatch.class, value, "tagMatch");
		}

	}

	/**
	 * Reads the JSON form strictly: an unknown field is refused, since a misspelt filter
	 * would otherwise silently match too much.
	 * @param json the mapper
	 * @param body the JSON
	 * @return the filter, validated
	 * @throws InvalidInputException naming what is wrong
	 */
	public static Filter read(JsonMapper json, byte[] body) {
		try {
			Filter filter = strictReader(json).readValue(body);
			return ((filter != null) ? filter : ALL).validated();
		}
		catch (JacksonException ex) {
			throw new InvalidInputException(JsonProblems.describe(ex));
		}
	}

	static ObjectReader strictReader(JsonMapper json) {
		return json.readerFor(Filter.class).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
	}

	/**
	 * Checks what the types cannot: ranges, bounds, the content syntax.
	 * @return this filter, or the same without signals when they have no part
	 * @throws InvalidInputException naming the part and the value
	 */
	public Filter validated() {
		values("ids", this.ids);
		values("statuses", this.statuses);
		values("platforms", this.platforms);
		values("flows", this.flows);
		values("directions", this.directions);
		values("environments", this.environments);
		values("contacts", this.contacts);
		values("functions", this.functions);
		values("agents", this.agents);
		values("flagSources", this.flagSources);
		values("flowNodes", this.flowNodes);
		values("exitNodes", this.exitNodes);
		if (this.from != null && this.to != null && this.from.isAfter(this.to)) {
			throw new InvalidInputException("parameter from: " + this.from + " is after parameter to: " + this.to
					+ "; from must not be after to");
		}
		if (this.repeatContacts != null) {
			Integer min = this.repeatContacts.min();
			Integer max = this.repeatContacts.max();
			if (min != null && min < 0) {
				throw new InvalidInputException("parameter repeatMin: " + min + " is negative");
			}
			if (max != null && max < 0) {
				throw new InvalidInputException("parameter repeatMax: " + max + " is negative");
			}
			if (min != null && max != null && min > max) {
				throw new InvalidInputException(
						"parameter repeatMin: " + min + " is greater than parameter repeatMax: " + max);
			}
		}
		if (this.content != null && this.content.query() != null && !this.content.query().isBlank()) {
			ContentQuery.parse(this.content.query());
		}
		else if (this.content != null && this.content.speaker() != null) {
			throw new InvalidInputException("parameter speaker: needs a content query (q) to apply to");
		}
		else if (this.content != null && this.content.within() != null) {
			throw new InvalidInputException("parameter within: needs a content query (q) to apply to");
		}
		if (this.languages != null) {
			values("languages", this.languages);
			for (String language : this.languages) {
				if (!language.matches("[a-z]{2}")) {
					String code = Languages.code(language);
					throw new InvalidInputException("parameter language: '" + language + "' is not a language code"
							+ ((code != null) ? "; use " + code
									: "; use the ISO 639-1 code the language facet shows, e.g. en or es"));
				}
			}
		}
		if (this.tags != null && this.tags.pairs() != null) {
			pairs("tag", this.tags.pairs());
		}
		if (this.parameters != null) {
			pairs("param", this.parameters);
		}
		if (this.emotions != null) {
			emotions(this.emotions);
		}
		if (this.signals != null) {
			bounds("turnsMin", "turnsMax", this.signals.turns());
			bounds("silenceMin", "silenceMax", this.signals.longestSilenceSeconds());
			values("failedFunction", this.signals.failedFunctions());
			bounds("dailyRankMin", "dailyRankMax", this.signals.contactDailyRank());
			if (!this.signals.any()) {
				// Signals without a part are no signals: a filter of nothing but them is
				// the empty filter.
				return new Filter(this.ids, this.statuses, this.from, this.to, this.platforms, this.flows,
						this.directions, this.environments, this.flagged, this.repeatContacts, this.contacts,
						this.content, this.functions, this.tags, this.parameters, this.agents, this.liveAgentHandled,
						this.flagSources, this.emotions, null, this.languages, this.flowNodes, this.exitNodes);
			}
		}
		return this;
	}

	/**
	 * A list's values must all be there (a null would be a term query for nothing), and
	 * within what Elasticsearch takes in a terms query and a term (longer than any value
	 * the archive stores, so nothing findable is refused).
	 */
	private static void values(String field, @Nullable List<?> values) {
		if (values == null) {
			return;
		}
		if (values.size() > MAX_VALUES) {
			throw new InvalidInputException(
					field + ": " + values.size() + " values; at most " + MAX_VALUES + " are allowed");
		}
		for (int i = 0; i < values.size(); i++) {
			Object value = values.get(i);
			if (value == null) {
				throw new InvalidInputException(field + "[" + i + "]: null is not a value; leave it out");
			}
			length(field + "[" + i + "]", value.toString());
		}
	}

	/**
	 * A range's ends are named as the query string names them, which the JSON form's
	 * {@code min} and {@code max} of the signal stand for.
	 */
	private static void bounds(String minName, String maxName, @Nullable Bounds bounds) {
		if (bounds == null) {
			return;
		}
		if (bounds.min() != null && bounds.min() < 0) {
			throw new InvalidInputException("parameter " + minName + ": " + bounds.min() + " is negative");
		}
		if (bounds.max() != null && bounds.max() < 0) {
			throw new InvalidInputException("parameter " + maxName + ": " + bounds.max() + " is negative");
		}
		if (bounds.min() != null && bounds.max() != null && bounds.min() > bounds.max()) {
			throw new InvalidInputException("parameter " + minName + ": " + bounds.min() + " is greater than parameter "
					+ maxName + ": " + bounds.max());
		}
	}

	private static void length(String field, String value) {
		if (value.length() > MAX_VALUE_LENGTH) {
			throw new InvalidInputException(
					field + ": " + value.length() + " characters; at most " + MAX_VALUE_LENGTH + " are allowed");
		}
	}

	private static void pairs(String parameter, List<Pair> pairs) {
		if (pairs.size() > MAX_PAIRS) {
			throw new InvalidInputException(
					"parameter " + parameter + ": " + pairs.size() + " pairs; at most " + MAX_PAIRS + " are allowed");
		}
		pairs.forEach((pair) -> checkPair(parameter, pair));
	}

	private static void checkPair(String parameter, @Nullable Pair pair) {
		if (pair == null || pair.key() == null || pair.key().isBlank() || pair.value() == null) {
			throw new InvalidInputException("parameter " + parameter
					+ ": each pair needs a key and a value (key:value, or key:* for any value)");
		}
		length("parameter " + parameter + " key", pair.key());
		length("parameter " + parameter + " value", pair.value());
	}

	/**
	 * Each emotion filter is a nested clause of its own, as each pair is.
	 */
	private static void emotions(List<EmotionScore> emotions) {
		if (emotions.size() > MAX_PAIRS) {
			throw new InvalidInputException(
					"parameter emotion: " + emotions.size() + " emotions; at most " + MAX_PAIRS + " are allowed");
		}
		for (EmotionScore score : emotions) {
			if (score == null || score.emotion() == null || score.emotion().isBlank() || score.min() == null) {
				throw new InvalidInputException(
						"parameter emotion: each needs an emotion and a least score (emotion:min, e.g. anger:0.6)");
			}
			length("parameter emotion", score.emotion());
			if (!(score.min() >= 0 && score.min() <= 1)) {
				throw new InvalidInputException("parameter emotion: the least score of '" + score.emotion() + "', "
						+ score.min() + ", is not between 0 and 1");
			}
		}
	}

	/**
	 * The same filter over other start times: what analytics asks of a view and a request
	 * for the period before theirs.
	 * @param from started at or after, or {@code null}
	 * @param to started before, or {@code null}
	 * @return a copy with that range
	 */
	public Filter between(@Nullable Instant from, @Nullable Instant to) {
		return new Filter(this.ids, this.statuses, from, to, this.platforms, this.flows, this.directions,
				this.environments, this.flagged, this.repeatContacts, this.contacts, this.content, this.functions,
				this.tags, this.parameters, this.agents, this.liveAgentHandled, this.flagSources, this.emotions,
				this.signals, this.languages, this.flowNodes, this.exitNodes);
	}

	/**
	 * The parsed content query, if there is one.
	 * @return the query, or {@code null}
	 */
	public @Nullable ContentQuery contentQuery() {
		return (this.content != null && this.content.query() != null && !this.content.query().isBlank())
				? ContentQuery.parse(this.content.query()) : null;
	}

}
