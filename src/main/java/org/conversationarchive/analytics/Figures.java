package org.conversationarchive.analytics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import co.elastic.clients.elasticsearch._types.aggregations.Aggregate;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregation;
import co.elastic.clients.elasticsearch._types.aggregations.AggregationRange;
import co.elastic.clients.elasticsearch._types.aggregations.DateHistogramBucket;
import co.elastic.clients.elasticsearch._types.aggregations.FieldDateMath;
import co.elastic.clients.elasticsearch._types.aggregations.LongTermsBucket;
import co.elastic.clients.elasticsearch._types.aggregations.Percentiles;
import co.elastic.clients.elasticsearch._types.aggregations.RangeBucket;
import co.elastic.clients.elasticsearch._types.aggregations.StringTermsBucket;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import org.conversationarchive.analytics.Dashboard.Band;
import org.conversationarchive.analytics.Dashboard.ContactCount;
import org.conversationarchive.analytics.Dashboard.Counted;
import org.conversationarchive.analytics.Dashboard.Durations;
import org.conversationarchive.analytics.Dashboard.Emotion;
import org.conversationarchive.analytics.Dashboard.Flags;
import org.conversationarchive.analytics.Dashboard.Outcome;
import org.conversationarchive.analytics.Dashboard.Point;
import org.conversationarchive.analytics.Dashboard.Share;
import org.conversationarchive.analytics.Dashboard.Turns;
import org.conversationarchive.analytics.Dashboard.VolumeBucket;
import org.jspecify.annotations.Nullable;

/**
 * The aggregations behind each figure, and the figures read from their answers. An
 * aggregation missing from an answer (no conversation index yet) reads as no
 * conversations.
 */
final class Figures {

	/** Durations' histogram edges, in seconds; the last bar has no end. */
	static final long[] DURATION_EDGES = { 0, 30, 60, 120, 300, 600, 1200, 1800, 3600 };

	/** Turns' histogram edges, in messages; the last bar has no end. */
	static final long[] TURN_EDGES = { 0, 1, 2, 3, 5, 10, 20, 50 };

	/** The split values shown apart; the rest are {@link #OTHER}. */
	static final int SPLIT_VALUES = 10;

	static final String OTHER = "other";

	static final int FUNCTIONS = 20;

	static final int TAG_KEYS = 10;

	static final int TAG_VALUES = 10;

	static final int PARAMETER_KEYS = 20;

	static final int CONTACTS = 10;

	static final int EMOTIONS = 20;

	static final int FLAG_REASONS = 20;

	/** Every status there is, and more: the outcomes' counts are exact. */
	private static final int STATUSES = 20;

	private static final String STARTED_AT = "startedAt";

	private Figures() {
	}

	/**
	 * What the range, the tag keys and the repeat contacts need to know first: the first
	 * and last start, the commonest tag keys, and every contact's conversations (busiest
	 * first, up to a number, and how many there are).
	 * @param countedContacts the contacts counted one by one
	 * @return the aggregations
	 */
	static Map<String, Aggregation> scope(int countedContacts) {
		Map<String, Aggregation> scope = new LinkedHashMap<>();
		scope.put("first", Aggregation.of((agg) -> agg.min((min) -> min.field(STARTED_AT))));
		scope.put("last", Aggregation.of((agg) -> agg.max((max) -> max.field(STARTED_AT))));
		scope.put("tagKeys", terms("tagKeys", TAG_KEYS));
		// One shard's own top contacts at most, so that no shard sends more buckets
		// than the search may answer.
		scope.put("repeatContacts", Aggregation.of((agg) -> agg
			.terms((terms) -> terms.field("contact.id").size(countedContacts).shardSize(countedContacts))));
		// Counts exactly up to 40,000 contacts (Elasticsearch's most), estimates beyond.
		scope.put("contacts", Aggregation
			.of((agg) -> agg.cardinality((cardinality) -> cardinality.field("contact.id").precisionThreshold(40_000))));
		return scope;
	}

