package org.conversationarchive.conversation.index;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.transport.endpoints.BinaryEndpoint;
import co.elastic.clients.transport.endpoints.BinaryResponse;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.conversationarchive.conversation.ConversationSearches.Bucket;
import org.conversationarchive.conversation.ConversationSearches.Found;
import org.conversationarchive.conversation.ConversationSearches.Hit;
import org.conversationarchive.conversation.ConversationSearches.MessageHit;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a search page reads of Elasticsearch's answer to a search, and nothing else: the
 * request asks for only these parts ({@link #FILTER_PATH}), and they are read in one pass
 * over the answer. A hit's source, which holds exactly a row's fields, is not bound to
 * objects at all: it is kept as the JSON Elasticsearch sent, and that is what the API
 * answers with.
 *
 * @param failedShards how many shards failed to answer (a search that refuses partial
 * results fails instead, but the answer says it too)
 * @param timedOut whether the search timed out with what it had
 * @param found the total, hits and aggregations
 */
public record SearchAnswer(int failedShards, boolean timedOut, Found found) {

	/**
	 * The parts of the answer that are read; the rest Elasticsearch does not send.
	 */
	static final String FILTER_PATH = String.join(",", "timed_out", "_shards.failed", "hits.total.value",
			"hits.hits._source", "hits.hits.sort", "hits.hits.inner_hits.*.hits.hits._source",
			"hits.hits.inner_hits.*.hits.hits.highlight", "hits.hits.inner_hits.*.hits.hits._nested.offset",
			"aggregations.*.buckets.key", "aggregations.*.buckets.key_as_string", "aggregations.*.buckets.doc_count",
			"aggregations.*.*.buckets.key", "aggregations.*.*.buckets.key_as_string",
			"aggregations.*.*.buckets.doc_count");

	/**
	 * The search API with the answer left as bytes, asking for {@link #FILTER_PATH} only.
	 * Errors are still Elasticsearch's errors, as with the typed client.
	 */
	private static final BinaryEndpoint<SearchRequest> ENDPOINT = new BinaryEndpoint<>("archive.search",
			SearchRequest._ENDPOINT::method, SearchRequest._ENDPOINT::requestUrl,
			SearchRequest._ENDPOINT::pathParameters, SearchAnswer::parameters, SearchRequest._ENDPOINT::headers,
			SearchRequest._ENDPOINT::body, null);

	private static final TypeReference<Map<String, InnerHits>> INNER_HITS = new TypeReference<>() {
	};

	/**
	 * Runs a search.
	 * @param client the client
	 * @param json the mapper the documents were written with
	 * @param request the search
	 * @return what the page needs of the answer
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	public static SearchAnswer search(ElasticsearchClient client, JsonMapper json, SearchRequest request)
			throws IOException {
		byte[] answer;
		try (BinaryResponse response = client._transport()
			.performRequest(request, ENDPOINT, client._transportOptions()); InputStream content = response.content()) {
			answer = content.readAllBytes();
		}
		return read(json, answer);
	}

	/**
	 * Reads an answer (filtered by {@link #FILTER_PATH}).
	 * @param json the mapper
	 * @param answer the answer's bytes
	 * @return what it says
	 */
	static SearchAnswer read(JsonMapper json, byte[] answer) {
		int failedShards = 0;
		boolean timedOut = false;
		Long total = null;
		List<Hit> hits = List.of();
		Map<String, List<Bucket>> aggregations = Map.of();
		try (JsonParser parser = json.createParser(answer)) {
			expect(parser, parser.nextToken(), JsonToken.START_OBJECT);
			for (String name = parser.nextName(); name != null; name = parser.nextName()) {
				JsonToken value = parser.nextToken();
				switch (name) {
					case "timed_out" -> timedOut = parser.getValueAsBoolean();
					case "_shards" -> {
						expect(parser, value, JsonToken.START_OBJECT);
						for (String part = parser.nextName(); part != null; part = parser.nextName()) {
							parser.nextToken();
							if (part.equals("failed")) {
								failedShards = parser.getValueAsInt();
							}
							else {
								parser.skipChildren();
							}
						}
					}
					case "hits" -> {
						expect(parser, value, JsonToken.START_OBJECT);
						for (String part = parser.nextName(); part != null; part = parser.nextName()) {
							JsonToken partValue = parser.nextToken();
							if (part.equals("total")) {
								total = parser.readValueAs(Total.class).value();
							}
							else if (part.equals("hits")) {
								expect(parser, partValue, JsonToken.START_ARRAY);
								hits = hits(parser, answer);
							}
							else {
								parser.skipChildren();
							}
						}
					}
					case "aggregations" -> aggregations = buckets(json, parser.readValueAsTree());
					default -> parser.skipChildren();
				}
			}
		}
		return new SearchAnswer(failedShards, timedOut, new Found(total, hits, aggregations));
	}

	private static List<Hit> hits(JsonParser parser, byte[] answer) {
		List<Hit> hits = new ArrayList<>();
		while (parser.nextToken() == JsonToken.START_OBJECT) {
			String source = null;
			JsonNode sort = null;
			Map<String, List<MessageHit>> innerHits = Map.of();
			for (String name = parser.nextName(); name != null; name = parser.nextName()) {
				JsonToken value = parser.nextToken();
				switch (name) {
					case "_source" -> {
						expect(parser, value, JsonToken.START_OBJECT);
						int start = (int) parser.currentTokenLocation().getByteOffset();
						parser.skipChildren();
						int end = (int) parser.currentTokenLocation().getByteOffset() + 1;
						source = new String(answer, start, end - start, StandardCharsets.UTF_8);
					}
					case "sort" -> sort = parser.readValueAsTree();
					case "inner_hits" -> innerHits = messages(parser.readValueAs(INNER_HITS));
					default -> parser.skipChildren();
				}
			}
			hits.add(new Hit(source, sort, innerHits));
		}
		return hits;
	}

	private static void expect(JsonParser parser, @Nullable JsonToken token, JsonToken expected) {
		if (token != expected) {
			throw new IllegalStateException("Elasticsearch's search answer has " + token + " where " + expected
					+ " belongs, at " + parser.currentTokenLocation().offsetDescription());
		}
	}

	/**
	 * The query-string parameters a search is sent with.
	 * @param request the search
	 * @return its parameters, {@code filter_path} included
	 */
	public static Map<String, String> parameters(SearchRequest request) {
		Map<String, String> parameters = new HashMap<>(SearchRequest._ENDPOINT.queryParameters(request));
		parameters.put("filter_path", FILTER_PATH);
		return parameters;
	}

	private static Map<String, List<MessageHit>> messages(Map<String, InnerHits> innerHits) {
		Map<String, List<MessageHit>> messages = new LinkedHashMap<>();
		innerHits.forEach((name, inner) -> messages.put(name,
				(inner != null && inner.hits != null && inner.hits.hits != null) ? inner.hits.hits : List.of()));
		return messages;
	}

	/**
	 * Each aggregation's buckets, by its name. An aggregation without buckets of its own
	 * (a {@code filter} around facets' {@code terms}, as facets are asked with others'
	 * selections) gives those it holds, each by its own name.
	 */
	private static Map<String, List<Bucket>> buckets(JsonMapper json, JsonNode aggregations) {
		Map<String, List<Bucket>> buckets = new LinkedHashMap<>();
		for (Map.Entry<String, JsonNode> aggregation : aggregations.properties()) {
			JsonNode found = aggregation.getValue().get("buckets");
			if (found != null) {
				buckets.put(aggregation.getKey(), values(json, found));
				continue;
			}
			boolean held = false;
			for (Map.Entry<String, JsonNode> inner : aggregation.getValue().properties()) {
				if (inner.getValue().isObject() && inner.getValue().has("buckets")) {
					buckets.put(inner.getKey(), values(json, inner.getValue().get("buckets")));
					held = true;
				}
			}
			if (!held) {
				buckets.put(aggregation.getKey(), List.of());
			}
		}
		return buckets;
	}

	private static List<Bucket> values(JsonMapper json, JsonNode found) {
		List<Bucket> values = new ArrayList<>();
		if (found.isArray()) {
			for (JsonNode bucket : found) {
				values.add(json.treeToValue(bucket, Bucket.class));
			}
		}
		return values;
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record Total(long value) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record InnerHits(@Nullable MessageHits hits) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record MessageHits(@Nullable List<MessageHit> hits) {
	}

}
