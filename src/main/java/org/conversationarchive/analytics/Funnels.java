package org.conversationarchive.analytics;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import co.elastic.clients.elasticsearch._types.aggregations.Aggregate;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregation;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import org.conversationarchive.analytics.Dashboard.Counted;
import org.conversationarchive.conversation.ConversationDocument;
import org.conversationarchive.conversation.ConversationSearches;
import org.conversationarchive.conversation.ConversationSearches.Aggregated;
import org.conversationarchive.conversation.ConversationSearches.Aggregating;
import org.conversationarchive.flows.Flow;
import org.conversationarchive.flows.Flows;
import org.conversationarchive.search.ConversationQueries;
import org.conversationarchive.search.Filter;
import org.conversationarchive.system.NotFoundException;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * A flow's funnel for a filter, in one aggregation request on the fields derived for it:
 * {@code flowPath} (each node a conversation reached, once), {@code exitNode} and
 * {@code flowEdges}, so that no aggregation walks the nested messages.
 */
@Component
class Funnels {

	/**
	 * Nodes counted: twice the largest graph expected (500), so that nodes seen only in
	 * the data fit beside a whole graph.
	 */
	static final int NODES = 1000;

	/**
	 * Steps counted: twice the largest graph's edges expected (2,000). With the nodes'
	 * two aggregations and each shard's extra buckets (1.5 times the size), about 10,000
	 * buckets: well under {@code search.max_buckets} (65,536).
	 */
	static final int EDGES = 4000;

	private static final String EDGE = String.valueOf(ConversationDocument.FLOW_EDGE);

	private static final Comparator<Counted> MOST_FIRST = Comparator.comparingLong(Counted::count)
		.reversed()
		.thenComparing(Counted::value);

	private final ConversationSearches searches;

	private final ConversationQueries queries;

	private final Flows flows;

	Funnels(ConversationSearches searches, ConversationQueries queries, Flows flows) {
		this.searches = searches;
		this.queries = queries;
		this.flows = flows;
	}

	/**
	 * The funnel of an org's flow for the conversations that match every filter.
	 * @param org the org
	 * @param filters the filters (a view's and the request's)
	 * @param flowId the flow
	 * @param version the version whose graph and conversations are counted, or
	 * {@code null} for every conversation of the flow along its latest graph
	 * @return the funnel
	 * @throws IOException when Elasticsearch cannot be reached
	 * @throws NotFoundException when the flow was published but never as that version
	 */
	Funnel answer(String org, List<Filter> filters, String flowId, @Nullable Integer version) throws IOException {
		Flow flow = graph(org, flowId, version);
		Aggregated found = this.searches.aggregate(org, List.of(search(org, filters, flowId, version))).get(0);
		return funnel(flow, found);
	}

