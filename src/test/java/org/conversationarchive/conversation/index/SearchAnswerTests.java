package org.conversationarchive.conversation.index;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import co.elastic.clients.elasticsearch.core.SearchRequest;
import org.conversationarchive.conversation.ConversationSearches.Bucket;
import org.conversationarchive.conversation.ConversationSearches.Found;
import org.conversationarchive.conversation.ConversationSearches.Hit;
import org.conversationarchive.conversation.ConversationSearches.MessageHit;
import org.conversationarchive.conversation.SenderType;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.tuple;

/**
 * What a page reads of Elasticsearch's answer, from answers as Elasticsearch sends them
 * (filtered by {@link SearchAnswer#FILTER_PATH}, typed keys): whether it is whole, the
 * total, each hit's source as sent, its sort values and matching messages, and the
 * facets' buckets.
 */
class SearchAnswerTests {

	final JsonMapper json = JsonMapper.builder().build();

	@Test
	void anAnswerSaysWhetherEveryShardAnswered() {
		SearchAnswer partial = read("""
				{"timed_out": false, "_shards": {"failed": 2},
				 "hits": {"total": {"value": 3}, "hits": [{"_source": {"id": "a"}, "sort": [1, "a"]}]}}""");
		assertThat(partial.failedShards()).isEqualTo(2);
		assertThat(partial.timedOut()).isFalse();
		assertThat(partial.found().total(0)).isEqualTo(3);
		assertThat(partial.found().hits()).hasSize(1);

		SearchAnswer late = read("{\"timed_out\": true, \"hits\": {\"total\": {\"value\": 0}}}");
		assertThat(late.timedOut()).isTrue();
		assertThat(late.failedShards()).isZero();
	}

	@Test
	void theRequestAsksForWhatSaysWhetherTheAnswerIsWhole() {
		assertThat(SearchAnswer.FILTER_PATH.split(",")).contains("timed_out", "_shards.failed");
	}

	@Test
	void theRequestAsksForEveryPartThatIsReadAndNoOther() {
		assertThat(SearchAnswer.FILTER_PATH.split(",")).containsExactlyInAnyOrder("timed_out", "_shards.failed",
				"hits.total.value", "hits.hits._source", "hits.hits.sort", "hits.hits.inner_hits.*.hits.hits._source",
				"hits.hits.inner_hits.*.hits.hits.highlight", "hits.hits.inner_hits.*.hits.hits._nested.offset",
				"aggregations.*.buckets.key", "aggregations.*.buckets.key_as_string",
				"aggregations.*.buckets.doc_count", "aggregations.*.*.buckets.key",
				"aggregations.*.*.buckets.key_as_string", "aggregations.*.*.buckets.doc_count");
	}

	@Test
	void theQueryStringIsTheSearchsOwnWithTheFilterPath() {
		SearchRequest request = SearchRequest.of((search) -> search.index("archive-conversations")
			.routing("acme")
			.allowPartialSearchResults(false)
			.ignoreUnavailable(false)
			.allowNoIndices(true));
		Map<String, String> parameters = SearchAnswer.parameters(request);
		assertThat(parameters).containsEntry("filter_path", SearchAnswer.FILTER_PATH)
			.containsEntry("routing", "acme")
			.containsEntry("allow_partial_search_results", "false")
			.containsEntry("ignore_unavailable", "false")
			.containsEntry("allow_no_indices", "true")
			.containsEntry("typed_keys", "true");
		assertThat(parameters).hasSize(SearchRequest._ENDPOINT.queryParameters(request).size() + 1);
	}

	@Test
	void aHitsSourceIsKeptAsTheJsonElasticsearchSent() {
		String source = "{\"id\":\"s01\", \"contact\": {\"name\": \"Zoë \\\"Z\\\" \\u00e9\", \"tags\": [1, 2.5, null]},"
				+ " \"empty\": {}, \"emoji\": \"\uD83D\uDE00\"}";
		Found found = read("{\"hits\": {\"hits\": [{\"_source\": " + source + ", \"sort\": [1736503200000, \"s01\"]},"
				+ " {\"_source\": {}}]}}")
			.found();
		assertThat(found.hits()).extracting(Hit::source).containsExactly(source, "{}");
	}

	@Test
	void aHitWithoutSourceHasNone() {
		Found found = read("{\"hits\": {\"hits\": [{\"sort\": [1, \"a\"]}]}}").found();
		assertThat(found.hits()).singleElement().satisfies((hit) -> {
			assertThat(hit.source()).isNull();
			assertThat(hit.messages("messages")).isEmpty();
		});
	}

