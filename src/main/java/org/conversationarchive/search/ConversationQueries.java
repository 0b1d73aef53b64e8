package org.conversationarchive.search;

import java.io.IOException;
import java.text.Normalizer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.query_dsl.BoolQuery;
import co.elastic.clients.elasticsearch._types.query_dsl.ChildScoreMode;
import co.elastic.clients.elasticsearch._types.query_dsl.Operator;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.search.HighlightField;
import co.elastic.clients.util.NamedValue;
import org.conversationarchive.conversation.Contacts;
import org.conversationarchive.conversation.ConversationSettings;
import org.conversationarchive.conversation.JsonEnum;
import org.conversationarchive.conversation.Languages;
import org.conversationarchive.conversation.SenderType;
import org.conversationarchive.search.ContentQuery.AllOf;
import org.conversationarchive.search.ContentQuery.AnyOf;
import org.conversationarchive.search.ContentQuery.Clause;
import org.conversationarchive.search.ContentQuery.Fuzzy;
import org.conversationarchive.search.ContentQuery.Node;
import org.conversationarchive.search.ContentQuery.Phrase;
import org.conversationarchive.search.ContentQuery.Prefix;
import org.conversationarchive.search.ContentQuery.Word;
import org.conversationarchive.search.Filter.Pair;
import org.conversationarchive.system.InvalidInputException;
import org.conversationarchive.system.StorageUnavailableException;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * Turns a {@link Filter} into the Elasticsearch query over an org's conversations. The
 * org is always part of it: nothing built here can reach another org's documents.
 */
@Component
public class ConversationQueries {

	static final String MESSAGES = "messages";

	/** A message's words, folded (no accents, no elided articles, no possessive 's). */
	static final String TEXT = "messages.text";

	/** A message's words as written, up to case: what quoted phrases match. */
	static final String EXACT = "messages.text.exact";

	/**
	 * A message's words stemmed in its conversation's language, one field per language
	 * (only its own language's is filled).
	 */
	static final List<String> STEMS = Languages.STEMMED.stream()
		.map((language) -> "messages.stems." + language)
		.toList();

	/**
	 * The fields a message's highlights come from: the same text, analysed three ways.
	 */
	static final List<String> HIGHLIGHTED = Stream.concat(Stream.of(TEXT, EXACT), STEMS.stream()).toList();

	private static final Pattern COMBINING_MARKS = Pattern.compile("\\p{M}+");

	/**
	 * Most contacts a repeat-contacts range may resolve to through the contacts index.
	 */
	static final int MAX_REPEAT_CONTACTS = 200_000;

	private final Contacts contacts;

	private final ConversationSettings settings;

	ConversationQueries(Contacts contacts, ConversationSettings settings) {
		this.contacts = contacts;
		this.settings = settings;
	}

	/**
	 * The query for an org's conversations that match a filter, without scoring.
	 * @param org the org
	 * @param filter the filter (validated)
	 * @return the query
	 * @throws IOException when Elasticsearch cannot be reached (repeat-contact ranges
	 * above the exact limit consult the contacts index)
	 */
	public Query filter(String org, Filter filter) throws IOException {
		return filter(org, List.of(filter));
	}

