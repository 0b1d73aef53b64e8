package org.conversationarchive.search;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.transport.endpoints.BinaryEndpoint;
import co.elastic.clients.transport.endpoints.BinaryResponse;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.conversationarchive.search.ConversationSearch.MessageFacts;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a search page reads of Elasticsearch's answer to a search, and nothing else: the
 * request asks for only these parts ({@link #FILTER_PATH}), and they are read straight
 * into these records, without the client's typed model of every search response (which
 * cost a search page about as much as everything else the service does for it).
 *
 * @param pitId the point in time the answer comes from, if the search ran in one
 * @param hits the hits
 * @param aggregations each aggregation's buckets, by name (prefixed with its type where
 * the request asked for typed keys)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record SearchAnswer(@JsonProperty("pit_id") @Nullable String pitId, @Nullable Hits hits,
		@Nullable Map<String, Buckets> aggregations) {

	/**
	 * The parts of the answer that are read; the rest Elasticsearch does not send.
	 */
	static final String FILTER_PATH = String.join(",", "pit_id", "hits.total.value", "hits.hits._source",
			"hits.hits.sort", "hits.hits.inner_hits.*.hits.hits._source", "hits.hits.inner_hits.*.hits.hits.highlight",
			"aggregations.*.buckets.key", "aggregations.*.buckets.key_as_string", "aggregations.*.buckets.doc_count");

	/**
	 * The search API with the answer left as bytes, asking for {@link #FILTER_PATH} only.
	 * Errors are still Elasticsearch's errors, as with the typed client.
	 */
	private static final BinaryEndpoint<SearchRequest> ENDPOINT = new BinaryEndpoint<>("archive.search",
			SearchRequest._ENDPOINT::method, SearchRequest._ENDPOINT::requestUrl,
			SearchRequest._ENDPOINT::pathParameters, SearchAnswer::parameters, SearchRequest._ENDPOINT::headers,
			SearchRequest._ENDPOINT::body, null);

	/**
	 * Runs a search.
	 * @param client the client
	 * @param json the mapper the documents were written with
	 * @param request the search
	 * @return what the page needs of the answer
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	static SearchAnswer search(ElasticsearchClient client, JsonMapper json, SearchRequest request) throws IOException {
		try (BinaryResponse response = client._transport()
			.performRequest(request, ENDPOINT, client._transportOptions()); InputStream content = response.content()) {
			return json.readValue(content, SearchAnswer.class);
		}
	}

	/**
	 * The query-string parameters a search is sent with.
	 * @param request the search
	 * @return its parameters, {@code filter_path} included
	 */
	static Map<String, String> parameters(SearchRequest request) {
		Map<String, String> parameters = new HashMap<>(SearchRequest._ENDPOINT.queryParameters(request));
		parameters.put("filter_path", FILTER_PATH);
		return parameters;
	}

	/**
	 * How many documents match, exactly (totals are tracked).
	 * @param otherwise what to say when the answer has no total
	 * @return the total
	 */
	long total(long otherwise) {
		return (this.hits != null && this.hits.total != null) ? this.hits.total.value : otherwise;
	}

	List<Hit> hitList() {
		return (this.hits != null && this.hits.hits != null) ? this.hits.hits : List.of();
	}

	/**
	 * The buckets of an aggregation.
	 * @param name its name as the request gave it
	 * @return its buckets, or {@code null} when the answer has none of that name
	 */
	@Nullable List<Bucket> buckets(String name) {
		if (this.aggregations == null) {
			return null;
		}
		for (Map.Entry<String, Buckets> aggregation : this.aggregations.entrySet()) {
			// Typed keys: "sterms#status".
			String key = aggregation.getKey();
			if (key.substring(key.indexOf('#') + 1).equals(name)) {
				return (aggregation.getValue().buckets != null) ? aggregation.getValue().buckets : List.of();
			}
		}
		return null;
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record Hits(@Nullable Total total, @Nullable List<Hit> hits) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record Total(long value) {
	}

	/**
	 * A conversation that matched.
	 *
	 * @param source its row: the document's fields that a row has, read as the row
	 * (without highlights)
	 * @param sort its sort values, for {@code search_after}
	 * @param innerHits its matching messages, by name
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record Hit(@JsonProperty("_source") @Nullable ConversationRow source, @Nullable JsonNode sort,
			@JsonProperty("inner_hits") @Nullable Map<String, InnerHits> innerHits) {

		List<MessageHit> messages(String name) {
			InnerHits inner = (this.innerHits != null) ? this.innerHits.get(name) : null;
			return (inner != null && inner.hits != null && inner.hits.hits != null) ? inner.hits.hits : List.of();
		}

	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record InnerHits(@Nullable MessageHits hits) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record MessageHits(@Nullable List<MessageHit> hits) {
	}

	/**
	 * A message that matched, and its highlighted fragments by field.
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record MessageHit(@JsonProperty("_source") @Nullable MessageFacts source,
			@Nullable Map<String, List<String>> highlight) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record Buckets(@Nullable List<Bucket> buckets) {
	}

	/**
	 * A terms bucket: its key (booleans are 1 and 0, with the text as
	 * {@code key_as_string}) and how many documents have it.
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record Bucket(JsonNode key, @JsonProperty("key_as_string") @Nullable String keyAsString,
			@JsonProperty("doc_count") long docCount) {

		String value() {
			return (this.keyAsString != null) ? this.keyAsString : this.key.asString();
		}

	}

}
