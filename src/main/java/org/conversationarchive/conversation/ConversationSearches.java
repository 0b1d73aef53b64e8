package org.conversationarchive.conversation;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorResponse;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregate;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregation;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.MsearchRequest;
import co.elastic.clients.elasticsearch.core.MsearchResponse;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.msearch.MultiSearchItem;
import co.elastic.clients.elasticsearch.core.msearch.MultiSearchResponseItem;
import co.elastic.clients.elasticsearch.core.msearch.RequestItem;
import co.elastic.clients.elasticsearch.core.search.SearchRequestBody;
import co.elastic.clients.json.JsonpUtils;
import co.elastic.clients.transport.TransportException;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.conversationarchive.conversation.index.SearchAnswer;
import org.conversationarchive.elasticsearch.ArchiveIndices;
import org.conversationarchive.system.StorageUnavailableException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Searches of an org's conversations. The caller says what it asks (query, sort, size,
 * fields, aggregations) with the client's DSL; the search runs on every index of the
 * conversations, routed to the org.
 */
@Component
public class ConversationSearches {

	private static final Logger logger = LoggerFactory.getLogger(ConversationSearches.class);

	private static final String NO_FIGURES = "no figures are answered rather than some with conversations left out";

	private final ElasticsearchClient client;

	private final ArchiveIndices indices;

	private final JsonMapper json;

	ConversationSearches(ElasticsearchClient client, ArchiveIndices indices, JsonMapper json) {
		this.client = client;
		this.indices = indices;
		this.json = json;
	}

	/**
	 * A page: every matching row or none. An index that cannot be read, or a shard that
	 * did not answer, is a 503 to retry rather than a page with rows missing and a lower
	 * total. The answer is read as bytes, only what a page shows ({@link SearchAnswer}).
	 * @param org the org
	 * @param page what the page asks: query, size, sort, source fields, aggregations
	 * @return what was found
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	public Found page(String org, Consumer<SearchRequest.Builder> page) throws IOException {
		try {
			SearchAnswer answer = SearchAnswer.search(this.client, this.json, request(org, page, false));
			if (answer.failedShards() > 0 || answer.timedOut()) {
				throw unavailable((answer.failedShards() > 0) ? answer.failedShards() + " shards did not answer"
						: "the search timed out", null);
			}
			return answer.found();
		}
		catch (ElasticsearchException ex) {
			String type = (ex.error() != null) ? ex.error().type() : "";
			if ("index_not_found_exception".equals(type)) {
				// No conversation index yet: an empty archive has one empty page.
				return SearchAnswer.search(this.client, this.json, request(org, page, true)).found();
			}
			if (StorageUnavailableException.isUnavailability(ex)) {
				throw unavailable(type, ex);
			}
			throw ex;
		}
		catch (TransportException ex) {
			throw unavailable("Elasticsearch did not answer the search", ex);
		}
	}

	private static StorageUnavailableException unavailable(String reason, @Nullable Exception cause) {
		return unavailable(reason, "no page is answered rather than one with rows missing", cause);
	}

	private static StorageUnavailableException unavailable(String reason, String instead, @Nullable Exception cause) {
		logger.warn("A search could not read every shard: {}", reason, cause);
		return new StorageUnavailableException("Some of the archive's conversations cannot be read right now (" + reason
				+ "); " + instead + ". Retry shortly.", cause);
	}

	/**
	 * The request {@link #page} runs, as JSON: what an operator compares with
	 * Elasticsearch itself (and what the benchmark replays).
	 * @param org the org
	 * @param page what the page asks
	 * @return {@code {"index", "routing", "parameters", "body"}}: the query-string
	 * parameters include the routing
	 */
	public Map<String, Object> explain(String org, Consumer<SearchRequest.Builder> page) {
		SearchRequest request = request(org, page, false);
		Map<String, Object> explained = new LinkedHashMap<>();
		explained.put("index", this.indices.conversations());
		explained.put("routing", org);
		explained.put("parameters", new TreeMap<>(SearchAnswer.parameters(request)));
		explained.put("body", this.json.readTree(JsonpUtils.toJsonString(request, this.client._jsonpMapper())));
		return explained;
	}

	private SearchRequest request(String org, Consumer<SearchRequest.Builder> page, boolean ignoreMissing) {
		SearchRequest.Builder search = new SearchRequest.Builder();
		// Every index of the alias (none is an empty archive): a closed one is not
		// skipped, and no shard's failure gives a part of the answer.
		search.index(this.indices.conversations())
			.ignoreUnavailable(ignoreMissing)
			.allowNoIndices(true)
			.allowPartialSearchResults(false)
			.routing(org);
		page.accept(search);
		return search.build();
	}