	/**
	 * The figures both periods have: durations, turns, outcomes, flags.
	 * @return the aggregations
	 */
	static Map<String, Aggregation> compared() {
		Map<String, Aggregation> compared = new LinkedHashMap<>();
		compared.put("durations", percentiles("durationSeconds", 50.0, 90.0, 99.0));
		compared.put("durationBands", bands("durationSeconds", DURATION_EDGES));
		// Conversations written before messageCount existed lack it (no reindex): turns
		// are those of the conversations written since.
		compared.put("turnsAverage", Aggregation.of((agg) -> agg.avg((avg) -> avg.field("messageCount"))));
		compared.put("turns", percentiles("messageCount", 50.0, 90.0));
		compared.put("turnBands", bands("messageCount", TURN_EDGES));
		compared.put("outcomes", terms("status", STATUSES));
		compared.put("handoff", filter(term("liveAgentHandled", true)));
		compared.put("resolvedWithoutHuman", filter(Query.of((query) -> query
			.bool((bool) -> bool.filter(term("status", "completed")).mustNot(term("liveAgentHandled", true))))));
		compared.put("flagged", filter(term("flagged", true)));
		compared.put("flagSources", terms("flags.source", STATUSES));
		// Reasons longer than the keyword keeps (256 characters) are not counted by
		// reason.
		compared.put("flagReasons", terms("flags.reason.keyword", FLAG_REASONS));
		return compared;
	}

	/**
	 * Every figure of the range.
	 * @param frame the range's buckets
	 * @param split what the volume is split by, or {@code null}
	 * @param tagKeys the tag keys whose values are counted
	 * @return the aggregations
	 */
	static Map<String, Aggregation> current(Frame frame, @Nullable Split split, List<String> tagKeys) {
		Map<String, Aggregation> current = compared();
		current.put("volume", histogram(frame));
		if (split != null) {
			// The split's commonest values over the whole range, each with its own
			// volume, so that every bucket shows the same values.
			current.put("split",
					Aggregation.of((agg) -> agg.terms((terms) -> terms.field(split.field()).size(SPLIT_VALUES))
						.aggregations("volume", histogram(frame))));
		}
		current.put("functions", terms("functions", FUNCTIONS));
		for (int i = 0; i < tagKeys.size(); i++) {
			current.put("tag" + i, terms("tags." + tagKeys.get(i), TAG_VALUES));
		}
		current.put("parameters", terms("parameterKeys", PARAMETER_KEYS));
		current.put("contacts", Aggregation.of((agg) -> agg.terms((terms) -> terms.field("contact.id").size(CONTACTS))
			.aggregations("name", terms("contact.name", 1))));
		current.put("sentiment",
				Aggregation.of((agg) -> agg.terms((terms) -> terms.field("sentiment.emotion").size(EMOTIONS))
					.aggregations("trend", histogram(frame))));
		// In sentiment a conversation's emotions and scores are flattened together:
		// scores are averaged per emotion on their nested copies.
		current.put("emotionScores",
				Aggregation.of((agg) -> agg.nested((nested) -> nested.path("emotionScores"))
					.aggregations("emotion", (emotion) -> emotion
						.terms((terms) -> terms.field("emotionScores.emotion").size(EMOTIONS * 5))
						.aggregations("score", (score) -> score.avg((avg) -> avg.field("emotionScores.score"))))));
		return current;
	}

	private static Aggregation histogram(Frame frame) {
		return Aggregation
			.of((agg) -> agg.dateHistogram((histogram) -> histogram.field(STARTED_AT)
				.calendarInterval(frame.interval().calendar)
				.timeZone(frame.zone().getId())
				.minDocCount(0)
				.extendedBounds((bounds) -> bounds
					.min(FieldDateMath.of((from) -> from.value(frame.range().from().toEpochMilli())))
					.max(FieldDateMath.of((to) -> to.value(frame.range().to().toEpochMilli() - 1))))));
	}

