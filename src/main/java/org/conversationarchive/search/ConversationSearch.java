package org.conversationarchive.search;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOptions;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregate;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregation;
import co.elastic.clients.elasticsearch._types.aggregations.CalendarInterval;
import co.elastic.clients.elasticsearch._types.aggregations.StringTermsBucket;
import co.elastic.clients.elasticsearch._types.mapping.FieldType;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.util.NamedValue;
import org.conversationarchive.conversation.ConversationDocument;
import org.conversationarchive.conversation.ConversationSearches;
import org.conversationarchive.conversation.ConversationSearches.MessageFacts;
import org.conversationarchive.search.SearchPage.FacetValue;
import org.conversationarchive.system.InvalidInputException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Runs a search of an org's conversations: one page of rows in the asked order, the exact
 * total, where the page starts, facet counts and highlights, and cursors to the next and
 * the previous page.
 * <p>
 * Every page is a plain search of the live indices; the next page's cursor holds the last
 * row's sort values (ties are broken by conversation id, so the order is total), and the
 * next page continues after them with {@code search_after}; the previous page's holds the
 * first row's, and that page is the same search in the reverse order after them. Nothing
 * is kept open between pages, and a cursor's length does not depend on the number of
 * indices. A walk sees every row that is there throughout, once, as long as its sort
 * values stay the same; a row written during the walk shows if it sorts after the cursor.
 * A page's offset counts the rows before it as the walk went; rows written or deleted
 * before it since do not move it.
 */
@Component
public class ConversationSearch {

	/** The aggregation around the facets no filter selects (never a facet's name). */
	private static final String UNSELECTED_FACETS = "_unselected";

	public static final int DEFAULT_SIZE = 50;

	public static final int MAX_SIZE = 1000;

	static final int HIGHLIGHTED_MESSAGES = 3;

	/**
	 * What a search reads of each document: the fields of a row, read as the row itself.
	 */
	private static final List<String> ROW_FIELDS = Arrays.stream(ConversationRow.class.getRecordComponents())
		.map(RecordComponent::getName)
		.filter((name) -> !name.equals("highlights"))
		.toList();

	private final ConversationSearches searches;

	private final ConversationQueries queries;

	private final JsonMapper json;

	private final FlowNames flowNames;

	ConversationSearch(ConversationSearches searches, ConversationQueries queries, JsonMapper json,
			FlowNames flowNames) {
		this.flowNames = flowNames;
		this.searches = searches;
		this.queries = queries;
		this.json = json;
	}