	/**
	 * A search of what can be read now (an index that cannot is skipped), for counts,
	 * samples and aggregations; a page is {@link #page}.
	 * @param <T> the type the sources are read as
	 * @param org the org
	 * @param search what it asks
	 * @param type the type the sources are read as
	 * @return Elasticsearch's answer
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	public <T> SearchResponse<T> search(String org, Consumer<SearchRequest.Builder> search, Class<T> type)
			throws IOException {
		return this.client.search((request) -> {
			request.index(this.indices.conversations()).ignoreUnavailable(true).allowNoIndices(true).routing(org);
			search.accept(request);
			return request;
		}, type);
	}

	/**
	 * Several searches in one request, each of what can be read now.
	 * @param <T> the type the sources are read as
	 * @param org the org
	 * @param searches what each asks
	 * @param type the type the sources are read as
	 * @return Elasticsearch's answers, one per search in order
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	public <T> MsearchResponse<T> searchEach(String org, List<Consumer<SearchRequestBody.Builder>> searches,
			Class<T> type) throws IOException {
		return this.client.msearch((msearch) -> {
			msearch.index(this.indices.conversations()).ignoreUnavailable(true).allowNoIndices(true).routing(org);
			for (Consumer<SearchRequestBody.Builder> each : searches) {
				msearch.searches((search) -> search.header((header) -> header).body((body) -> {
					each.accept(body);
					return body;
				}));
			}
			return msearch;
		}, type);
	}

	/**
	 * Counts: several searches for no rows, each with its exact total and its
	 * aggregations, sent in one request ({@code _msearch}). As for a page, every index
	 * and shard must answer: one that cannot is a 503 to retry rather than figures with
	 * conversations missing.
	 * @param org the org
	 * @param searches each search's query (which must hold the org) and aggregations
	 * @return each search's total and aggregations, in order; without a conversation
	 * index yet, 0 and none
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	public List<Aggregated> aggregate(String org, List<Aggregating> searches) throws IOException {
		MsearchResponse<Void> response;
		try {
			response = this.client.msearch(counts(org, searches), Void.class);
		}
		catch (ElasticsearchException ex) {
			if (StorageUnavailableException.isUnavailability(ex)) {
				throw unavailable((ex.error() != null) ? ex.error().type() : "", NO_FIGURES, ex);
			}
			throw ex;
		}
		catch (TransportException ex) {
			throw unavailable("Elasticsearch did not answer the search", NO_FIGURES, ex);
		}
		List<Aggregated> answers = new ArrayList<>(searches.size());
		for (MultiSearchResponseItem<Void> item : response.responses()) {
			if (item.isFailure()) {
				ErrorResponse failure = item.failure();
				if ("index_not_found_exception".equals(failure.error().type())) {
					// No conversation index yet: nothing to count.
					answers.add(new Aggregated(0, Map.of()));
					continue;
				}
				ElasticsearchException ex = new ElasticsearchException("msearch", failure);
				if (StorageUnavailableException.isUnavailability(ex)) {
					throw unavailable(failure.error().type(), NO_FIGURES, ex);
				}
				throw ex;
			}
			MultiSearchItem<Void> result = item.result();
			if (result.shards().failed().intValue() > 0 || result.timedOut()) {
				throw unavailable((result.shards().failed().intValue() > 0)
						? result.shards().failed() + " shards did not answer" : "the search timed out", NO_FIGURES,
						null);
			}
			long total = (result.hits().total() != null) ? result.hits().total().value() : 0;
			answers.add(new Aggregated(total, result.aggregations()));
		}
		return answers;
	}

	/**
	 * The request {@link #aggregate} sends, as JSON: what an operator compares with
	 * Elasticsearch itself (and what the benchmark replays), {@code POST /_msearch} with
	 * the parameters and the lines as NDJSON.
	 * @param org the org
	 * @param searches each search's query and aggregations
	 * @return {@code {"index", "routing", "parameters", "lines"}}: each search's header
	 * (which names the index and routing) then its body
	 */
	public Map<String, Object> explainAggregate(String org, List<Aggregating> searches) {
		MsearchRequest request = counts(org, searches);
		List<JsonNode> lines = new ArrayList<>(2 * searches.size());
		for (RequestItem item : request.searches()) {
			lines.add(this.json.readTree(JsonpUtils.toJsonString(item.header(), this.client._jsonpMapper())));
			lines.add(this.json.readTree(JsonpUtils.toJsonString(item.body(), this.client._jsonpMapper())));
		}
		Map<String, Object> explained = new LinkedHashMap<>();
		explained.put("index", this.indices.conversations());
		explained.put("routing", org);
		explained.put("parameters", new TreeMap<>(MsearchRequest._ENDPOINT.queryParameters(request)));
		explained.put("lines", lines);
		return explained;
	}