	/**
	 * The query for an org's conversations that match every one of several filters (a
	 * view's filter and the filters given on top of it), without scoring. Two filters on
	 * the same field narrow each other like any two different filters do.
	 * @param org the org
	 * @param filters the filters (validated)
	 * @return the query
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	public Query filter(String org, List<Filter> filters) throws IOException {
		BoolQuery.Builder bool = new BoolQuery.Builder();
		bool.filter(term("org", org));
		for (Filter filter : filters) {
			add(bool, (facet) -> bool, org, filter);
		}
		return Query.of((query) -> query.bool(bool.build()));
	}

	/**
	 * The query of {@link #filter(String, List)} with the facets' selections apart, so
	 * that a facet can be counted without its own: the two together match what
	 * {@code filter} matches.
	 * @param org the org
	 * @param filters the filters (validated)
	 * @return the query and the selections
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	Faceted faceted(String org, List<Filter> filters) throws IOException {
		BoolQuery.Builder rest = new BoolQuery.Builder();
		rest.filter(term("org", org));
		Map<Facet, BoolQuery.Builder> selected = new EnumMap<>(Facet.class);
		for (Filter filter : filters) {
			add(rest, (facet) -> selected.computeIfAbsent(facet, (any) -> new BoolQuery.Builder()), org, filter);
		}
		Map<Facet, Query> selections = new EnumMap<>(Facet.class);
		selected.forEach((facet, builder) -> {
			BoolQuery selection = builder.build();
			if (!selection.filter().isEmpty() || !selection.mustNot().isEmpty()) {
				selections.put(facet, Query.of((query) -> query.bool(selection)));
			}
		});
		return new Faceted(Query.of((query) -> query.bool(rest.build())), selections);
	}

	/**
	 * A search's filtering for counting each facet without its own selection.
	 *
	 * @param rest what every row matches: the org, and every filter that selects no facet
	 * @param selections each selected facet's values (several filters' selections of one
	 * facet together)
	 */
	record Faceted(Query rest, Map<Facet, Query> selections) {

		/**
		 * The selections of every facet but one.
		 * @param facet the facet left out, or {@code null} for none
		 * @return the queries, all of which rows must match
		 */
		List<Query> selectionsBut(@Nullable Facet facet) {
			List<Query> others = new ArrayList<>();
			this.selections.forEach((selected, query) -> {
				if (selected != facet) {
					others.add(query);
				}
			});
			return others;
		}

	}

	/**
	 * Adds a filter's clauses to a bool query, those that select a facet's values to that
	 * facet's (which may be the same query); every clause is a filter or a must-not, so
	 * clauses of several filters all have to hold.
	 */
	private void add(BoolQuery.Builder bool, Function<Facet, BoolQuery.Builder> selection, String org, Filter filter)
			throws IOException {
		terms(bool, "id", filter.ids(), Function.identity());
		terms(selection.apply(Facet.STATUS), "status", filter.statuses(), JsonEnum::json);
		terms(selection.apply(Facet.PLATFORM), "platform", filter.platforms(), JsonEnum::json);
		terms(selection.apply(Facet.FLOW), "flow.id", filter.flows(), Function.identity());
		terms(selection.apply(Facet.DIRECTION), "direction", filter.directions(), JsonEnum::json);
		terms(selection.apply(Facet.ENVIRONMENT), "environment", filter.environments(), JsonEnum::json);
		terms(bool, "contact.id", filter.contacts(), Function.identity());
		terms(selection.apply(Facet.FUNCTIONS), "functions", filter.functions(), Function.identity());
		terms(bool, "agent.id", filter.agents(), Function.identity());
		terms(selection.apply(Facet.LANGUAGE), "language", filter.languages(), Function.identity());
		terms(bool, "flowPath", filter.flowNodes(), Function.identity());
		terms(selection.apply(Facet.EXIT_NODE), "exitNode", filter.exitNodes(), Function.identity());
		startedBetween(bool, filter.from(), filter.to());
		flag(selection.apply(Facet.FLAGGED), "flagged", filter.flagged());
		flag(bool, "liveAgentHandled", filter.liveAgentHandled());
		terms(bool, "flags.source", filter.flagSources(), JsonEnum::json);
		if (filter.emotions() != null) {
			// Every one must hold; an emotion and its score on the same entry, which the
			// nested emotionScores keep together.
			filter.emotions().forEach((emotion) -> bool.filter(emotionAtLeast(emotion)));
		}
		if (filter.signals() != null) {
			signals(bool, filter.signals());
		}
		if (filter.tags() != null && filter.tags().pairs() != null && !filter.tags().pairs().isEmpty()) {
			List<Pair> tagPairs = filter.tags().pairs();
			List<Query> pairs = tagPairs.stream().map((pair) -> pair("tags", pair)).toList();
			if (filter.tags().match() == Filter.TagMatch.ANY) {
				// Any of some pairs is a choice of the tags facet's values. A key:* pair
				// (any value of a key) is not one of them: the whole any stays in the
				// query.
				boolean values = tagPairs.stream().noneMatch((pair) -> "*".equals(pair.value()));
				(values ? selection.apply(Facet.TAGS) : bool)
					.filter((query) -> query.bool((any) -> any.should(pairs).minimumShouldMatch("1")));
			}
			else {
				// All of several pairs narrows as more are chosen: the facet counts what
				// each further pair would leave, so they stay in the query.
				pairs.forEach(bool::filter);
			}
		}
		if (filter.parameters() != null) {
			filter.parameters().forEach((pair) -> bool.filter(pair("parameters", pair)));
		}
		if (filter.repeatContacts() != null) {
			bool.filter(repeatContacts(org, filter.repeatContacts()));
		}
		ContentQuery content = filter.contentQuery();
		if (content != null) {
			for (Clause clause : content.clauses()) {
				Query inMessage = nested(messageQuery(clause.node(), filter.content()));
				if (clause.excluded()) {
					bool.mustNot(inMessage);
				}
				else {
					bool.filter(inMessage);
				}
			}
		}
	}