	/**
	 * One page of a search.
	 * @param org the org
	 * @param filter the filter (validated)
	 * @param sort the order
	 * @param size rows per page, 1 to {@link #MAX_SIZE}
	 * @param cursor a page's {@code nextCursor} or {@code previousCursor}, or
	 * {@code null} for the first page
	 * @return the page
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	public SearchPage search(String org, Filter filter, SearchSort sort, int size, @Nullable String cursor)
			throws IOException {
		return search(org, List.of(filter), sort, size, cursor);
	}

	/**
	 * One page of the conversations that match every one of several filters: a view's
	 * filter and what is asked on top of it.
	 * @param org the org
	 * @param filters the filters (validated), all of which must match
	 * @param sort the order
	 * @param size rows per page, 1 to {@link #MAX_SIZE}
	 * @param cursor a page's {@code nextCursor} or {@code previousCursor}, or
	 * {@code null} for the first page
	 * @return the page
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	public SearchPage search(String org, List<Filter> filters, SearchSort sort, int size, @Nullable String cursor)
			throws IOException {
		checkSize(size);
		String fingerprint = fingerprint(org, filters, sort);
		SearchCursor from = (cursor != null && !cursor.isBlank())
				? SearchCursor.decode(cursor, fingerprint, sort, this.json) : null;
		return page(org, filters, sort, size, (from != null && !from.firstPage()) ? from : null, fingerprint);
	}

	/**
	 * A page after or before a row (or the first): one search, with one row more than the
	 * page to tell whether there are more that way. A page before a row searches in the
	 * reverse order, after the row, and turns its rows around.
	 */
	private SearchPage page(String org, List<Filter> filters, SearchSort sort, int size, @Nullable SearchCursor from,
			String fingerprint) throws IOException {
		boolean content = filters.stream().anyMatch((filter) -> filter.contentQuery() != null);
		boolean backward = from != null && from.backward();
		ConversationQueries.Faceted faceted = this.queries.faceted(org, filters);
		ConversationSearches.Found answer = this.searches.page(org,
				request(query(faceted, filters), faceted, sort, size + 1, from));
		List<ConversationSearches.Hit> hits = answer.hits();
		boolean more = hits.size() > size;
		if (backward && !more) {
			// Rows before the page went away since its cursor was given out (a cursor
			// before a row is given out only with a page's worth of rows before that):
			// what comes before is the first page, exactly as it is now.
			return page(org, filters, sort, size, null, fingerprint);
		}
		List<ConversationSearches.Hit> shown = new ArrayList<>(hits.subList(0, Math.min(size, hits.size())));
		if (backward) {
			Collections.reverse(shown);
		}
		List<SearchRow> rows = new ArrayList<>(shown.size());
		for (ConversationSearches.Hit hit : shown) {
			if (hit.source() != null) {
				rows.add(SearchRow.of(hit.source(), content ? this.json.writeValueAsString(highlights(hit)) : null));
			}
		}
		long total = answer.total(rows.size());
		long offset = (from != null) ? from.offset() : 0;
		String nextCursor = null;
		// Going back, the rows after are those of the page it came from.
		if (backward || more) {
			nextCursor = SearchCursor.after(sortValues(shown.get(shown.size() - 1)), offset + shown.size(), fingerprint)
				.encode(this.json);
		}
		String previousCursor = null;
		if (offset > 0) {
			// The page before starts at offset - size: at the first page when that is
			// not after it (and when this page is empty, having no row to go back from).
			previousCursor = ((offset <= size || shown.isEmpty()) ? SearchCursor.first(fingerprint)
					: SearchCursor.before(sortValues(shown.get(0)), offset - size, fingerprint))
				.encode(this.json);
		}
		return new SearchPage(total, offset, rows, facets(org, answer), nextCursor, previousCursor, null);
	}

	private static List<FieldValue> sortValues(ConversationSearches.Hit hit) {
		return SearchCursor.values(hit.sort());
	}

	/**
	 * The Elasticsearch request a first page runs, as JSON, against the conversation
	 * alias rather than a point in time: what an operator compares with Elasticsearch
	 * itself (and what the benchmark replays).
	 * @param org the org
	 * @param filters the filters
	 * @param sort the order
	 * @param size the page size (the request asks for one row more, as a page does, to
	 * tell whether there is a next page)
	 * @return {@code {"index", "routing", "parameters", "body"}}: the query-string
	 * parameters include the routing
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	public Map<String, Object> explain(String org, List<Filter> filters, SearchSort sort, int size) throws IOException {
		checkSize(size);
		ConversationQueries.Faceted faceted = this.queries.faceted(org, filters);
		return this.searches.explain(org, request(query(faceted, filters), faceted, sort, size + 1, null));
	}

	private static void checkSize(int size) {
		if (size < 1 || size > MAX_SIZE) {
			throw new InvalidInputException("parameter size: " + size + " is not between 1 and " + MAX_SIZE);
		}
	}

	/**
	 * A page's request. The facets' selections filter the hits after the query
	 * ({@code post_filter}, which leaves the scores as they are), so that each facet is
	 * counted on the query's matches with every selection but its own.
	 */
	private static Consumer<SearchRequest.Builder> request(Query query, ConversationQueries.Faceted faceted,
			SearchSort sort, int size, @Nullable SearchCursor from) {
		return (search) -> {
			search.query(query)
				.size(size)
				.trackTotalHits((track) -> track.enabled(true))
				.source((source) -> source.filter((f) -> f.includes(ROW_FIELDS)))
				.sort(sortOptions(sort, from != null && from.backward()))
				.aggregations(facetAggregations(faceted));
			if (!faceted.selections().isEmpty()) {
				List<Query> selections = faceted.selectionsBut(null);
				search.postFilter((post) -> post.bool((bool) -> bool.filter(selections)));
			}
			if (from != null) {
				search.searchAfter(from.values());
			}
		};
	}