	private MsearchRequest counts(String org, List<Aggregating> searches) {
		return MsearchRequest.of((msearch) -> {
			for (Aggregating search : searches) {
				msearch.searches((each) -> each
					.header((header) -> header.index(this.indices.conversations())
						.routing(org)
						.ignoreUnavailable(false)
						.allowNoIndices(true)
						.allowPartialSearchResults(false))
					.body((body) -> body.query(search.query())
						.size(0)
						.trackTotalHits((track) -> track.enabled(true))
						.aggregations(search.aggregations())));
			}
			return msearch;
		});
	}

	/**
	 * A search for counts: which conversations, and what to aggregate of them.
	 *
	 * @param query the query, the org's among its clauses
	 * @param aggregations the aggregations, by name
	 */
	public record Aggregating(Query query, Map<String, Aggregation> aggregations) {
	}

	/**
	 * What a search for counts found.
	 *
	 * @param total how many conversations match, exactly
	 * @param aggregations the aggregations, by the names the search gave them (none when
	 * there is no conversation index)
	 */
	public record Aggregated(long total, Map<String, Aggregate> aggregations) {
	}

	/**
	 * What a page reads of a search's answer.
	 *
	 * @param total how many documents match, or {@code null} when the answer says nothing
	 * @param hits the hits, in order
	 * @param aggregations each aggregation's buckets, by name (prefixed with its type
	 * where the request asked for typed keys)
	 */
	public record Found(@Nullable Long total, List<Hit> hits, Map<String, List<Bucket>> aggregations) {

		/**
		 * How many documents match, exactly (totals are tracked).
		 * @param otherwise what to say when the answer has no total
		 * @return the total
		 */
		public long total(long otherwise) {
			return (this.total != null) ? this.total : otherwise;
		}

		/**
		 * The buckets of an aggregation.
		 * @param name its name as the request gave it
		 * @return its buckets, or {@code null} when the answer has none of that name
		 */
		public @Nullable List<Bucket> buckets(String name) {
			for (Map.Entry<String, List<Bucket>> aggregation : this.aggregations.entrySet()) {
				// Typed keys: "sterms#status".
				String key = aggregation.getKey();
				if (key.substring(key.indexOf('#') + 1).equals(name)) {
					return aggregation.getValue();
				}
			}
			return null;
		}

	}

	/**
	 * A conversation that matched.
	 *
	 * @param source the JSON object of its source as Elasticsearch sent it: the fields
	 * asked for, nothing else, without highlights
	 * @param sort its sort values, for {@code search_after}
	 * @param innerHits its matching messages, by the name of their inner hits
	 */
	public record Hit(@Nullable String source, @Nullable JsonNode sort, Map<String, List<MessageHit>> innerHits) {

		/**
		 * Its matching messages.
		 * @param name the name of their inner hits
		 * @return the messages, none when there are none of that name
		 */
		public List<MessageHit> messages(String name) {
			return this.innerHits.getOrDefault(name, List.of());
		}

	}

	/**
	 * A message that matched, and its highlighted fragments by field.
	 *
	 * @param source its facts, as far as the inner hits' source has them
	 * @param highlight the fragments by field
	 * @param nested where it is among the conversation's messages
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record MessageHit(@JsonProperty("_source") @Nullable MessageFacts source,
			@Nullable Map<String, List<String>> highlight, @JsonProperty("_nested") @Nullable Nested nested) {
	}

	/**
	 * Where a matching message is.
	 *
	 * @param offset its index in the document's messages, which are stored in time order
	 * (the transcript's order)
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record Nested(int offset) {
	}

	/**
	 * The facts of a highlighted message.
	 *
	 * @param at when it was sent
	 * @param senderType who sent it
	 * @param offsetSeconds seconds from the conversation's start
	 */
	public record MessageFacts(@Nullable Instant at, @Nullable SenderType senderType, @Nullable Double offsetSeconds) {
	}

	/**
	 * A terms bucket: its key (booleans are 1 and 0, with the text as
	 * {@code key_as_string}) and how many documents have it.
	 *
	 * @param key the key
	 * @param keyAsString the key as text, where it is not text itself
	 * @param docCount the documents
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record Bucket(JsonNode key, @JsonProperty("key_as_string") @Nullable String keyAsString,
			@JsonProperty("doc_count") long docCount) {

		/**
		 * The key as text.
		 * @return the text
		 */
		public String value() {
			return (this.keyAsString != null) ? this.keyAsString : this.key.asString();
		}

	}

}
