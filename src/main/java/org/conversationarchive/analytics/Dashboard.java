package org.conversationarchive.analytics;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * What the filtered conversations add up to: the analytics API's answer. Counts are of
 * conversations unless said otherwise; shares are of {@code total}.
 *
 * @param total how many conversations match, exactly
 * @param range the start times counted: as asked, or the first and last start (plus a
 * millisecond) of the matching conversations; {@code null} when none match and the range
 * was not given whole
 * @param tz the time zone of the buckets
 * @param interval the buckets' width
 * @param split what the volume is split by, or {@code null}
 * @param volume every bucket of the range, in order
 * @param duration durations in seconds
 * @param turns messages per conversation
 * @param outcomes each status there is, most first
 * @param handoff handled by a live agent
 * @param abandoned with status abandoned
 * @param resolvedWithoutHuman completed without a live agent
 * @param flags flagged conversations, and conversations with flags by source and reason
 * @param functions the functions most conversations called
 * @param tags the tag keys most conversations have, with their commonest values
 * @param parameters the parameter keys most conversations have
 * @param contacts the contacts with the most conversations
 * @param repeatContacts contacts by how many of the conversations they have
 * @param repeatContactsApproximate whether some contacts were left out of
 * {@code repeatContacts} (more contacts than are counted one by one)
 * @param sentiment each emotion, most conversations first
 * @param previous the same figures for the period of the same length before the range, or
 * {@code null} without a whole range
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
record Dashboard(long total, @Nullable Period range, String tz, String interval, @Nullable String split,
		List<VolumeBucket> volume, Durations duration, Turns turns, List<Outcome> outcomes, Share handoff,
		Share abandoned, Share resolvedWithoutHuman, Flags flags, List<Counted> functions,
		Map<String, List<Counted>> tags, List<Counted> parameters, List<ContactCount> contacts,
		List<RepeatRange> repeatContacts, boolean repeatContactsApproximate, List<Emotion> sentiment,
		@Nullable Previous previous) {

	/**
	 * Start times from {@code from} (inclusive) to {@code to} (exclusive).
	 */
	record Period(Instant from, Instant to) {
	}

	/**
	 * A bucket of the volume.
	 *
	 * @param start its start, the local start of its hour, day, week or month
	 * @param count conversations that started in it
	 * @param split by the split's values, the rest as {@code other}; empty without a
	 * split
	 */
	record VolumeBucket(Instant start, long count, Map<String, Long> split) {
	}

	/**
	 * Durations in seconds: percentiles (approximate, as Elasticsearch estimates them)
	 * and a histogram.
	 */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	record Durations(@Nullable Double p50, @Nullable Double p90, @Nullable Double p99, boolean approximate,
			List<Band> histogram) {
	}

	/**
	 * Messages per conversation: the exact average, approximate percentiles and a
	 * histogram.
	 */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	record Turns(@Nullable Double average, @Nullable Double p50, @Nullable Double p90, boolean approximate,
			List<Band> histogram) {
	}

	/**
	 * A histogram's bar: values from {@code from} (inclusive) to {@code to} (exclusive;
	 * {@code null} for no end).
	 */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	record Band(long from, @Nullable Long to, long count) {
	}

	/**
	 * A status and its conversations.
	 */
	record Outcome(String value, long count, double share) {
	}

	/**
	 * Conversations and their share of the total.
	 */
	record Share(long count, double share) {
	}

	/**
	 * Flagged conversations ({@code flagged}, as the table's filter reads it), and the
	 * conversations with at least one flag of each source and of each reason.
	 */
	record Flags(long count, double rate, List<Counted> bySource, List<Counted> byReason) {
	}

	/**
	 * A value and the conversations that have it.
	 */
	record Counted(String value, long count) {
	}

	/**
	 * A contact (by id), its name where known, and its conversations.
	 */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	record ContactCount(String value, @Nullable String label, long count) {
	}

	/**
	 * How many contacts have a number of the conversations in a range: {@code 1},
	 * {@code 2}, {@code 3-5}, {@code 6-10}, {@code 11+}.
	 */
	record RepeatRange(String range, long contacts) {
	}

	/**
	 * An emotion: the conversations with it, their share, its average score (over the
	 * conversations written since scores are indexed apart), and its conversations per
	 * bucket of the volume.
	 */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	record Emotion(String emotion, long count, double share, @Nullable Double averageScore, List<Point> trend) {
	}

	/**
	 * Conversations in a bucket of the volume.
	 */
	record Point(Instant start, long count) {
	}

	/**
	 * The previous period's figures, for deltas.
	 */
	record Previous(Period range, long total, List<Outcome> outcomes, Share handoff, Share abandoned,
			Share resolvedWithoutHuman, Flags flags, Durations duration, Turns turns) {
	}

}