	/**
	 * The query that scores conversations by how well their messages match the content
	 * query, and finds the messages to highlight; {@code null} without a content query.
	 * @param filter the filter
	 * @param innerHits how many matching messages to return per conversation
	 * @return the scoring query with its inner hits, or {@code null}
	 */
	public @Nullable Query relevance(Filter filter, int innerHits) {
		return relevance(List.of(filter), innerHits);
	}

	/**
	 * The scoring and highlighting query of several filters' content queries together
	 * (one nested query, so that the matching messages of all of them are highlighted);
	 * {@code null} when none has a content query.
	 * @param filters the filters
	 * @param innerHits how many matching messages to return per conversation
	 * @return the scoring query with its inner hits, or {@code null}
	 */
	public @Nullable Query relevance(List<Filter> filters, int innerHits) {
		List<Query> perFilter = new ArrayList<>();
		for (Filter filter : filters) {
			ContentQuery content = filter.contentQuery();
			if (content == null) {
				continue;
			}
			List<Query> positive = new ArrayList<>();
			collectPositive(content.clauses(), positive);
			Filter.Content where = filter.content();
			perFilter.add(Query.of((query) -> query.bool((bool) -> {
				bool.should(positive).minimumShouldMatch("1");
				messageFilters(bool, where);
				return bool;
			})));
		}
		if (perFilter.isEmpty()) {
			return null;
		}
		Query anyPositive = (perFilter.size() == 1) ? perFilter.get(0)
				: Query.of((query) -> query.bool((bool) -> bool.should(perFilter).minimumShouldMatch("1")));
		return Query.of((query) -> query.nested((nested) -> nested.path(MESSAGES)
			.scoreMode(ChildScoreMode.Sum)
			.query(anyPositive)
			.innerHits((inner) -> inner.name("messages")
				.size(innerHits)
				.source((source) -> source
					.filter((f) -> f.includes("messages.at", "messages.senderType", "messages.offsetSeconds")))
				// Each field's whole text marked: the marks of the three analyses are
				// merged and cut into fragments afterwards (Highlights).
				.highlight((highlight) -> highlight
					.encoder(co.elastic.clients.elasticsearch.core.search.HighlighterEncoder.Html)
					.preTags("<mark>")
					.postTags("</mark>")
					.fields(HIGHLIGHTED.stream()
						.map((name) -> NamedValue.of(name, HighlightField.of((field) -> field.numberOfFragments(0))))
						.toList())))));
	}

	private void collectPositive(List<Clause> clauses, List<Query> into) {
		for (Clause clause : clauses) {
			if (clause.excluded()) {
				continue;
			}
			if (clause.node() instanceof AllOf group) {
				collectPositive(group.clauses(), into);
			}
			else {
				into.add(node(clause.node()));
			}
		}
	}

