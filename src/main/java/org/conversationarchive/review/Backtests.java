package org.conversationarchive.review;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import co.elastic.clients.elasticsearch._types.aggregations.FieldDateMath;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregate;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregation;
import co.elastic.clients.elasticsearch._types.aggregations.CalendarInterval;
import co.elastic.clients.elasticsearch._types.aggregations.DateHistogramBucket;
import co.elastic.clients.elasticsearch._types.aggregations.StringTermsBucket;
import org.conversationarchive.conversation.ConversationSearches;
import org.conversationarchive.conversation.ConversationSearches.Aggregated;
import org.conversationarchive.conversation.ConversationSearches.Aggregating;
import org.conversationarchive.conversation.FlagSource;
import org.conversationarchive.search.ConversationQueries;
import org.conversationarchive.search.ConversationSearch;
import org.conversationarchive.search.Filter;
import org.conversationarchive.search.SearchRow;
import org.conversationarchive.search.SearchSort;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * What a rule would have done over a window of history: the very search the rule runs,
 * restricted to conversations started in the window, counted per day, with a sample of
 * what it finds and how much of it is flagged already.
 */
@Component
class Backtests {

	static final int SAMPLE = 10;

	private final ConversationQueries queries;

	private final ConversationSearches searches;

	private final ConversationSearch search;

	Backtests(ConversationQueries queries, ConversationSearches searches, ConversationSearch search) {
		this.queries = queries;
		this.searches = searches;
		this.search = search;
	}

	/**
	 * A rule's backtest.
	 *
	 * @param from the window's start (inclusive)
	 * @param to its end (exclusive)
	 * @param timeZone the zone its days are in
	 * @param total conversations the rule finds in the window
	 * @param perDay those per day, every day of the window listed
	 * @param sample some of them, with the hits highlighted
	 * @param overlap how many of them are flagged already, by whom
	 * @param notifications the notifications it would have sent in all (one per
	 * conversation flagged, when the rule notifies)
	 * @param notificationsPerDay those per day
	 */
	record Backtest(Instant from, Instant to, String timeZone, long total, List<Day> perDay, List<SearchRow> sample,
			Overlap overlap, long notifications, List<Day> notificationsPerDay) {
	}

	record Day(LocalDate day, long count) {
	}

	/**
	 * Conversations the rule finds that are flagged already.
	 *
	 * @param flagged those flagged, by any source
	 * @param bySource those with a flag of each source (one conversation may count under
	 * several)
	 */
	record Overlap(long flagged, Map<String, Long> bySource) {
	}

	Backtest run(String org, Filter filter, Rule.Actions actions, Instant from, Instant to, ZoneId zone)
			throws IOException {
		List<Filter> filters = List.of(filter, Filter.ALL.between(from, to));
		Map<String, Aggregation> aggregations = new LinkedHashMap<>();
		aggregations.put("days",
				Aggregation.of((agg) -> agg.dateHistogram((histogram) -> histogram.field("startedAt")
					.calendarInterval(CalendarInterval.Day)
					.timeZone(zone.getId())
					.minDocCount(0)
					.extendedBounds((bounds) -> bounds.min(FieldDateMath.of((min) -> min.value(from.toEpochMilli())))
						.max(FieldDateMath.of((max) -> max.value(to.toEpochMilli() - 1)))))));
		aggregations.put("flagged",
				Aggregation.of((agg) -> agg.filter((only) -> only.term((term) -> term.field("flagged").value(true)))));
		aggregations.put("sources", Aggregation
			.of((agg) -> agg.terms((terms) -> terms.field("flags.source").size(FlagSource.values().length))));
		Aggregated counted = this.searches
			.aggregate(org, List.of(new Aggregating(this.queries.filter(org, filters), aggregations)))
			.get(0);
		List<Day> perDay = days(counted.aggregations().get("days"), from, to, zone);
		SearchSort sort = (filter.contentQuery() != null) ? SearchSort.parse("relevance") : SearchSort.DEFAULT;
		List<SearchRow> sample = this.search.search(org, filters, sort, SAMPLE, null).items();
		List<Day> notifications = actions.notifies() ? perDay
				: perDay.stream().map((day) -> new Day(day.day(), 0)).toList();
		return new Backtest(from, to, zone.getId(), counted.total(), perDay, sample, overlap(counted.aggregations()),
				actions.notifies() ? counted.total() : 0, notifications);
	}

	private static List<Day> days(@Nullable Aggregate histogram, Instant from, Instant to, ZoneId zone) {
		TreeMap<LocalDate, Long> counts = new TreeMap<>();
		LocalDate last = to.minus(1, ChronoUnit.MILLIS).atZone(zone).toLocalDate();
		for (LocalDate day = from.atZone(zone).toLocalDate(); !day.isAfter(last); day = day.plusDays(1)) {
			counts.put(day, 0L);
		}
		if (histogram != null && histogram.isDateHistogram()) {
			for (DateHistogramBucket bucket : histogram.dateHistogram().buckets().array()) {
				counts.merge(Instant.ofEpochMilli(bucket.key()).atZone(zone).toLocalDate(), bucket.docCount(),
						Long::sum);
			}
		}
		List<Day> days = new ArrayList<>(counts.size());
		counts.forEach((day, count) -> days.add(new Day(day, count)));
		return days;
	}

	private static Overlap overlap(Map<String, Aggregate> found) {
		Aggregate flagged = found.get("flagged");
		Map<String, Long> bySource = new LinkedHashMap<>();
		for (FlagSource source : FlagSource.values()) {
			bySource.put(source.json(), 0L);
		}
		Aggregate sources = found.get("sources");
		if (sources != null && sources.isSterms()) {
			for (StringTermsBucket bucket : sources.sterms().buckets().array()) {
				bySource.put(bucket.key().stringValue(), bucket.docCount());
			}
		}
		return new Overlap((flagged != null && flagged.isFilter()) ? flagged.filter().docCount() : 0, bySource);
	}

}