	/**
	 * The Elasticsearch request {@link #answer} sends, as JSON.
	 * @param org the org
	 * @param filters the filters
	 * @param flowId the flow
	 * @param version the version, or {@code null}
	 * @return {@code {"roundTrips"}}: the one {@code _msearch}, as
	 * {@link ConversationSearches#explainAggregate} tells it
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	Map<String, Object> explain(String org, List<Filter> filters, String flowId, @Nullable Integer version)
			throws IOException {
		graph(org, flowId, version);
		return Map.of("roundTrips",
				List.of(this.searches.explainAggregate(org, List.of(search(org, filters, flowId, version)))));
	}

	private @Nullable Flow graph(String org, String flowId, @Nullable Integer version) {
		Flow flow = this.flows.find(org, flowId, version).orElse(null);
		// A flow never published is counted from the data alone, whatever the version;
		// a version missing from a published flow is a mistake to name.
		if (flow == null && version != null && this.flows.find(org, flowId, null).isPresent()) {
			throw new NotFoundException("no version " + version + " of flow '" + flowId + "'");
		}
		return flow;
	}

	private Aggregating search(String org, List<Filter> filters, String flowId, @Nullable Integer version)
			throws IOException {
		Query filtered = this.queries.filter(org, filters);
		Query query = Query.of((q) -> q.bool((bool) -> {
			bool.filter(filtered).filter(term("flow.id", flowId));
			if (version != null) {
				bool.filter(Query.of((v) -> v.term((term) -> term.field("flowVersion").value(version))));
			}
			return bool;
		}));
		Map<String, Aggregation> aggregations = new LinkedHashMap<>();
		aggregations.put("passed", terms("flowPath", NODES));
		aggregations.put("exited", terms("exitNode", NODES));
		aggregations.put("edges", terms("flowEdges", EDGES));
		aggregations.put("unmarked", Aggregation.of((agg) -> agg.missing((missing) -> missing.field("flowPath"))));
		return new Aggregating(query, aggregations);
	}

	private static Funnel funnel(@Nullable Flow flow, Aggregated found) {
		Map<String, Aggregate> aggregations = found.aggregations();
		Map<String, Long> passed = counts(aggregations.get("passed"));
		Map<String, Long> exited = counts(aggregations.get("exited"));
		Map<String, Long> steps = counts(aggregations.get("edges"));
		Aggregate missing = aggregations.get("unmarked");
		long unmarked = (missing != null && missing.isMissing()) ? missing.missing().docCount() : 0;

		List<Funnel.Node> nodes = new ArrayList<>();
		Set<String> drawn = new HashSet<>();
		List<Funnel.Edge> edges = new ArrayList<>();
		Set<String> drawnSteps = new HashSet<>();
		if (flow != null) {
			for (Flow.Node node : flow.ordered()) {
				drawn.add(node.id());
				nodes.add(node(node.id(), node.label(), node.kind(), passed, exited));
			}
			for (Flow.Edge edge : flow.edges()) {
				String step = edge.from() + EDGE + edge.to();
				drawnSteps.add(step);
				edges.add(new Funnel.Edge(edge.from(), edge.to(), edge.label(), steps.getOrDefault(step, 0L)));
			}
		}
		// What the data has beyond the graph (or without one): most passed first. An exit
		// is always on its conversation's path, unless the path was cut at NODES.
		Map<String, Long> seen = new LinkedHashMap<>(passed);
		exited.keySet().forEach((id) -> seen.putIfAbsent(id, 0L));
		mostFirst(seen, drawn).forEach((id) -> nodes.add(node(id, id, null, passed, exited)));
		for (String step : mostFirst(steps, drawnSteps)) {
			int at = step.indexOf(EDGE);
			if (at > 0) {
				edges.add(new Funnel.Edge(step.substring(0, at), step.substring(at + 1), null, steps.get(step)));
			}
		}
		Funnel.Version version = (flow != null) ? new Funnel.Version(flow.id(), flow.name(), flow.version()) : null;
		return new Funnel(version, found.total(), unmarked, nodes, edges);
	}

	private static Funnel.Node node(String id, String label, @Nullable String kind, Map<String, Long> passed,
			Map<String, Long> exited) {
		long through = passed.getOrDefault(id, 0L);
		long left = exited.getOrDefault(id, 0L);
		return new Funnel.Node(id, label, kind, through, left, Math.max(0, through - left));
	}

	private static List<String> mostFirst(Map<String, Long> counts, Set<String> except) {
		return counts.entrySet()
			.stream()
			.filter((entry) -> !except.contains(entry.getKey()))
			.map((entry) -> new Counted(entry.getKey(), entry.getValue()))
			.sorted(MOST_FIRST)
			.map(Counted::value)
			.toList();
	}

	private static Map<String, Long> counts(@Nullable Aggregate terms) {
		Map<String, Long> counts = new LinkedHashMap<>();
		Figures.counted(terms).forEach((value) -> counts.put(value.value(), value.count()));
		return counts;
	}

	private static Aggregation terms(String field, int size) {
		return Aggregation.of((agg) -> agg.terms((terms) -> terms.field(field).size(size)));
	}

	private static Query term(String field, String value) {
		return Query.of((query) -> query.term((term) -> term.field(field).value(value)));
	}

}