	private static Query nested(Query inMessage) {
		return Query.of((query) -> query
			.nested((nested) -> nested.path(MESSAGES).scoreMode(ChildScoreMode.None).query(inMessage)));
	}

	/**
	 * A clause within one message, limited to one sender type and a window of the
	 * conversation when asked.
	 */
	private Query messageQuery(Node node, Filter.Content content) {
		Query match = node(node);
		if (content.speaker() == null && content.within() == null) {
			return match;
		}
		return Query.of((query) -> query.bool((bool) -> {
			bool.filter(match);
			messageFilters(bool, content);
			return bool;
		}));
	}

	private static void messageFilters(BoolQuery.Builder bool, Filter.Content content) {
		SenderType speaker = content.speaker();
		if (speaker != null) {
			bool.filter(term("messages.senderType", speaker.json()));
		}
		Filter.Within within = content.within();
		if (within != null) {
			String field = (within.end() == Filter.Within.End.FIRST) ? "messages.offsetSeconds"
					: "messages.secondsToEnd";
			bool.filter((range) -> range
				.range((r) -> r.number((number) -> number.field(field).lte((double) within.seconds()))));
		}
	}

	private Query node(Node node) {
		return switch (node) {
			case Word word -> anyForm(word.text());
			case Phrase phrase -> Query.of((query) -> query
				.matchPhrase((match) -> match.field(EXACT).query(phrase.text()).slop(phrase.slop())));
			case Prefix prefix -> Query.of((query) -> query.prefix((p) -> p.field(TEXT).value(fold(prefix.prefix()))));
			case Fuzzy fuzzy -> Query.of((query) -> query.match((match) -> match.field(TEXT)
				.query(fuzzy.text())
				.operator(Operator.And)
				.fuzziness((fuzzy.edits() != null) ? fuzzy.edits().toString() : "AUTO")));
			case AnyOf any -> Query.of((query) -> query
				.bool((bool) -> bool.should(any.nodes().stream().map(this::node).toList()).minimumShouldMatch("1")));
			case AllOf all -> Query.of((query) -> query.bool((bool) -> {
				for (Clause clause : all.clauses()) {
					if (clause.excluded()) {
						bool.mustNot(node(clause.node()));
					}
					else {
						bool.filter(node(clause.node()));
					}
				}
				return bool;
			}));
		};
	}

	/**
	 * A word in any of its forms: its folded form in any message, or its stem in a
	 * message of a language the archive stems, by that language's analysis (each field
	 * analyses the word as it analysed its messages). A word the analysis splits (e-mail)
	 * matches its parts in order.
	 */
	private static Query anyForm(String word) {
		List<Query> forms = new ArrayList<>(STEMS.size() + 1);
		forms.add(Query.of((query) -> query.matchPhrase((phrase) -> phrase.field(TEXT).query(word))));
		for (String stems : STEMS) {
			forms.add(Query.of((query) -> query.matchPhrase((phrase) -> phrase.field(stems).query(word))));
		}
		return Query.of((query) -> query.bool((bool) -> bool.should(forms).minimumShouldMatch("1")));
	}

	/**
	 * A prefix as the folded field holds words: lower case, without accents (a prefix
	 * query is not analysed).
	 */
	static String fold(String text) {
		String decomposed = Normalizer.normalize(text.toLowerCase(Locale.ROOT), Normalizer.Form.NFD);
		return COMBINING_MARKS.matcher(decomposed)
			.replaceAll("")
			.replace("ß", "ss")
			.replace("æ", "ae")
			.replace("œ", "oe")
			.replace("ø", "o")
			.replace("ł", "l")
			.replace("đ", "d");
	}

