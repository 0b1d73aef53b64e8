package org.conversationarchive.analytics;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import co.elastic.clients.elasticsearch._types.aggregations.Aggregate;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import org.conversationarchive.analytics.Dashboard.Counted;
import org.conversationarchive.analytics.Dashboard.Period;
import org.conversationarchive.analytics.Dashboard.Previous;
import org.conversationarchive.conversation.ConversationSearches;
import org.conversationarchive.conversation.ConversationSearches.Aggregated;
import org.conversationarchive.conversation.ConversationSearches.Aggregating;
import org.conversationarchive.search.ConversationQueries;
import org.conversationarchive.search.Filter;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * Computes an org's analytics for a filter: every figure by aggregations, no conversation
 * fetched.
 * <p>
 * Two requests, each a {@code _msearch}. The first finds what the second depends on: the
 * first and last start (the range when none is given), the commonest tag keys (whose
 * values the second counts), and, as they need nothing else, the repeat contacts and the
 * previous period. The previous period is a search of its own rather than a filter
 * aggregation beside the range's: its figures are the range's aggregations on another
 * query, and the range's total stays the search's exact total. The second counts every
 * figure of the range.
 */
@Component
class Analytics {

	private final ConversationSearches searches;

	private final ConversationQueries queries;

	private final AnalyticsSettings settings;

	Analytics(ConversationSearches searches, ConversationQueries queries, AnalyticsSettings settings) {
		this.searches = searches;
		this.queries = queries;
		this.settings = settings;
	}

	/**
	 * The analytics of an org's conversations that match a question's filters.
	 * @param org the org
	 * @param question what is asked
	 * @return the figures
	 * @throws IOException when Elasticsearch cannot be reached
	 * @throws org.conversationarchive.system.InvalidInputException when the range would
	 * have too many buckets
	 */
	Dashboard answer(String org, Question question) throws IOException {
		return answer(org, question, (searches) -> this.searches.aggregate(org, searches));
	}

	/**
	 * The Elasticsearch requests {@link #answer} sends for a question now, as JSON. The
	 * second depends on what the first finds (the range, the tag keys): the first is run
	 * to tell it.
	 * @param org the org
	 * @param question what is asked
	 * @return {@code {"roundTrips"}}: each {@code _msearch} as
	 * {@link ConversationSearches#explainAggregate} tells it, in order (one when there is
	 * nothing to count)
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	Map<String, Object> explain(String org, Question question) throws IOException {
		List<Map<String, Object>> roundTrips = new ArrayList<>(2);
		answer(org, question, (searches) -> {
			roundTrips.add(this.searches.explainAggregate(org, searches));
			return this.searches.aggregate(org, searches);
		});
		return Map.of("roundTrips", roundTrips);
	}

	private Dashboard answer(String org, Question question, RoundTrip send) throws IOException {
		Instant from = null;
		Instant to = null;
		for (Filter filter : question.filters()) {
			if (filter.from() != null && (from == null || filter.from().isAfter(from))) {
				from = filter.from();
			}
			if (filter.to() != null && (to == null || filter.to().isBefore(to))) {
				to = filter.to();
			}
		}
		Period given = null;
		Frame frame = null;
		if (from != null && to != null) {
			// A view's range and the request's that do not overlap: an empty range.
			given = new Period(from, to.isBefore(from) ? from : to);
			// Too many buckets is refused before anything runs.
			frame = Frame.of(given, question.interval(), question.zone());
		}
		Query query = this.queries.filter(org, question.filters());
		List<Aggregating> first = new ArrayList<>(2);
		first.add(new Aggregating(query, Figures.scope(this.settings.countedContacts())));
		Period before = null;
		if (given != null && given.from().isBefore(given.to())) {
			before = new Period(given.from().minus(Duration.between(given.from(), given.to())), given.from());
			List<Filter> previous = new ArrayList<>();
			for (Filter filter : question.filters()) {
				previous.add(filter.between(null, null));
			}
			previous.add(Filter.ALL.between(before.from(), before.to()));
			first.add(new Aggregating(this.queries.filter(org, previous), Figures.compared()));
		}
		List<Aggregated> found = send.aggregate(first);
		Aggregated scope = found.get(0);
		Previous previous = (before != null) ? previous(before, found.get(1)) : null;
		RepeatContacts.Tally repeat = Figures.repeatContacts(scope.aggregations());
		Period range = given;
		Instant firstStart = Figures.instant(scope.aggregations(), "first");
		Instant lastStart = Figures.instant(scope.aggregations(), "last");
		if (range == null && scope.total() > 0 && firstStart != null && lastStart != null) {
			range = new Period((from != null) ? from : firstStart, (to != null) ? to : lastStart.plusMillis(1));
			frame = Frame.of(range, question.interval(), question.zone());
		}
		Map<String, Aggregate> figures = Map.of();
		long total = scope.total();
		List<String> tagKeys = new ArrayList<>();
		if (total > 0 && frame != null) {
			Figures.counted(scope.aggregations().get("tagKeys")).forEach((key) -> tagKeys.add(key.value()));
			Aggregated current = send
				.aggregate(List.of(new Aggregating(query, Figures.current(frame, question.split(), tagKeys))))
				.get(0);
			figures = current.aggregations();
			total = current.total();
		}
		if (frame == null) {
			// Nothing to count and no range given: no buckets.
			frame = new Frame(new Period(Instant.EPOCH, Instant.EPOCH),
					(question.interval() != null) ? question.interval() : Interval.auto(Duration.ZERO), question.zone(),
					List.of());
		}
		Map<String, List<Counted>> tags = new LinkedHashMap<>();
		for (int i = 0; i < tagKeys.size(); i++) {
			tags.put(tagKeys.get(i), Figures.counted(figures.get("tag" + i)));
		}
		return new Dashboard(total, range, question.zone().getId(), frame.interval().json(),
				(question.split() != null) ? question.split().name() : null,
				Figures.volume(figures, frame, question.split() != null), Figures.durations(figures),
				Figures.turns(figures), Figures.outcomes(figures, total), Figures.filtered(figures, "handoff", total),
				Figures.abandoned(figures, total), Figures.filtered(figures, "resolvedWithoutHuman", total),
				Figures.flags(figures, total), Figures.counted(figures.get("functions")), tags,
				Figures.counted(figures.get("parameters")), Figures.contacts(figures), repeat.ranges(),
				repeat.approximate(), Figures.sentiment(figures, total, frame), previous);
	}

	private static Previous previous(Period range, Aggregated found) {
		Map<String, Aggregate> figures = found.aggregations();
		long total = found.total();
		return new Previous(range, total, Figures.outcomes(figures, total), Figures.filtered(figures, "handoff", total),
				Figures.abandoned(figures, total), Figures.filtered(figures, "resolvedWithoutHuman", total),
				Figures.flags(figures, total), Figures.durations(figures), Figures.turns(figures));
	}

	/**
	 * One {@code _msearch}: sent, or told and sent.
	 */
	@FunctionalInterface
	private interface RoundTrip {

		List<Aggregated> aggregate(List<Aggregating> searches) throws IOException;

	}

}
