package org.conversationarchive.web;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.conversationarchive.search.Filter;
import org.conversationarchive.search.Filter.Content;
import org.conversationarchive.search.Filter.Pair;
import org.conversationarchive.search.Filter.RepeatContacts;
import org.conversationarchive.search.Filter.TagMatch;
import org.conversationarchive.search.Filter.Tags;
import org.conversationarchive.system.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * One filter that matches what a view's filter and the filters given on top of it match
 * together, for saving the page's state as a new view. A search ANDs the two as separate
 * filters; a view holds one, so where both set the same filter they are narrowed into one
 * (dates, repeat counts, content, tag and parameter pairs) or, where one filter cannot
 * say both, refused with what to change.
 */
final class FilterCombination {

	private FilterCombination() {
	}

	static Filter of(Filter view, Filter extra) {
		Filter combined = new Filter(same("id", view.ids(), extra.ids()),
				same("status", view.statuses(), extra.statuses()), later(view.from(), extra.from()),
				earlier(view.to(), extra.to()), same("platform", view.platforms(), extra.platforms()),
				same("flow", view.flows(), extra.flows()), same("direction", view.directions(), extra.directions()),
				same("env", view.environments(), extra.environments()),
				same("flagged", view.flagged(), extra.flagged()), repeat(view.repeatContacts(), extra.repeatContacts()),
				same("contact", view.contacts(), extra.contacts()), content(view.content(), extra.content()),
				same("function", view.functions(), extra.functions()), tags(view.tags(), extra.tags()),
				all(view.parameters(), extra.parameters()), same("agent", view.agents(), extra.agents()),
				same("liveAgent", view.liveAgentHandled(), extra.liveAgentHandled()));
		return combined.validated();
	}

	private static <T> @Nullable T same(String parameter, @Nullable T view, @Nullable T extra) {
		if (view == null || isEmpty(view)) {
			return extra;
		}
		if (extra == null || isEmpty(extra) || Objects.equals(view, extra)) {
			return view;
		}
		throw new InvalidInputException("parameter " + parameter
				+ ": the view already filters it differently; a view holds one value list per filter, so "
				+ "open the view 'All Conversations' and set this filter there before saving");
	}

	private static boolean isEmpty(Object value) {
		return value instanceof List<?> list && list.isEmpty();
	}

	private static @Nullable Instant later(@Nullable Instant a, @Nullable Instant b) {
		return (a == null) ? b : (b == null || a.isAfter(b)) ? a : b;
	}

	private static @Nullable Instant earlier(@Nullable Instant a, @Nullable Instant b) {
		return (a == null) ? b : (b == null || a.isBefore(b)) ? a : b;
	}

	private static @Nullable RepeatContacts repeat(@Nullable RepeatContacts a, @Nullable RepeatContacts b) {
		if (a == null || b == null) {
			return (a != null) ? a : b;
		}
		Integer min = (a.min() == null) ? b.min() : (b.min() == null) ? a.min() : Math.max(a.min(), b.min());
		Integer max = (a.max() == null) ? b.max() : (b.max() == null) ? a.max() : Math.min(a.max(), b.max());
		return new RepeatContacts(min, max);
	}

	private static @Nullable Content content(@Nullable Content a, @Nullable Content b) {
		if (a == null || a.query() == null || a.query().isBlank()) {
			return b;
		}
		if (b == null || b.query() == null || b.query().isBlank()) {
			return a;
		}
		if (!Objects.equals(a.speaker(), b.speaker())) {
			throw new InvalidInputException("parameter speaker: the view searches what another speaker said; "
					+ "a view holds one content query with one speaker");
		}
		// Parentheses keep each query's OR and exclusions to itself.
		return new Content("(" + a.query() + ") (" + b.query() + ")", a.speaker());
	}

	private static @Nullable Tags tags(@Nullable Tags a, @Nullable Tags b) {
		if (a == null || a.pairs() == null || a.pairs().isEmpty()) {
			return b;
		}
		if (b == null || b.pairs() == null || b.pairs().isEmpty()) {
			return a;
		}
		if (a.match() == TagMatch.ANY || b.match() == TagMatch.ANY) {
			return same("tag", a, b);
		}
		return new Tags(TagMatch.ALL, all(a.pairs(), b.pairs()));
	}

	private static @Nullable List<Pair> all(@Nullable List<Pair> a, @Nullable List<Pair> b) {
		if (a == null || b == null) {
			return (a != null) ? a : b;
		}
		List<Pair> pairs = new ArrayList<>(a);
		b.stream().filter((pair) -> !pairs.contains(pair)).forEach(pairs::add);
		return pairs;
	}

}