	private static Aggregation terms(String field, int size) {
		return Aggregation.of((agg) -> agg.terms((terms) -> terms.field(field).size(size)));
	}

	private static Aggregation percentiles(String field, Double... percents) {
		return Aggregation
			.of((agg) -> agg.percentiles((percentiles) -> percentiles.field(field).percents(List.of(percents))));
	}

	private static Aggregation bands(String field, long[] edges) {
		List<AggregationRange> ranges = new ArrayList<>(edges.length);
		for (int i = 0; i < edges.length; i++) {
			Double from = (double) edges[i];
			Double to = (i + 1 < edges.length) ? (double) edges[i + 1] : null;
			ranges.add(AggregationRange.of((range) -> range.from(from).to(to)));
		}
		return Aggregation.of((agg) -> agg.range((range) -> range.field(field).ranges(ranges)));
	}

	private static Aggregation filter(Query query) {
		return Aggregation.of((agg) -> agg.filter(query));
	}

	private static Query term(String field, String value) {
		return Query.of((query) -> query.term((term) -> term.field(field).value(value)));
	}

	private static Query term(String field, boolean value) {
		return Query.of((query) -> query.term((term) -> term.field(field).value(value)));
	}

	/**
	 * The volume: every bucket of the frame, split when asked. A value of a split counts
	 * in each bucket its conversations are in; {@code other} is the rest of the bucket
	 * (conversations with none of the values shown, or no value), shown when the range
	 * has any.
	 * @param found the range's aggregations
	 * @param frame the range's buckets
	 * @param split whether the volume is split
	 * @return the buckets in order
	 */
	static List<VolumeBucket> volume(Map<String, Aggregate> found, Frame frame, boolean split) {
		TreeMap<Long, Long> counts = histogram(found.get("volume"), frame);
		Map<String, TreeMap<Long, Long>> values = new LinkedHashMap<>();
		forEachBucket(found.get("split"),
				(value, count, sub) -> values.put(value, histogram(sub.get("volume"), frame)));
		Map<Long, Long> others = new TreeMap<>();
		boolean other = false;
		for (Map.Entry<Long, Long> bucket : counts.entrySet()) {
			long rest = bucket.getValue();
			for (TreeMap<Long, Long> value : values.values()) {
				rest -= value.getOrDefault(bucket.getKey(), 0L);
			}
			// A conversation with several of the values shown (a tag's list) counts in
			// each: never less than none.
			others.put(bucket.getKey(), Math.max(0, rest));
			other |= split && rest > 0;
		}
		List<VolumeBucket> volume = new ArrayList<>(counts.size());
		for (Map.Entry<Long, Long> bucket : counts.entrySet()) {
			Map<String, Long> byValue = new LinkedHashMap<>();
			values.forEach((value, histogram) -> byValue.put(value, histogram.getOrDefault(bucket.getKey(), 0L)));
			if (other) {
				byValue.merge(OTHER, others.get(bucket.getKey()), Long::sum);
			}
			volume.add(new VolumeBucket(Instant.ofEpochMilli(bucket.getKey()), bucket.getValue(), byValue));
		}
		return volume;
	}

	/**
	 * A date histogram's counts by bucket start, every bucket of the frame included.
	 */
	private static TreeMap<Long, Long> histogram(@Nullable Aggregate histogram, Frame frame) {
		TreeMap<Long, Long> counts = new TreeMap<>();
		frame.starts().forEach((start) -> counts.put(start.toEpochMilli(), 0L));
		if (histogram != null && histogram.isDateHistogram()) {
			for (DateHistogramBucket bucket : histogram.dateHistogram().buckets().array()) {
				counts.merge(bucket.key(), bucket.docCount(), Long::sum);
			}
		}
		return counts;
	}

	static Durations durations(Map<String, Aggregate> found) {
		Map<Double, Double> percentiles = percentiles(found.get("durations"));
		return new Durations(percentiles.get(50.0), percentiles.get(90.0), percentiles.get(99.0), true,
				bands(found.get("durationBands"), DURATION_EDGES));
	}