	@Test
	void aHitsSortValuesAreKeptForTheNextPagesCursor() {
		Found found = read("""
				{"hits": {"hits": [
				  {"_source": {"id": "a"}, "sort": [1736503200000, "a"]},
				  {"_source": {"id": "b"}, "sort": [null, 2.5, true, "b"]},
				  {"_source": {"id": "c"}}]}}""").found();
		List<Hit> hits = found.hits();
		assertThat(hits).hasSize(3);
		assertThat(hits.get(0).sort().get(0).isIntegralNumber()).isTrue();
		assertThat(hits.get(0).sort().get(0).longValue()).isEqualTo(1736503200000L);
		assertThat(hits.get(0).sort().get(1).asString()).isEqualTo("a");
		assertThat(hits.get(1).sort().get(0).isNull()).isTrue();
		assertThat(hits.get(1).sort().get(1).doubleValue()).isEqualTo(2.5);
		assertThat(hits.get(1).sort().get(2).booleanValue()).isTrue();
		assertThat(hits.get(1).sort().get(3).asString()).isEqualTo("b");
		assertThat(hits.get(2).sort()).isNull();
	}

	@Test
	void aHitsMatchingMessagesComeWithTheirFactsAndHighlights() {
		Found found = read("""
				{"hits": {"hits": [{"_source": {"id": "s01"}, "sort": [1, "s01"],
				  "inner_hits": {
				    "messages": {"hits": {"hits": [
				      {"_nested": {"field": "messages", "offset": 4},
				       "_source": {"at": "2025-01-10T10:00:30Z", "senderType": "user", "text": "not asked for"},
				       "highlight": {"messages.text": ["I want a <em>refund</em>", "<em>refund</em> again"]}},
				      {"_source": {"senderType": "agent"}},
				      {"highlight": {"messages.text": ["no source"]}}]}},
				    "none": {"hits": {"hits": []}},
				    "nothing": {"hits": {}}}}]}}""").found();
		Hit hit = found.hits().get(0);
		List<MessageHit> messages = hit.messages("messages");
		assertThat(messages).hasSize(3);
		assertThat(messages.get(0).source().at()).isEqualTo(Instant.parse("2025-01-10T10:00:30Z"));
		assertThat(messages.get(0).source().senderType()).isEqualTo(SenderType.USER);
		assertThat(messages.get(0).highlight())
			.containsExactly(Map.entry("messages.text", List.of("I want a <em>refund</em>", "<em>refund</em> again")));
		assertThat(messages.get(0).nested().offset()).isEqualTo(4);
		assertThat(messages.get(1).nested()).isNull();
		assertThat(messages.get(1).source().at()).isNull();
		assertThat(messages.get(1).source().senderType()).isEqualTo(SenderType.AGENT);
		assertThat(messages.get(1).highlight()).isNull();
		assertThat(messages.get(2).source()).isNull();
		assertThat(messages.get(2).highlight()).containsEntry("messages.text", List.of("no source"));
		assertThat(hit.messages("none")).isEmpty();
		assertThat(hit.messages("nothing")).isEmpty();
		assertThat(hit.messages("not-asked")).isEmpty();
	}

	@Test
	void theTotalIsTheAnswersOrWhatTheCallerSaysWithout() {
		assertThat(read("{\"hits\": {\"total\": {\"value\": 1234567, \"relation\": \"eq\"}, \"hits\": []}}").found()
			.total(7)).isEqualTo(1234567);
		Found without = read("{\"hits\": {\"hits\": [{\"_source\": {}}]}}").found();
		assertThat(without.total()).isNull();
		assertThat(without.total(7)).isEqualTo(7);
		Found empty = read("{}").found();
		assertThat(empty.total(0)).isZero();
		assertThat(empty.hits()).isEmpty();
		assertThat(empty.aggregations()).isEmpty();
	}