	/**
	 * The org's AI agents, most conversations first: one terms aggregation with the name
	 * and the years of each, however many conversations there are.
	 * @param org the org
	 * @param max most agents to list
	 * @return the agents
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	public List<AgentActivity> agents(String org, int max) throws IOException {
		SearchResponse<Void> response;
		try {
			response = this.searches.search(org, (search) -> search.size(0)
				.query(ConversationQueries.term("org", org))
				.aggregations("agents",
						(agents) -> agents.terms((terms) -> terms.field("agent.id").size(max))
							.aggregations("name", (name) -> name.terms((terms) -> terms.field("agent.name").size(1)))
							.aggregations("years",
									(years) -> years.dateHistogram((histogram) -> histogram.field("startedAt")
										.calendarInterval(CalendarInterval.Year)
										.minDocCount(1)
										.order(NamedValue.of("_key", SortOrder.Desc))))),
					Void.class);
		}
		catch (ElasticsearchException ex) {
			if (ex.status() == 404) {
				return List.of();
			}
			throw ex;
		}
		Aggregate agents = response.aggregations().get("agents");
		if (agents == null || !agents.isSterms()) {
			return List.of();
		}
		List<AgentActivity> activity = new ArrayList<>();
		for (StringTermsBucket bucket : agents.sterms().buckets().array()) {
			Aggregate name = bucket.aggregations().get("name");
			String agentName = (name != null && name.isSterms() && !name.sterms().buckets().array().isEmpty())
					? name.sterms().buckets().array().get(0).key().stringValue() : null;
			List<Integer> years = new ArrayList<>();
			Aggregate histogram = bucket.aggregations().get("years");
			if (histogram != null && histogram.isDateHistogram()) {
				histogram.dateHistogram()
					.buckets()
					.array()
					.forEach((year) -> years
						.add(Instant.ofEpochMilli(year.key()).atOffset(java.time.ZoneOffset.UTC).getYear()));
			}
			activity.add(new AgentActivity(bucket.key().stringValue(), agentName, bucket.docCount(), years));
		}
		return activity;
	}

	/**
	 * The query of a search: the filter but the facets' selections, and the content
	 * query's scoring and highlighting when there is one.
	 */
	private Query query(ConversationQueries.Faceted faceted, List<Filter> filters) {
		Query filtering = faceted.rest();
		Query relevance = this.queries.relevance(filters, HIGHLIGHTED_MESSAGES);
		if (relevance == null) {
			return Query.of((query) -> query.constantScore((constant) -> constant.filter(filtering)));
		}
		return Query.of((query) -> query.bool((bool) -> bool.filter(filtering).must(relevance)));
	}

	/**
	 * The order of the rows, or its exact reverse (for the rows before a row): the key
	 * the other way with the rows without it first instead of last, the id tie-break the
	 * other way. Both give a row without the key the same sort value, so a row's values
	 * from one search continue the other.
	 */
	private static List<SortOptions> sortOptions(SearchSort sort, boolean reversed) {
		SortOrder order = reversed ? reverse(sort.order()) : sort.order();
		List<SortOptions> options = new ArrayList<>();
		if (sort.key() == SearchSort.Key.RELEVANCE) {
			options.add(SortOptions.of((option) -> option.score((score) -> score.order(order))));
		}
		else {
			FieldType type = (sort.key() == SearchSort.Key.DURATION) ? FieldType.Long : FieldType.Date;
			String missing = reversed ? "_first" : "_last";
			options.add(SortOptions.of((option) -> option
				.field((field) -> field.field(sort.key().field).order(order).unmappedType(type).missing(missing))));
		}
		SortOrder byId = reversed ? SortOrder.Desc : SortOrder.Asc;
		options.add(SortOptions.of((option) -> option.field((field) -> field.field("id").order(byId))));
		return options;
	}