	static Turns turns(Map<String, Aggregate> found) {
		Map<Double, Double> percentiles = percentiles(found.get("turns"));
		Aggregate average = found.get("turnsAverage");
		Double mean = (average != null && average.isAvg()) ? number(average.avg().value()) : null;
		return new Turns(mean, percentiles.get(50.0), percentiles.get(90.0), true,
				bands(found.get("turnBands"), TURN_EDGES));
	}

	private static Map<Double, Double> percentiles(@Nullable Aggregate aggregate) {
		Map<Double, Double> values = new TreeMap<>();
		if (aggregate == null || !aggregate.isTdigestPercentiles()) {
			return values;
		}
		Percentiles percentiles = aggregate.tdigestPercentiles().values();
		if (percentiles.isKeyed()) {
			percentiles.keyed().forEach((percent, value) -> {
				Double number = (value != null) ? number(Double.parseDouble(value)) : null;
				if (number != null) {
					values.put(Double.parseDouble(percent), number);
				}
			});
		}
		else {
			percentiles.array().forEach((item) -> {
				if (item.value() != null && number(item.value()) != null) {
					values.put(item.key(), item.value());
				}
			});
		}
		return values;
	}

	private static @Nullable Double number(@Nullable Double value) {
		return (value == null || value.isNaN() || value.isInfinite()) ? null : value;
	}

	private static List<Band> bands(@Nullable Aggregate aggregate, long[] edges) {
		Map<Long, Long> counts = new TreeMap<>();
		if (aggregate != null && aggregate.isRange()) {
			for (RangeBucket bucket : aggregate.range().buckets().array()) {
				if (bucket.from() != null) {
					counts.put(bucket.from().longValue(), bucket.docCount());
				}
			}
		}
		List<Band> bands = new ArrayList<>(edges.length);
		for (int i = 0; i < edges.length; i++) {
			bands.add(new Band(edges[i], (i + 1 < edges.length) ? edges[i + 1] : null,
					counts.getOrDefault(edges[i], 0L)));
		}
		return bands;
	}

	static List<Outcome> outcomes(Map<String, Aggregate> found, long total) {
		List<Outcome> outcomes = new ArrayList<>();
		forEachBucket(found.get("outcomes"),
				(value, count, sub) -> outcomes.add(new Outcome(value, count, share(count, total))));
		return outcomes;
	}

	static Share abandoned(Map<String, Aggregate> found, long total) {
		long count = 0;
		for (Outcome outcome : outcomes(found, total)) {
			if (outcome.value().equals("abandoned")) {
				count = outcome.count();
			}
		}
		return new Share(count, share(count, total));
	}

	static Share filtered(Map<String, Aggregate> found, String name, long total) {
		Aggregate filter = found.get(name);
		long count = (filter != null && filter.isFilter()) ? filter.filter().docCount() : 0;
		return new Share(count, share(count, total));
	}

	static Flags flags(Map<String, Aggregate> found, long total) {
		Share flagged = filtered(found, "flagged", total);
		return new Flags(flagged.count(), flagged.share(), counted(found.get("flagSources")),
				counted(found.get("flagReasons")));
	}

	static double share(long count, long total) {
		return (total > 0) ? (double) count / total : 0;
	}

	/**
	 * A terms aggregation's values and their conversations, commonest first.
	 * @param terms the aggregation, or {@code null}
	 * @return the values
	 */
	static List<Counted> counted(@Nullable Aggregate terms) {
		List<Counted> counted = new ArrayList<>();
		forEachBucket(terms, (value, count, sub) -> counted.add(new Counted(value, count)));
		return counted;
	}

	static List<ContactCount> contacts(Map<String, Aggregate> found) {
		List<ContactCount> contacts = new ArrayList<>();
		forEachBucket(found.get("contacts"), (value, count, sub) -> {
			List<Counted> names = counted(sub.get("name"));
			contacts.add(new ContactCount(value, names.isEmpty() ? null : names.get(0).value(), count));
		});
		return contacts;
	}