	@Test
	void bucketsAreFoundByTheAggregationsNameWhateverItsType() {
		Found found = read(
				"""
						{"aggregations": {
						  "sterms#status": {"buckets": [{"key": "completed", "doc_count": 9}, {"key": "failed", "doc_count": 2}]},
						  "lterms#flagged": {"buckets": [{"key": 1, "key_as_string": "true", "doc_count": 3},
						                                 {"key": 0, "key_as_string": "false", "doc_count": 12}]},
						  "lterms#durations": {"buckets": [{"key": 42, "doc_count": 1}]},
						  "sterms#tags": {"buckets": []},
						  "sterms#functions": {},
						  "untyped": {"buckets": [{"key": "x", "doc_count": 1, "doc_count_error_upper_bound": 0}]}}}""")
			.found();
		assertThat(found.buckets("status")).extracting(Bucket::value, Bucket::docCount)
			.containsExactly(tuple("completed", 9L), tuple("failed", 2L));
		assertThat(found.buckets("flagged")).extracting(Bucket::value).containsExactly("true", "false");
		assertThat(found.buckets("flagged").get(0).key().intValue()).isEqualTo(1);
		assertThat(found.buckets("durations")).extracting(Bucket::value).containsExactly("42");
		assertThat(found.buckets("tags")).isEmpty();
		assertThat(found.buckets("functions")).as("an aggregation without buckets has none").isEmpty();
		assertThat(found.buckets("untyped")).extracting(Bucket::value).containsExactly("x");
		assertThat(found.buckets("platform")).as("an aggregation the answer does not have").isNull();
		assertThat(found.buckets("terms")).isNull();
	}

	@Test
	void aFilterAroundTermsAggregationsGivesTheirBuckets() {
		Found found = read(
				"""
						{"aggregations": {
						  "filter#status": {"sterms#status": {"buckets": [{"key": "failed", "doc_count": 2}]}},
						  "filter#flagged": {"lterms#flagged": {"buckets": [{"key": 1, "key_as_string": "true", "doc_count": 3}]}},
						  "filter#empty": {"sterms#empty": {"buckets": []}},
						  "filter#nothing": {},
						  "filter#two": {"sterms#a": {"buckets": [{"key": "x", "doc_count": 1}]}, "sterms#b": {"buckets": []}}}}""")
			.found();
		assertThat(found.buckets("status")).extracting(Bucket::value, Bucket::docCount)
			.containsExactly(tuple("failed", 2L));
		assertThat(found.buckets("flagged")).extracting(Bucket::value, Bucket::docCount)
			.containsExactly(tuple("true", 3L));
		assertThat(found.buckets("empty")).isEmpty();
		assertThat(found.buckets("nothing")).isEmpty();
		// A filter around several (the facets nobody selected) gives each by its name.
		assertThat(found.buckets("a")).extracting(Bucket::value).containsExactly("x");
		assertThat(found.buckets("b")).isEmpty();
	}

	@Test
	void partsThatAreNotReadAreSkipped() {
		SearchAnswer answer = read("""
				{"took": 3, "timed_out": false, "_shards": {"total": 5, "successful": 5, "skipped": 0, "failed": 0,
				  "failures": [{"reason": {"type": "x"}}]},
				 "hits": {"max_score": null, "total": {"value": 1, "relation": "eq"},
				  "hits": [{"_index": "i", "_id": "acme:a", "_score": 1.5, "_source": {"id": "a"},
				            "fields": {"id": ["a"]}, "sort": ["a"]}]},
				 "pit_id": "xyz", "profile": {"shards": [{}]}}""");
		assertThat(answer.failedShards()).isZero();
		assertThat(answer.timedOut()).isFalse();
		assertThat(answer.found().total(0)).isEqualTo(1);
		assertThat(answer.found().hits()).singleElement().satisfies((hit) -> {
			assertThat(hit.source()).isEqualTo("{\"id\": \"a\"}");
			assertThat(hit.sort().get(0).asString()).isEqualTo("a");
		});
	}

	@Test
	void anAnswerOfAnotherShapeIsRefusedSayingWhere() {
		assertThatIllegalStateException().isThrownBy(() -> read("[]"))
			.withMessageContaining("START_ARRAY where START_OBJECT belongs");
		assertThatIllegalStateException().isThrownBy(() -> read("{\"hits\": {\"hits\": {}}}"))
			.withMessageContaining("START_OBJECT where START_ARRAY belongs");
		assertThatIllegalStateException().isThrownBy(() -> read("{\"hits\": {\"hits\": [{\"_source\": [1]}]}}"))
			.withMessageContaining("START_ARRAY where START_OBJECT belongs");
	}

	private SearchAnswer read(String answer) {
		return SearchAnswer.read(this.json, answer.getBytes(StandardCharsets.UTF_8));
	}

}