	/**
	 * Documents store a contact's exact count up to the exact limit and limit + 1 above
	 * it; ranges beyond the limit ask the contacts index which contacts have that many.
	 * Contacts recounted since their conversations were last rewritten (stale) are taken
	 * from the contacts index instead of their conversations' stored counts.
	 */
	private Query repeatContacts(String org, Filter.RepeatContacts range) throws IOException {
		Query stored = storedRepeatContacts(org, range);
		int most = this.settings.maxStaleContacts();
		Map<String, Integer> stale = this.contacts.staleCounts(org, most);
		if (stale.isEmpty()) {
			return stored;
		}
		if (stale.size() > most) {
			throw new StorageUnavailableException("more than " + most
					+ " contacts' counts are being written to their conversations; retry the Repeat contacts filter shortly",
					null);
		}
		int min = (range.min() != null) ? range.min() : 0;
		List<FieldValue> inRange = new ArrayList<>();
		stale.forEach((contactId, count) -> {
			if (count >= min && (range.max() == null || count <= range.max())) {
				inRange.add(FieldValue.of(contactId));
			}
		});
		List<FieldValue> all = stale.keySet().stream().map(FieldValue::of).toList();
		Query current = Query.of((query) -> query.bool((bool) -> bool.filter(stored)
			.mustNot((not) -> not.terms((terms) -> terms.field("contact.id").terms((t) -> t.value(all))))));
		if (inRange.isEmpty()) {
			return current;
		}
		Query recounted = Query
			.of((query) -> query.terms((terms) -> terms.field("contact.id").terms((t) -> t.value(inRange))));
		return Query.of((query) -> query.bool((bool) -> bool.should(current, recounted).minimumShouldMatch("1")));
	}

	private Query storedRepeatContacts(String org, Filter.RepeatContacts range) throws IOException {
		int limit = this.settings.exactContactCountLimit();
		int min = (range.min() != null) ? range.min() : 0;
		Integer max = range.max();
		if (max == null && min <= limit + 1) {
			// Everything from min up: the stored counts say it all.
			return storedCountBetween(min, limit + 1);
		}
		List<Query> either = new ArrayList<>();
		if (min <= limit) {
			either.add(storedCountBetween(min, (max != null) ? Math.min(max, limit) : limit));
		}
		if (max == null || max > limit) {
			int from = Math.max(min, limit + 1);
			List<String> ids = this.contacts.withCountBetween(org, from, max, MAX_REPEAT_CONTACTS);
			if (ids.size() > MAX_REPEAT_CONTACTS) {
				throw new InvalidInputException("parameter repeatMin: the range " + min + ".."
						+ ((max != null) ? max : "") + " matches more than " + MAX_REPEAT_CONTACTS
						+ " contacts; narrow it or combine it with other filters");
			}
			if (!ids.isEmpty()) {
				List<FieldValue> values = ids.stream().map(FieldValue::of).toList();
				either
					.add(Query.of((query) -> query.bool((bool) -> bool.filter(storedCountBetween(limit + 1, limit + 1))
						.filter((f) -> f.terms((terms) -> terms.field("contact.id").terms((t) -> t.value(values)))))));
			}
		}
		if (either.isEmpty()) {
			return Query.of((query) -> query.matchNone((none) -> none));
		}
		return Query.of((query) -> query.bool((bool) -> bool.should(either).minimumShouldMatch("1")));
	}

	private static Query emotionAtLeast(Filter.EmotionScore emotion) {
		return Query.of((query) -> query.nested((nested) -> nested.path("emotionScores")
			.scoreMode(ChildScoreMode.None)
			.query((inner) -> inner.bool((bool) -> bool.filter(term("emotionScores.emotion", emotion.emotion()))
				.filter((range) -> range.range((score) -> score
					.number((number) -> number.field("emotionScores.score").gte(emotion.min()))))))));
	}

	private static Query storedCountBetween(int min, int max) {
		return Query.of((query) -> query.range((range) -> range
			.number((number) -> number.field("contactConversationCount").gte((double) min).lte((double) max))));
	}

	private static Query pair(String field, Pair pair) {
		String path = field + "." + pair.key();
		if ("*".equals(pair.value())) {
			return Query.of((query) -> query.exists((exists) -> exists.field(path)));
		}
		return term(path, pair.value());
	}