	/**
	 * Each emotion: its conversations and their share, its average score, and its
	 * conversations in each bucket of the frame.
	 */
	static List<Emotion> sentiment(Map<String, Aggregate> found, long total, Frame frame) {
		Map<String, Double> scores = new LinkedHashMap<>();
		Aggregate nested = found.get("emotionScores");
		if (nested != null && nested.isNested()) {
			forEachBucket(nested.nested().aggregations().get("emotion"), (emotion, count, sub) -> {
				Aggregate score = sub.get("score");
				Double average = (score != null && score.isAvg()) ? number(score.avg().value()) : null;
				if (average != null) {
					// Scores are stored as floats: digits beyond their precision are
					// noise.
					scores.put(emotion, Math.round(average * 1e6) / 1e6);
				}
			});
		}
		List<Emotion> sentiment = new ArrayList<>();
		forEachBucket(found.get("sentiment"), (emotion, count, sub) -> {
			List<Point> trend = new ArrayList<>();
			histogram(sub.get("trend"), frame)
				.forEach((start, inBucket) -> trend.add(new Point(Instant.ofEpochMilli(start), inBucket)));
			sentiment.add(new Emotion(emotion, count, share(count, total), scores.get(emotion), trend));
		});
		return sentiment;
	}

	/**
	 * Contacts by their conversations: the counted contacts' (busiest first), the
	 * conversations of those not counted, and how many there are.
	 * @param found the aggregations of {@link #scope}
	 * @return the ranges
	 */
	static RepeatContacts.Tally repeatContacts(Map<String, Aggregate> found) {
		Aggregate terms = found.get("repeatContacts");
		List<Long> counts = new ArrayList<>();
		forEachBucket(terms, (value, count, sub) -> counts.add(count));
		long uncounted = (terms != null && terms.isSterms() && terms.sterms().sumOtherDocCount() != null)
				? terms.sterms().sumOtherDocCount() : 0;
		Aggregate contacts = found.get("contacts");
		long all = (contacts != null && contacts.isCardinality()) ? contacts.cardinality().value() : counts.size();
		return RepeatContacts.tally(counts, uncounted, all);
	}

	/**
	 * The value of a min or max aggregation as an instant.
	 * @param found the aggregations
	 * @param name the aggregation's name
	 * @return the instant, or {@code null} when nothing was aggregated
	 */
	static @Nullable Instant instant(Map<String, Aggregate> found, String name) {
		Aggregate aggregate = found.get(name);
		Double value = null;
		if (aggregate != null && aggregate.isMin()) {
			value = number(aggregate.min().value());
		}
		else if (aggregate != null && aggregate.isMax()) {
			value = number(aggregate.max().value());
		}
		return (value != null) ? Instant.ofEpochMilli(value.longValue()) : null;
	}

	/**
	 * Each bucket of a terms aggregation, whatever the type of its keys (booleans as
	 * {@code true} and {@code false}); an unmapped field has none.
	 */
	private static void forEachBucket(@Nullable Aggregate terms, TermsBucket each) {
		if (terms == null) {
			return;
		}
		if (terms.isSterms()) {
			for (StringTermsBucket bucket : terms.sterms().buckets().array()) {
				each.accept(bucket.key().stringValue(), bucket.docCount(), bucket.aggregations());
			}
		}
		else if (terms.isLterms()) {
			for (LongTermsBucket bucket : terms.lterms().buckets().array()) {
				String key = (bucket.keyAsString() != null) ? bucket.keyAsString() : Long.toString(bucket.key());
				each.accept(key, bucket.docCount(), bucket.aggregations());
			}
		}
	}

	@FunctionalInterface
	private interface TermsBucket {

		void accept(String value, long count, Map<String, Aggregate> aggregations);

	}

}
