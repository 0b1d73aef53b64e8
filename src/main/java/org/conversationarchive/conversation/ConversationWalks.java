package org.conversationarchive.conversation;

import java.io.IOException;
import java.util.function.Consumer;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import org.conversationarchive.elasticsearch.ArchiveIndices;

import org.springframework.stereotype.Component;

/**
 * Walks of an org's conversations at a point in time, for exports: a point in time is
 * opened over the conversations (or a year of them), routed to the org, and searched page
 * after page until it is closed. Every search of it refuses partial results.
 */
@Component
public class ConversationWalks {

	private final ElasticsearchClient client;

	private final ArchiveIndices indices;

	ConversationWalks(ElasticsearchClient client, ArchiveIndices indices) {
		this.client = client;
		this.indices = indices;
	}

	/**
	 * Opens a point in time over the org's conversations, every index of them: one that
	 * cannot be read (closed, or without a copy of a shard) fails rather than leaving its
	 * conversations out.
	 * @param org the org
	 * @param keepAlive how long it is kept until the first search, e.g. {@code 300s}
	 * @return its id
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	public String open(String org, String keepAlive) throws IOException {
		try {
			return open(org, keepAlive, false);
		}
		catch (ElasticsearchException ex) {
			if (ex.error() != null && "index_not_found_exception".equals(ex.error().type())) {
				// No conversation index yet: an empty archive has an empty point in time.
				return open(org, keepAlive, true);
			}
			throw ex;
		}
	}

	private String open(String org, String keepAlive, boolean ignoreMissing) throws IOException {
		return this.client
			.openPointInTime((open) -> open.index(this.indices.conversations())
				.keepAlive((time) -> time.time(keepAlive))
				.routing(org)
				.ignoreUnavailable(ignoreMissing))
			.id();
	}

	/**
	 * Opens a point in time over the org's conversations that started in a year (UTC).
	 * @param org the org
	 * @param year the year
	 * @param keepAlive how long it is kept until the first search
	 * @return its id
	 * @throws IOException when Elasticsearch cannot be reached; a year without
	 * conversations is Elasticsearch's 404
	 */
	public String openYear(String org, int year, String keepAlive) throws IOException {
		return this.client
			.openPointInTime((open) -> open.index(this.indices.conversations(year))
				.keepAlive((time) -> time.time(keepAlive))
				.routing(org))
			.id();
	}

	/**
	 * Searches a point in time: a page of a walk, or a count.
	 * @param <T> the type the sources are read as
	 * @param pit the point in time
	 * @param keepAlive how long it is kept after this search
	 * @param search what it asks (query, size, sort, fields, slice, {@code search_after})
	 * @param type the type the sources are read as
	 * @return Elasticsearch's answer, with the point in time as it renewed it
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	public <T> SearchResponse<T> search(String pit, String keepAlive, Consumer<SearchRequest.Builder> search,
			Class<T> type) throws IOException {
		return this.client.search((request) -> {
			request.pit((p) -> p.id(pit).keepAlive((time) -> time.time(keepAlive))).allowPartialSearchResults(false);
			search.accept(request);
			return request;
		}, type);
	}

	/**
	 * Closes a point in time.
	 * @param pit its id
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	public void close(String pit) throws IOException {
		this.client.closePointInTime((close) -> close.id(pit));
	}

}
