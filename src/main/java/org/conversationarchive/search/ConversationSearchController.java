package org.conversationarchive.search;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import org.conversationarchive.elasticsearch.ArchiveIndices;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The conversations table: a page of rows, newest first.
 */
@RestController
@RequestMapping("/api/v1/conversations")
class ConversationSearchController {

	private final ElasticsearchClient client;

	private final ArchiveIndices indices;

	ConversationSearchController(ElasticsearchClient client, ArchiveIndices indices) {
		this.client = client;
		this.indices = indices;
	}

	@GetMapping
	SearchPage search() throws IOException {
		// An empty archive has no conversation index yet: that is an empty result, not an
		// error.
		SearchResponse<Map> response = this.client.search((search) -> search.index(this.indices.conversations())
			.ignoreUnavailable(true)
			.allowNoIndices(true)
			.trackTotalHits((track) -> track.enabled(true))
			.sort((sort) -> sort.field((field) -> field.field("startedAt")
				.order(co.elastic.clients.elasticsearch._types.SortOrder.Desc)
				.unmappedType(co.elastic.clients.elasticsearch._types.mapping.FieldType.Date)))
			.source((source) -> source.filter((filter) -> filter.excludes("messages")))
			.size(50), Map.class);
		List<Map<String, Object>> items = response.hits()
			.hits()
			.stream()
			.map((hit) -> (Map<String, Object>) hit.source())
			.toList();
		long total = (response.hits().total() != null) ? response.hits().total().value() : items.size();
		return new SearchPage(total, items, Map.of(), null);
	}

	record SearchPage(long total, List<Map<String, Object>> items, Map<String, List<Object>> facets,
			@org.jspecify.annotations.Nullable String nextCursor) {
	}

}