	private static SortOrder reverse(SortOrder order) {
		return (order == SortOrder.Asc) ? SortOrder.Desc : SortOrder.Asc;
	}

	/**
	 * Each facet's counts: on the query's matches, filtered by the other facets'
	 * selections when there are any. When one facet is selected by several filters, all
	 * of them are left out of its counts. The facets nobody selected all leave out the
	 * same nothing, so they share one {@code filter} aggregation of every selection: with
	 * one facet selected, one filter for ten facets rather than ten.
	 */
	private static Map<String, Aggregation> facetAggregations(ConversationQueries.Faceted faceted) {
		Map<String, Aggregation> facets = new LinkedHashMap<>();
		Map<String, Aggregation> unselected = new LinkedHashMap<>();
		for (Facet facet : Facet.values()) {
			Aggregation counts = facet.counts();
			if (faceted.selections().isEmpty()) {
				facets.put(facet.name, counts);
			}
			else if (!faceted.selections().containsKey(facet)) {
				unselected.put(facet.name, counts);
			}
			else {
				List<Query> others = faceted.selectionsBut(facet);
				facets.put(facet.name,
						others.isEmpty() ? counts
								: Aggregation
									.of((agg) -> agg.filter((filter) -> filter.bool((bool) -> bool.filter(others)))
										.aggregations(facet.name, counts)));
			}
		}
		if (!unselected.isEmpty()) {
			List<Query> selections = faceted.selectionsBut(null);
			facets.put(UNSELECTED_FACETS,
					Aggregation.of((agg) -> agg.filter((filter) -> filter.bool((bool) -> bool.filter(selections)))
						.aggregations(unselected)));
		}
		return facets;
	}

	private Map<String, List<FacetValue>> facets(String org, ConversationSearches.Found answer) throws IOException {
		Map<String, List<FacetValue>> facets = new LinkedHashMap<>();
		for (Facet facet : Facet.values()) {
			String name = facet.name;
			List<ConversationSearches.Bucket> buckets = answer.buckets(name);
			if (buckets == null) {
				continue;
			}
			List<FacetValue> values = new ArrayList<>(buckets.size());
			for (ConversationSearches.Bucket bucket : buckets) {
				String value = bucket.value();
				if (name.equals("tags")) {
					value = value.replace(ConversationDocument.TAG_SEPARATOR, ':');
				}
				values.add(new FacetValue(value, null, bucket.docCount()));
			}
			facets.put(name, values);
		}
		List<FacetValue> flows = facets.get("flow");
		if (flows != null && !flows.isEmpty()) {
			Map<String, String> names = this.flowNames.names(org, flows.stream().map(FacetValue::value).toList());
			facets.put("flow",
					flows.stream()
						.map((flow) -> new FacetValue(flow.value(), names.get(flow.value()), flow.count()))
						.toList());
		}
		return facets;
	}

	/**
	 * The best-matching messages (inner hits come by score) in the transcript's order: by
	 * their place among the document's messages, which are stored in time order.
	 */
	private static List<ConversationRow.Highlight> highlights(ConversationSearches.Hit hit) {
		List<ConversationSearches.MessageHit> messages = new ArrayList<>(hit.messages(ConversationQueries.MESSAGES));
		messages.sort(Comparator
			.comparingInt((message) -> (message.nested() != null) ? message.nested().offset() : Integer.MAX_VALUE));
		List<ConversationRow.Highlight> highlights = new ArrayList<>();
		for (ConversationSearches.MessageHit message : messages) {
			List<String> fragments = Highlights.merge(message.highlight(), ConversationQueries.HIGHLIGHTED);
			if (fragments.isEmpty()) {
				continue;
			}
			MessageFacts facts = message.source();
			highlights.add(new ConversationRow.Highlight((facts != null) ? facts.at() : null,
					(facts != null) ? facts.senderType() : null, (facts != null) ? facts.offsetSeconds() : null,
					fragments));
		}
		return highlights;
	}

	private String fingerprint(String org, List<Filter> filters, SearchSort sort) {
		try {
			byte[] bytes = this.json.writeValueAsBytes(List.of(org, filters, sort.toString()));
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