	/**
	 * The first instant a date of the index can be (0000-01-01), and the first it cannot
	 * (10000-01-01): Elasticsearch reads four-digit years only. Bounds beyond them say
	 * nothing about the stored conversations, or exclude them all.
	 */
	private static final Instant FIRST_INDEXED = Instant.parse("0000-01-01T00:00:00Z");

	private static final Instant END_INDEXED = Instant.parse("+10000-01-01T00:00:00Z");

	private static void startedBetween(BoolQuery.Builder bool, @Nullable Instant from, @Nullable Instant to) {
		if ((from != null && !from.isBefore(END_INDEXED)) || (to != null && !to.isAfter(FIRST_INDEXED))) {
			bool.filter((query) -> query.matchNone((none) -> none));
			return;
		}
		boolean lower = from != null && from.isAfter(FIRST_INDEXED);
		boolean upper = to != null && to.isBefore(END_INDEXED);
		if (lower || upper) {
			bool.filter((query) -> query.range((range) -> range.date((date) -> {
				date.field("startedAt");
				if (lower) {
					date.gte(from.toString());
				}
				if (upper) {
					date.lt(to.toString());
				}
				return date;
			})));
		}
	}

	/**
	 * The signals' clauses. Conversations written before the archive derived signals lack
	 * them until written again: a range or a failed function finds none of them, and they
	 * count as having no failed function and no repeat.
	 */
	private static void signals(BoolQuery.Builder bool, Filter.Signals signals) {
		between(bool, "signals.turns", signals.turns());
		between(bool, "signals.longestSilenceSeconds", signals.longestSilenceSeconds());
		between(bool, "signals.contactDailyRank", signals.contactDailyRank());
		Query failed = Query.of((query) -> query.exists((exists) -> exists.field("signals.failedFunctions")));
		if (Boolean.TRUE.equals(signals.functionFailed())) {
			bool.filter(failed);
		}
		else if (Boolean.FALSE.equals(signals.functionFailed())) {
			bool.mustNot(failed);
		}
		terms(bool, "signals.failedFunctions", signals.failedFunctions(), Function.identity());
		Query repeated = Query.of((query) -> query
			.range((range) -> range.number((number) -> number.field("signals.customerRepeats").gte(1.0))));
		if (Boolean.TRUE.equals(signals.customerRepeated())) {
			bool.filter(repeated);
		}
		else if (Boolean.FALSE.equals(signals.customerRepeated())) {
			bool.mustNot(repeated);
		}
	}

	private static void between(BoolQuery.Builder bool, String field, Filter.@Nullable Bounds bounds) {
		if (bounds == null || (bounds.min() == null && bounds.max() == null)) {
			return;
		}
		bool.filter((query) -> query.range((range) -> range.number((number) -> {
			number.field(field);
			if (bounds.min() != null) {
				number.gte(bounds.min().doubleValue());
			}
			if (bounds.max() != null) {
				number.lte(bounds.max().doubleValue());
			}
			return number;
		})));
	}

	private static void flag(BoolQuery.Builder bool, String field, @Nullable Boolean value) {
		if (Boolean.TRUE.equals(value)) {
			bool.filter(term(field, true));
		}
		else if (Boolean.FALSE.equals(value)) {
			// Not set counts as false.
			bool.mustNot(term(field, true));
		}
	}

	private static <T> void terms(BoolQuery.Builder bool, String field, @Nullable List<T> values,
			Function<T, String> json) {
		if (values != null && !values.isEmpty()) {
			List<FieldValue> terms = values.stream().map(json).distinct().map(FieldValue::of).toList();
			bool.filter((query) -> query.terms((t) -> t.field(field).terms((v) -> v.value(terms))));
		}
	}

	static Query term(String field, String value) {
		return Query.of((query) -> query.term((term) -> term.field(field).value(value)));
	}

	static Query term(String field, boolean value) {
		return Query.of((query) -> query.term((term) -> term.field(field).value(value)));
	}

}
