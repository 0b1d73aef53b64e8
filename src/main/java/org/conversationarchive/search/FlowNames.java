package org.conversationarchive.search;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import co.elastic.clients.elasticsearch.core.MsearchResponse;
import co.elastic.clients.elasticsearch.core.msearch.MultiSearchResponseItem;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.elasticsearch.core.search.SearchRequestBody;
import org.conversationarchive.conversation.ConversationDocument;
import org.conversationarchive.conversation.ConversationSearches;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The names of flows, by id, for the flow facet's labels. A name is read once from any
 * one conversation of the flow (a search that stops at the first) and remembered for a
 * few minutes, instead of a name aggregation under every flow bucket of every search,
 * which costs as much as several facets together.
 */
@Component
class FlowNames {

	static final Duration REMEMBERED = Duration.ofMinutes(5);

	private final ConversationSearches searches;

	private final Clock clock;

	private final Map<Key, Known> known = new ConcurrentHashMap<>();

	@Autowired
	FlowNames(ConversationSearches searches) {
		this(searches, Clock.systemUTC());
	}

	FlowNames(ConversationSearches searches, Clock clock) {
		this.searches = searches;
		this.clock = clock;
	}

	/**
	 * The names of these flows, where their conversations give one.
	 * @param org the org
	 * @param flowIds the flow ids
	 * @return flow id to name, for the flows that have one
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	Map<String, String> names(String org, Collection<String> flowIds) throws IOException {
		Instant now = this.clock.instant();
		Map<String, String> names = new HashMap<>();
		List<String> missing = new ArrayList<>();
		for (String flowId : flowIds) {
			Known entry = this.known.get(new Key(org, flowId));
			if (entry == null || entry.readAt().plus(REMEMBERED).isBefore(now)) {
				missing.add(flowId);
			}
			else if (entry.name() != null) {
				names.put(flowId, entry.name());
			}
		}
		if (!missing.isEmpty()) {
			names.putAll(read(org, missing, now));
		}
		return names;
	}

	private Map<String, String> read(String org, List<String> flowIds, Instant now) throws IOException {
		List<Consumer<SearchRequestBody.Builder>> searches = new ArrayList<>();
		for (String flowId : flowIds) {
			searches.add((body) -> body
				.query((query) -> query.bool((bool) -> bool.filter(ConversationQueries.term("org", org))
					.filter(ConversationQueries.term("flow.id", flowId))))
				.size(1)
				.terminateAfter(1L)
				.trackTotalHits((track) -> track.enabled(false))
				.source((source) -> source.filter((filter) -> filter.includes("flow"))));
		}
		MsearchResponse<ConversationDocument> response = this.searches.searchEach(org, searches,
				ConversationDocument.class);
		Map<String, String> names = new HashMap<>();
		for (int i = 0; i < flowIds.size(); i++) {
			MultiSearchResponseItem<ConversationDocument> item = response.responses().get(i);
			if (item.isFailure()) {
				// Unlabelled this time; asked again next time.
				continue;
			}
			String name = null;
			List<Hit<ConversationDocument>> hits = item.result().hits().hits();
			if (!hits.isEmpty() && hits.get(0).source() != null && hits.get(0).source().flow() != null) {
				name = hits.get(0).source().flow().name();
			}
			this.known.put(new Key(org, flowIds.get(i)), new Known(name, now));
			if (name != null) {
				names.put(flowIds.get(i), name);
			}
		}
		if (this.known.size() > 100_000) {
			this.known.clear();
		}
		return names;
	}

	private record Key(String org, String flowId) {
	}

	private record Known(@Nullable String name, Instant readAt) {
	}

}
