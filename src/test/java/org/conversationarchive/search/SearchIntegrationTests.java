package org.conversationarchive.search;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;

import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.conversation.ConversationSearches;
import org.conversationarchive.elasticsearch.ArchiveIndices;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.util.UriComponentsBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Search against the real engine on a fixture built for it: exact counts for each filter
 * alone and combined, the content syntax as QA analysts use it, facets, order, paging and
 * bad input. The fixture lives in indices of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ArchiveIntegrationTest(properties = { "archive.elasticsearch.index-prefix=search-test",
		"archive.conversations.exact-contact-count-limit=2" })
class SearchIntegrationTests {

	@Autowired
	RestTestClient http;

	@Autowired
	JsonMapper json;

	@Autowired
	ElasticsearchClient client;

	@Autowired
	ArchiveIndices indices;

	@Autowired
	ConversationSearches searches;

	@Autowired
	ConversationQueries queries;

	@BeforeAll
	void fixture() {
		String ndjson = String.join("\n", SearchFixture.conversations()) + "\n";
		this.http.post()
			.uri("/api/v1/conversations/_bulk?refresh=true")
			.contentType(MediaType.parseMediaType("application/x-ndjson"))
			.body(ndjson)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.errors")
			.isEqualTo(false);
		// Contact counts are kept a moment after ingest; until then the repeat filter
		// may answer 503 (retry later).
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(List.of(total("repeatMin=4&repeatMax=4"), total("repeatMin=3&repeatMax=3"),
					total("repeatMin=2&repeatMax=2"), total("repeatMin=1&repeatMax=1")))
				.containsExactly(4, 3, 2, 5));
	}

	@Test
	void eachFilterAloneCountsExactly() {
		assertThat(total("")).isEqualTo(15);
		assertThat(total("id=s01&id=s05")).isEqualTo(2);
		assertThat(total("status=completed")).isEqualTo(5);
		assertThat(total("status=completed&status=failed")).isEqualTo(6);
		assertThat(total("from=2025-04-01T00:00:00Z&to=2025-05-01T00:00:00Z")).isEqualTo(4);
		assertThat(total("from=2025-05-01T00:00:00Z")).isEqualTo(4);
		assertThat(total("to=2025-01-01T00:00:00Z")).isEqualTo(1);
		// Bounds beyond the years an index holds (Elasticsearch reads four-digit years
		// only) include every conversation or none.
		assertThat(post("{\"from\": \"-0001-12-31T00:00:00Z\", \"to\": \"+10000-01-01T00:00:00Z\"}", 200).get("total")
			.asInt()).isEqualTo(15);
		assertThat(
				post("{\"from\": \"0000-01-01T00:00:00Z\", \"to\": \"+999999999-12-31T23:59:59Z\"}", 200).get("total")
					.asInt())
			.isEqualTo(15);
		assertThat(post("{\"from\": \"+10000-01-01T00:00:00Z\"}", 200).get("total").asInt()).isZero();
		assertThat(total("to=-1000000-01-01T00:00:00Z")).isZero();
		assertThat(total("platform=voice")).isEqualTo(4);
		assertThat(total("platform=voice&platform=human_phone")).isEqualTo(5);
		assertThat(total("flow=billing")).isEqualTo(3);
		assertThat(total("direction=outbound")).isEqualTo(3);
		assertThat(total("env=test")).isEqualTo(3);
		assertThat(total("env=production")).isEqualTo(12);
		assertThat(total("flagged=true")).isEqualTo(2);
		assertThat(total("flagged=false")).isEqualTo(13);
		assertThat(total("repeatMin=3")).isEqualTo(7);
		assertThat(total("repeatMin=2&repeatMax=3")).isEqualTo(5);
		assertThat(total("repeatMax=1")).isEqualTo(5);
		assertThat(total("repeatMin=5")).isZero();
		assertThat(total("contact=c1")).isEqualTo(4);
		assertThat(total("function=issue_refund")).isEqualTo(1);
		assertThat(total("function=issue_refund&function=lookup_order")).isEqualTo(2);
		assertThat(total("tag=Call Reason:billing")).isEqualTo(2);
		assertThat(total("tag=Language:fr")).isEqualTo(1);
		assertThat(total("tag=Language:en&tag=Call Reason:billing")).isEqualTo(2);
		assertThat(total("tag=Issue:login&tag=Call Reason:delivery")).isZero();
		assertThat(total("tag=Issue:login&tag=Call Reason:delivery&tagMatch=any")).isEqualTo(2);
		assertThat(total("tag=Issue:*")).isEqualTo(1);
		assertThat(total("param=account:A-2")).isEqualTo(1);
		assertThat(total("param=account:*")).isEqualTo(2);
		assertThat(total("param=account:A-2&param=plan:gold")).isEqualTo(1);
		assertThat(total("param=account:A-1&param=plan:gold")).isZero();
		assertThat(total("agent=ava")).isEqualTo(5);
		assertThat(total("liveAgent=true")).isEqualTo(1);
		assertThat(total("liveAgent=false")).isEqualTo(14);
		assertThat(total("flagSource=review_agent")).isEqualTo(1);
		assertThat(total("flagSource=rule&flagSource=review_agent")).isEqualTo(2);
		assertThat(total("flagSource=user")).isZero();
		assertThat(total("emotion=anger:0.6")).isEqualTo(2);
		assertThat(total("emotion=anger:0.4")).isEqualTo(3);
		assertThat(total("emotion=anger:0")).isEqualTo(3);
		// Every emotion must hold, each with its own score: s01's joy is 0.2, its anger
		// 0.7.
		assertThat(total("emotion=anger:0.6&emotion=joy:0.1")).isEqualTo(1);
		assertThat(total("emotion=joy:0.7")).isEqualTo(1);
		assertThat(total("emotion=joy:0.95")).isZero();
	}

	@Test
	void emotionsAreAFacetAndFlagSourcesAndEmotionsReadAsJsonToo() {
		assertThat(facet(find("").get("facets"), "emotions")).containsExactly("anger=3", "joy=2", "confusion=1");
		// The emotion filter narrows the conversations the facet counts.
		assertThat(facet(find("emotion=anger:0.6").get("facets"), "emotions")).containsExactlyInAnyOrder("anger=2",
				"joy=1", "confusion=1");
		assertThat(facet(find("flagSource=rule").get("facets"), "emotions")).containsExactlyInAnyOrder("anger=1",
				"confusion=1");
		JsonNode page = post("{\"flagSources\": [\"rule\", \"review_agent\"], \"emotions\": "
				+ "[{\"emotion\": \"anger\", \"min\": 0.6}, {\"emotion\": \"confusion\", \"min\": 0.5}]}", 200);
		assertThat(page.get("total").asInt()).isOne();
		assertThat(page.get("items").get(0).get("id").asString()).isEqualTo("s11");
		assertThat(post("{\"emotions\": [{\"emotion\": \"anger\", \"min\": 1.5}]}", 400).get("detail").asString())
			.isEqualTo("parameter emotion: the least score of 'anger', 1.5, is not between 0 and 1");
		assertThat(post("{\"flagSources\": [\"robot\"]}", 400).get("detail").asString())
			.startsWith("flagSources[0]: unknown");
		byte[] refused = this.http.get()
			.uri("/api/v1/conversations?emotion=anger")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.returnResult()
			.getResponseBody();
		assertThat(this.json.readTree(refused).get("detail").asString())
			.startsWith("parameter emotion: 'anger' is not emotion:min");
	}

	@Test
	void filtersCombine() {
		assertThat(total("q=refund&platform=voice&flagged=false")).isEqualTo(3);
		assertThat(total("flow=billing&status=abandoned&status=completed")).isEqualTo(2);
		assertThat(total("contact=c1&from=2025-05-01T00:00:00Z")).isEqualTo(2);
		assertThat(total("agent=ava&env=test&q=refund&speaker=agent")).isEqualTo(1);
		assertThat(total("repeatMin=3&platform=sms")).isEqualTo(1);
	}

	@Test
	void contentSearchAsQaAnalystsUseIt() {
		// A bare word finds its forms: s02 says "refunds" (in English, its Language tag).
		// s11's "Refunding is slow" has no tag and too few words to tell its language, so
		// it is matched as written only.
		assertThat(ids("q=refund")).containsExactlyInAnyOrder("s01", "s02", "s06", "s08", "s09", "s10", "s12", "s15");
		assertThat(ids("q=REFUND")).hasSize(8);
		assertThat(ids("q=refund&speaker=user")).containsExactlyInAnyOrder("s01", "s02", "s09", "s10", "s12", "s15");
		assertThat(ids("q=refund&speaker=agent")).containsExactlyInAnyOrder("s01", "s06", "s08");
		assertThat(ids("q=\"want a refund\"")).containsExactly("s01");
		assertThat(ids("q=\"want a refund\"&speaker=agent")).isEmpty();
		assertThat(ids("q=refund*")).hasSize(9).contains("s02", "s11");
		assertThat(ids("q=\"refunds\"")).containsExactly("s02");
		assertThat(ids("q=refund -voucher")).hasSize(7).doesNotContain("s10");
		assertThat(ids("q=refund OR password")).hasSize(9).contains("s03");
		assertThat(ids("q=\"refund order\"")).isEmpty();
		assertThat(ids("q=\"refund order\"~3")).containsExactly("s12");
		assertThat(ids("q=password reset")).containsExactly("s03");
		assertThat(ids("q=(refund OR password) -voucher&speaker=user")).containsExactlyInAnyOrder("s01", "s02", "s03",
				"s09", "s12", "s15");
	}

	@Test
	void contentHitsCarryHighlightsWithTheMessageTimeAndSender() {
		JsonNode row = find("q=refund&id=s01").get("items").get(0);
		JsonNode highlights = row.get("highlights");
		assertThat(highlights).hasSize(2);
		List<String> senders = new ArrayList<>();
		for (JsonNode highlight : highlights) {
			senders.add(highlight.get("senderType").asString());
			assertThat(highlight.get("at").asString()).startsWith("2025-01-10T10:0");
			assertThat(highlight.get("fragments").get(0).asString()).contains("<mark>refund</mark>");
		}
		assertThat(senders).containsExactlyInAnyOrder("user", "agent");
		assertThat(find("q=refund&speaker=agent&id=s01").get("items").get(0).get("highlights")).hasSize(1);
		assertThat(find("id=s01").get("items").get(0).has("highlights")).isFalse();
	}

	@Test
	void highlightsComeInTheTranscriptsOrderNotByScore() {
		// The middle message matches best (twice, in few words), the first least (once,
		// in many).
		arrive("""
				{"id": "hl1", "platform": "web", "startedAt": "2025-06-02T10:00:00Z", "messages": [
				  {"at": "2025-06-02T10:00:00Z", "senderType": "user",
				   "text": "could you please tell me whether I can get a refund for the order I placed last week"},
				  {"at": "2025-06-02T10:01:00Z", "senderType": "agent", "text": "refund approved, refund sent"},
				  {"at": "2025-06-02T10:02:00Z", "senderType": "user", "text": "thanks for the refund"}]}""");
		try {
			JsonNode highlights = find("q=refund&id=hl1").get("items").get(0).get("highlights");
			List<String> shown = new ArrayList<>();
			for (JsonNode highlight : highlights) {
				shown.add(highlight.get("at").asString() + " " + highlight.get("senderType").asString());
			}
			assertThat(shown).containsExactly("2025-06-02T10:00:00Z user", "2025-06-02T10:01:00Z agent",
					"2025-06-02T10:02:00Z user");
			assertThat(highlights.get(1).get("fragments").get(0).asString())
				.isEqualTo("<mark>refund</mark> approved, <mark>refund</mark> sent");
		}
		finally {
			this.http.delete().uri("/api/v1/conversations/hl1").exchange().expectStatus().isNoContent();
		}
	}

	@Test
	void rowsCarryTheTableColumns() {
		JsonNode row = find("id=s01").get("items").get(0);
		assertThat(row.get("id").asString()).isEqualTo("s01");
		assertThat(row.get("platform").asString()).isEqualTo("voice");
		assertThat(row.get("contact").get("id").asString()).isEqualTo("c1");
		assertThat(row.get("status").asString()).isEqualTo("completed");
		assertThat(row.get("flow").get("name").asString()).isEqualTo("Billing");
		assertThat(row.get("durationSeconds").asLong()).isEqualTo(300);
		assertThat(row.get("lastMessageAt").asString()).isEqualTo("2025-01-10T10:02:00Z");
		assertThat(row.get("startedAt").asString()).isEqualTo("2025-01-10T10:00:00Z");
		assertThat(row.get("flagged").asBoolean()).isTrue();
		assertThat(row.get("functions").get(0).asString()).isEqualTo("issue_refund");
		assertThat(row.get("parameters").get("account").asString()).isEqualTo("A-1");
		assertThat(row.get("tags").get("Language").get(1).asString()).isEqualTo("fr");
		assertThat(row.has("messages")).isFalse();
	}

	/**
	 * Rows go out as Elasticsearch sent the documents' row fields: each must be exactly
	 * its conversation's fields of a row (as the detail gives them), nothing of the
	 * document besides, and read back as a row unchanged.
	 */
	@Test
	void everyRowHoldsItsConversationsRowFieldsAndNothingElse() {
		Set<String> rowFields = new HashSet<>();
		for (RecordComponent component : ConversationRow.class.getRecordComponents()) {
			rowFields.add(component.getName());
		}
		for (String query : List.of("size=100", "q=refund OR password&size=100")) {
			JsonNode items = find(query).get("items");
			assertThat(items).isNotEmpty();
			for (JsonNode row : items) {
				String id = row.get("id").asString();
				JsonNode conversation = get("/api/v1/conversations/" + id, null);
				assertThat(row.propertyNames()).as(id).isSubsetOf(rowFields);
				for (String field : rowFields) {
					if (!field.equals("highlights")) {
						assertThat(row.get(field)).as(id + " " + field).isEqualTo(conversation.get(field));
					}
				}
				assertThat(row.has("highlights")).isEqualTo(query.startsWith("q="));
				JsonNode readBack = this.json
					.readTree(this.json.writeValueAsString(this.json.treeToValue(row, ConversationRow.class)));
				assertThat(readBack).as(id).isEqualTo(row);
			}
		}
	}

	@Test
	void facetsCountTheCurrentFilter() {
		JsonNode facets = find("env=test").get("facets");
		assertThat(facet(facets, "status")).containsExactlyInAnyOrder("failed=1", "in_progress=1",
				"voicemail_no_message_left=1");
		// The environment facet leaves out its own selection.
		assertThat(facet(facets, "environment")).containsExactly("production=12", "test=3");
		JsonNode all = find("").get("facets");
		assertThat(facet(all, "platform")).contains("voice=4", "web=3", "sms=2");
		assertThat(facet(all, "flagged")).containsExactlyInAnyOrder("true=2", "false=13");
		assertThat(facet(all, "functions")).contains("issue_refund=1", "lookup_order=1", "reset_password=1");
		assertThat(facet(all, "tagKeys")).contains("Call Reason=3", "Language=2", "Issue=1");
		assertThat(facet(all, "tags")).contains("Call Reason:billing=2", "Language:en=2", "Language:fr=1");
		assertThat(facet(all, "direction")).contains("outbound=3");
		JsonNode billing = null;
		for (JsonNode flow : all.get("flow")) {
			if (flow.get("value").asString().equals("billing")) {
				billing = flow;
			}
		}
		assertThat(billing.get("label").asString()).isEqualTo("Billing");
		assertThat(billing.get("count").asInt()).isEqualTo(3);
	}

	@Test
	void eachFacetIsCountedWithoutItsOwnSelectionAndWithEveryOther() {
		JsonNode page = find("status=completed&platform=voice");
		assertThat(page.get("total").asInt()).isEqualTo(3);
		JsonNode facets = page.get("facets");
		// The statuses of the voice conversations, the platforms of the completed ones.
		assertThat(facet(facets, "status")).containsExactlyInAnyOrder("completed=3", "voicemail_message_left=1");
		assertThat(facet(facets, "platform")).containsExactlyInAnyOrder("voice=3", "whatsapp=1", "web=1");
		// The other facets count with both.
		assertThat(facet(facets, "environment")).containsExactly("production=3");
		assertThat(facet(facets, "flagged")).containsExactlyInAnyOrder("true=1", "false=2");
		assertThat(facet(facets, "direction")).containsExactly("inbound=3");

		JsonNode all = find("").get("facets");
		assertThat(facet(find("status=completed&status=failed").get("facets"), "status"))
			.isEqualTo(facet(all, "status"));
		assertThat(facet(find("flagged=true").get("facets"), "flagged")).containsExactlyInAnyOrder("true=2",
				"false=13");
		assertThat(facet(find("flagged=false").get("facets"), "flagged")).containsExactlyInAnyOrder("true=2",
				"false=13");
		assertThat(facet(find("direction=outbound").get("facets"), "direction")).containsExactly("inbound=12",
				"outbound=3");
		JsonNode billing = find("flow=billing").get("facets");
		assertThat(facet(billing, "flow")).containsExactlyInAnyOrder("billing=3", "support=2", "orders=2");
		assertThat(facet(billing, "status")).containsExactlyInAnyOrder("completed=1", "abandoned=1", "no_answer=1");
		JsonNode refunds = find("function=issue_refund").get("facets");
		assertThat(facet(refunds, "functions")).isEqualTo(facet(all, "functions"));
		assertThat(facet(refunds, "status")).containsExactly("completed=1");

		// Any of some tag pairs selects the tags facet's values; the tag keys count with
		// it.
		JsonNode anyTag = find("tag=Call Reason:billing&tag=Issue:login&tagMatch=any").get("facets");
		assertThat(facet(anyTag, "tags")).isEqualTo(facet(all, "tags")).contains("Call Reason:delivery=1");
		assertThat(facet(anyTag, "tagKeys")).containsExactlyInAnyOrder("Call Reason=2", "Language=2", "Issue=1");
		// All of them narrows with each pair: the facet counts what one more would leave.
		assertThat(facet(find("tag=Language:en").get("facets"), "tags"))
			.containsExactlyInAnyOrder("Call Reason:billing=2", "Language:en=2", "Language:fr=1");
		// Any value of a key is no value of the tags facet: it narrows every facet.
		assertThat(facet(find("tag=Issue:*&tag=Call Reason:delivery&tagMatch=any").get("facets"), "tags"))
			.containsExactlyInAnyOrder("Issue:login=1", "Call Reason:delivery=1");

		// What selects no facet's values narrows every facet.
		JsonNode ada = find("contact=c1&status=completed").get("facets");
		assertThat(facet(ada, "status")).containsExactlyInAnyOrder("completed=2", "abandoned=1", "unsubscribed=1");
		JsonNode said = find("q=refund&platform=voice");
		assertThat(said.get("total").asInt()).isEqualTo(4);
		// s02's "refunds" is a form of refund.
		assertThat(facet(said.get("facets"), "platform")).containsExactlyInAnyOrder("voice=4", "slack=1", "web=1",
				"sms=2");
	}

	@Test
	void aFacetSelectedByTheViewAndTheRequestIsCountedWithoutEither() {
		String view = this.json
			.readTree(this.http.post()
				.uri("/api/v1/views")
				.contentType(MediaType.APPLICATION_JSON)
				.body("{\"name\": \"production outcomes\", \"filter\": "
						+ "{\"statuses\": [\"completed\", \"failed\"], \"environments\": [\"production\"]}}")
				.exchange()
				.expectStatus()
				.isCreated()
				.expectBody()
				.returnResult()
				.getResponseBody())
			.get("id")
			.asString();
		try {
			JsonNode page = find("view=" + view + "&status=failed");
			// The only failed conversation is a test one.
			assertThat(page.get("total").asInt()).isZero();
			assertThat(facet(page.get("facets"), "environment")).containsExactly("test=1");
			assertThat(facet(page.get("facets"), "status")).contains("completed=5", "abandoned=1", "reported=1")
				.noneMatch((value) -> value.startsWith("failed="));
			assertThat(find("view=" + view + "&status=completed").get("total").asInt()).isEqualTo(5);
		}
		finally {
			this.http.delete().uri("/api/v1/views/{id}", view).exchange().expectStatus().isNoContent();
		}
	}

	@Test
	void facetsComeOnEveryPage() {
		JsonNode first = find("size=2&status=completed");
		JsonNode second = find("size=2&status=completed&cursor=" + first.get("nextCursor").asString());
		JsonNode last = find("size=2&status=completed&cursor=" + second.get("nextCursor").asString());
		assertThat(last.get("items")).hasSize(1);
		assertThat(facet(first.get("facets"), "status")).contains("completed=5", "failed=1");
		for (JsonNode page : List.of(second, last)) {
			assertThat(page.get("facets")).isEqualTo(first.get("facets"));
		}
	}

	/**
	 * The facets' selections filter the hits after the query: the same hits in the same
	 * order with the same scores and total as when every filter was part of the query.
	 */
	@Test
	void selectionsLeaveTheHitsTheirOrderTotalAndScoresAsInOneQuery() throws Exception {
		String asked = "q=refund OR order OR invoice&status=completed&status=restarted&platform=voice&platform=sms"
				+ "&flagged=false&sort=relevance";
		JsonNode explained = get("/api/v1/conversations/_explain", asked);
		assertThat(explained.get("body").has("post_filter")).isTrue();
		JsonNode parameters = explained.get("parameters").deepCopy();
		((ObjectNode) parameters).remove("filter_path");
		JsonNode posted = this.json.readTree(java.net.http.HttpClient.newHttpClient()
			.send(java.net.http.HttpRequest
				.newBuilder(java.net.URI.create(org.conversationarchive.TestElasticsearch.uri() + "/"
						+ explained.get("index").asString() + "/_search?" + queryString(parameters)))
				.header("Content-Type", "application/json")
				.POST(java.net.http.HttpRequest.BodyPublishers.ofString(explained.get("body").toString()))
				.build(), java.net.http.HttpResponse.BodyHandlers.ofString())
			.body());

		LinkedMultiValueMap<String, String> parameterMap = new LinkedMultiValueMap<>();
		for (String pair : asked.split("&")) {
			String[] nameValue = pair.split("=", 2);
			if (!nameValue[0].equals("sort")) {
				parameterMap.add(nameValue[0], nameValue[1]);
			}
		}
		List<Filter> filters = List.of(FilterParameters.parse(parameterMap));
		Query filtering = this.queries.filter("default", filters);
		Query relevance = this.queries.relevance(filters, 3);
		SearchResponse<Void> oneQuery = this.client.search((search) -> search.index(explained.get("index").asString())
			.routing("default")
			.size(100)
			.trackTotalHits((track) -> track.enabled(true))
			.query((query) -> query.bool((bool) -> bool.filter(filtering).must(relevance)))
			.sort((sort) -> sort.score((score) -> score.order(SortOrder.Desc)))
			.sort((sort) -> sort.field((field) -> field.field("id").order(SortOrder.Asc))), Void.class);

		assertThat(posted.at("/hits/total/value").asLong()).isEqualTo(oneQuery.hits().total().value()).isEqualTo(3);
		List<String> postFiltered = new ArrayList<>();
		for (JsonNode hit : posted.at("/hits/hits")) {
			postFiltered.add(hit.get("_id").asString() + " " + hit.get("sort").get(0).asDouble());
		}
		List<String> filtered = oneQuery.hits()
			.hits()
			.stream()
			.map((hit) -> hit.id() + " " + hit.sort().get(0).doubleValue())
			.toList();
		assertThat(postFiltered).isEqualTo(filtered).hasSize(3);
		assertThat(ids(asked)).containsExactlyElementsOf(
				filtered.stream().map((hit) -> hit.substring(hit.indexOf(':') + 1, hit.indexOf(' '))).toList());
	}

	@Test
	void flowNamesAreReadOnceAndRememberedForAFewMinutes() throws IOException {
		// Another org's conversation, in the same indices: invisible to the fixture's
		// org.
		String org = "flow-names-test";
		Instant startedAt = Instant.parse("2025-05-05T10:00:00Z");
		String index = this.indices.conversationsFor(startedAt);
		indexFlow(index, org, "First name");
		SteppingClock clock = new SteppingClock(Instant.parse("2026-01-01T00:00:00Z"));
		FlowNames names = new FlowNames(this.searches, clock);
		assertThat(names.names(org, List.of("renamed-flow", "no-such-flow")))
			.isEqualTo(Map.of("renamed-flow", "First name"));

		indexFlow(index, org, "Second name");
		assertThat(names.names(org, List.of("renamed-flow"))).containsEntry("renamed-flow", "First name");
		clock.now = clock.now.plus(FlowNames.REMEMBERED).plusSeconds(1);
		assertThat(names.names(org, List.of("renamed-flow"))).containsEntry("renamed-flow", "Second name");
		assertThat(names.names("default", List.of("renamed-flow"))).as("names are the org's own").isEmpty();
		this.client.delete((delete) -> delete.index(index).id(org + ":flow").routing(org).refresh(Refresh.True));
	}

	private void indexFlow(String index, String org, String name) throws IOException {
		this.client.index((request) -> request.index(index)
			.id(org + ":flow")
			.routing(org)
			.refresh(Refresh.True)
			.document(Map.of("org", org, "id", "flow", "startedAt", "2025-05-05T10:00:00Z", "flow",
					Map.of("id", "renamed-flow", "name", name))));
	}

	static final class SteppingClock extends Clock {

		Instant now;

		SteppingClock(Instant now) {
			this.now = now;
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

	@Test
	void sortsByDateLastMessageDurationAndRelevance() {
		assertThat(ids("sort=date:asc").get(0)).isEqualTo("s07");
		assertThat(ids("").get(0)).isEqualTo("s15");
		assertThat(ids("sort=duration").get(0)).isEqualTo("s04");
		assertThat(ids("sort=duration:asc").get(0)).isEqualTo("s14");
		assertThat(ids("sort=lastMessage:desc").get(0)).isEqualTo("s15");
		List<String> relevance = ids("q=refund OR invoice&sort=relevance");
		assertThat(relevance.get(0)).isEqualTo("s01");
	}

	@Test
	void aCursorWalksEveryRowExactlyOnceEvenWhileConversationsArrive() throws Exception {
		List<String> seen = new ArrayList<>();
		JsonNode page = find("size=4&sort=date:desc");
		assertThat(page.get("total").asInt()).isEqualTo(15);
		int pages = 1;
		collect(page, seen);
		// Conversations arriving mid-walk: one that sorts before the cursor is for a
		// later
		// search; one that sorts after it shows once, where it belongs.
		arrive("{\"id\": \"early\", \"platform\": \"sms\", \"startedAt\": \"2025-06-01T00:00:00Z\"}");
		arrive("{\"id\": \"late\", \"platform\": \"sms\", \"startedAt\": \"2025-01-01T00:00:00Z\"}");
		try {
			while (page.hasNonNull("nextCursor")) {
				page = find("size=4&sort=date:desc&cursor=" + page.get("nextCursor").asString());
				collect(page, seen);
				pages++;
				assertThat(pages).isLessThan(10);
			}
			assertThat(seen).hasSize(16).doesNotHaveDuplicates().doesNotContain("early").contains("late");
		}
		finally {
			this.http.delete().uri("/api/v1/conversations/early").exchange().expectStatus().isNoContent();
			this.http.delete().uri("/api/v1/conversations/late").exchange().expectStatus().isNoContent();
		}

		String cursor = find("size=2").get("nextCursor").asString();
		problem("size=2&status=failed&cursor=" + cursor, "parameter cursor: it belongs to another search");
		problem("cursor=bm90LWEtY3Vyc29y", "parameter cursor: not a cursor this archive gave out");
	}

	@Test
	void aCursorIsShortWhateverTheNumberOfIndicesAndPagesOnByGetAndPost() throws Exception {
		List<String> empty = new ArrayList<>();
		for (int year = 1900; year < 1960; year++) {
			empty.add(this.indices.conversations(year));
		}
		try {
			createTogether(empty);
			JsonNode first = find("size=4&sort=date:desc");
			String cursor = first.get("nextCursor").asString();
			assertThat(cursor).hasSizeLessThan(200);
			List<String> seen = new ArrayList<>();
			collect(first, seen);
			collect(find("size=4&sort=date:desc&cursor=" + cursor), seen);
			assertThat(seen).hasSize(8).doesNotHaveDuplicates();

			byte[] body = this.http.post()
				.uri("/api/v1/conversations/_search?size=4&sort=date:desc")
				.contentType(MediaType.APPLICATION_JSON)
				.body("{}")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.returnResult()
				.getResponseBody();
			String posted = this.json.readTree(body).get("nextCursor").asString();
			assertThat(posted).hasSizeLessThan(200);
			JsonNode second = this.json.readTree(this.http.post()
				.uri("/api/v1/conversations/_search?size=4&sort=date:desc&cursor=" + posted)
				.contentType(MediaType.APPLICATION_JSON)
				.body("{}")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.returnResult()
				.getResponseBody());
			List<String> postedIds = new ArrayList<>();
			second.get("items").forEach((row) -> postedIds.add(row.get("id").asString()));
			assertThat(postedIds).isEqualTo(seen.subList(4, 8));
		}
		finally {
			this.client.indices().delete((delete) -> delete.index(empty).ignoreUnavailable(true));
		}
	}

	/**
	 * Creates indices side by side, each answered once its shard has started: one after
	 * the other, sixty took a minute.
	 */
	private void createTogether(List<String> names) throws Exception {
		try (ExecutorService creating = Executors.newVirtualThreadPerTaskExecutor()) {
			List<Future<?>> created = new ArrayList<>();
			for (String name : names) {
				created.add(creating.submit(() -> this.client.indices().create((create) -> create.index(name))));
			}
			for (Future<?> each : created) {
				each.get();
			}
		}
	}

	@Test
	void pagesLeaveNothingOpenInElasticsearch() throws IOException {
		long before = openSearchContexts();
		for (int i = 0; i < 10; i++) {
			JsonNode first = find("size=2&sort=date:desc");
			find("size=2&sort=date:desc&cursor=" + first.get("nextCursor").asString());
		}
		// A point in time per first page held one context per index, 20 here; the slack
		// is for an export another test context may run meanwhile.
		assertThat(openSearchContexts()).isLessThan(before + 10);
	}

	private long openSearchContexts() throws IOException {
		return this.client.nodes()
			.stats()
			.nodes()
			.values()
			.stream()
			.mapToLong((node) -> node.indices().search().openContexts())
			.sum();
	}

	@Test
	void aForgedCursorIsABadRequestNamingTheCursor() {
		String cursor = find("size=2").get("nextCursor").asString();
		JsonNode real = this.json.readTree(java.util.Base64.getUrlDecoder().decode(cursor));
		String search = real.get("search").asString();
		List<String> forged = List.of("{\"after\": [\"x\", \"s01\"], \"search\": \"" + search + "\"}",
				"{\"after\": [1, 2], \"search\": \"" + search + "\"}",
				"{\"after\": [1.5, \"s01\"], \"search\": \"" + search + "\"}",
				"{\"after\": [1, \"s01\", 3], \"search\": \"" + search + "\"}",
				"{\"after\": [1, \"s01\", 3, 4, 5, 6], \"search\": \"" + search + "\"}",
				"{\"after\": [], \"search\": \"" + search + "\"}",
				"{\"after\": [{\"a\": 1}, \"s01\"], \"search\": \"" + search + "\"}",
				"{\"after\": [1, [\"s01\"]], \"search\": \"" + search + "\"}",
				"{\"after\": [null, \"s01\"], \"search\": \"" + search + "\"}",
				"{\"after\": [1e400, \"s01\"], \"search\": \"" + search + "\"}",
				"{\"after\": [123456789012345678901234567890, \"s01\"], \"search\": \"" + search + "\"}",
				"{\"after\": {\"0\": 1}, \"search\": \"" + search + "\"}",
				"{\"after\": [1, \"s01\"], \"search\": \"" + search + "\", \"size\": 5}",
				"{\"after\": [1, \"s01\"], \"search\": {\"a\": 1}}", "[1, \"s01\"]", "\"a cursor\"", "42", "null",
				"{}");
		for (String text : forged) {
			problem("size=2&cursor=" + java.util.Base64.getUrlEncoder()
				.withoutPadding()
				.encodeToString(text.getBytes(StandardCharsets.UTF_8)),
					"parameter cursor: not a cursor this archive gave out");
		}
		// A position that no page of this archive has: negative, not a whole number, none
		// on a page after a row, some on the first page.
		String row = real.get("after").toString();
		for (String offset : List.of("-1", "0", "1.5", "\"4\"", "null", "123456789012345678901234567890", "[]")) {
			for (String direction : List.of("after", "before")) {
				problem("size=2&cursor=" + encode("{\"" + direction + "\": " + row + ", \"offset\": " + offset
						+ ", \"search\": \"" + search + "\"}"), "parameter cursor: not a cursor this archive gave out");
			}
		}
		problem("size=2&cursor=" + encode("{\"offset\": 2, \"search\": \"" + search + "\"}"),
				"parameter cursor: not a cursor this archive gave out");
		problem("size=2&cursor=" + encode("{\"search\": \"" + search + "\"}"),
				"parameter cursor: not a cursor this archive gave out");
		problem("size=2&cursor=" + encode(
				"{\"after\": " + row + ", \"before\": " + row + ", \"offset\": 2, \"search\": \"" + search + "\"}"),
				"parameter cursor: not a cursor this archive gave out");
		// One given out before pages had positions.
		problem("size=2&cursor=" + encode("{\"after\": " + row + ", \"search\": \"" + search + "\"}"),
				"parameter cursor: a cursor of an earlier version, without the page's position; start again");
		problem("size=2&cursor=%25%25%25", "parameter cursor: not a cursor this archive gave out");
		problem("size=2&cursor=" + "A".repeat(5000), "parameter cursor: not a cursor this archive gave out");
		// A field a cursor of this archive never holds (older ones carried a point in
		// time, which expired within minutes).
		String withPit = java.util.Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(
					("{\"pit\": \"garbage\", \"after\": " + real.get("after") + ", \"search\": \"" + search + "\"}")
						.getBytes(StandardCharsets.UTF_8));
		problem("size=2&cursor=" + withPit, "parameter cursor: not a cursor this archive gave out");
	}

	private static String encode(String cursor) {
		return java.util.Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(cursor.getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void pagesSayWhereTheyStartAndGoBackTheWayTheyCame() {
		// Thirteen conversations not flagged; two of them without a last message, one
		// without a duration.
		walkBothWays("flagged=false&sort=date:desc", 5, 3);
		walkBothWays("flagged=false&sort=duration:desc", 5, 3);
		// The last page starts at a row without the key, and the page before it crosses
		// another (by id) on the way back.
		walkBothWays("flagged=false&sort=lastMessage:asc", 6, 3);
		walkBothWays("flagged=false&sort=duration:asc", 6, 3);
		walkBothWays("flagged=false&sort=lastMessage:desc", 4, 4);
		// Eleven by relevance, some with the same score (then by id).
		walkBothWays("q=refund* OR password OR order&sort=relevance", 4, 3);
		walkBothWays("q=refund* OR password OR order&sort=relevance:asc", 5, 3);
	}

	/**
	 * Walks a search's pages forward to the last, then back to the first with each page's
	 * previous cursor, and forward again from each page reached backwards: every page is
	 * the same each way (rows, offset, cursors, total and facets), and the first reached
	 * backwards is the first page exactly.
	 */
	private void walkBothWays(String query, int size, int pages) {
		String search = query + "&size=" + size;
		List<JsonNode> forward = new ArrayList<>();
		JsonNode page = find(search);
		forward.add(page);
		while (page.hasNonNull("nextCursor")) {
			page = find(search + "&cursor=" + page.get("nextCursor").asString());
			forward.add(page);
		}
		assertThat(forward).as(query).hasSize(pages);
		List<String> walked = new ArrayList<>();
		for (int i = 0; i < pages; i++) {
			assertThat(forward.get(i).get("offset").asLong()).as(query + " page " + i).isEqualTo((long) i * size);
			assertThat(forward.get(i).get("items")).as(query + " page " + i).isNotEmpty();
			collect(forward.get(i), walked);
		}
		assertThat(walked).as(query).isEqualTo(ids(query));
		assertThat(forward.get(0).hasNonNull("previousCursor")).isFalse();
		assertThat(forward.get(pages - 1).hasNonNull("nextCursor")).isFalse();

		JsonNode back = forward.get(pages - 1);
		for (int i = pages - 2; i >= 0; i--) {
			back = find(search + "&cursor=" + back.get("previousCursor").asString());
			assertThat(back).as(query + " back to page " + i).isEqualTo(forward.get(i));
			JsonNode again = find(search + "&cursor=" + back.get("nextCursor").asString());
			assertThat(again).as(query + " forward again to page " + (i + 1)).isEqualTo(forward.get(i + 1));
		}
		assertThat(back.hasNonNull("previousCursor")).isFalse();
	}

	@Test
	void aPageBeforeRowsThatWentAwayIsTheFirstPage() {
		String search = "sort=date:asc&size=3";
		List<String> arrivals = List.of("a1", "a2", "a3", "a4");
		for (int i = 0; i < arrivals.size(); i++) {
			arrive("{\"id\": \"" + arrivals.get(i) + "\", \"platform\": \"sms\", \"startedAt\": \"2024-01-0" + (i + 1)
					+ "T00:00:00Z\"}");
		}
		try {
			JsonNode first = find(search);
			JsonNode second = find(search + "&cursor=" + first.get("nextCursor").asString());
			JsonNode third = find(search + "&cursor=" + second.get("nextCursor").asString());
			assertThat(third.get("offset").asInt()).isEqualTo(6);
			// The first four rows go: two are left before the third page, fewer than a
			// page.
			for (String id : arrivals) {
				this.http.delete().uri("/api/v1/conversations/" + id).exchange().expectStatus().isNoContent();
			}
			JsonNode back = find(search + "&cursor=" + third.get("previousCursor").asString());
			assertThat(back).isEqualTo(find(search));
			assertThat(back.get("offset").asInt()).isZero();
			assertThat(back.get("items")).hasSize(3);
			assertThat(back.hasNonNull("previousCursor")).isFalse();
		}
		finally {
			for (String id : arrivals) {
				this.http.delete().uri("/api/v1/conversations/" + id).exchange();
			}
		}
	}

	@Test
	void aPageThatCannotReadEveryIndexIsUnavailableNotShort() throws IOException {
		String older = this.indices.conversations(2024);
		this.client.indices().close((close) -> close.index(older));
		try {
			this.http.get()
				.uri("/api/v1/conversations?size=2")
				.exchange()
				.expectStatus()
				.isEqualTo(503)
				.expectHeader()
				.valueEquals("Retry-After", "5")
				.expectBody()
				.jsonPath("$.detail")
				.value(String.class, (detail) -> assertThat(detail)
					.startsWith("Some of the archive's conversations cannot be read"));
			// Reading one of its conversations by id: the same "retry later", not an
			// internal error.
			this.http.get()
				.uri("/api/v1/conversations/{id}", "s07")
				.exchange()
				.expectStatus()
				.isEqualTo(503)
				.expectHeader()
				.valueEquals("Retry-After", "5");
			// A write cannot tell whether the conversation is in the closed year (it
			// would leave a second copy there): retry later, like the reads.
			this.http.post()
				.uri("/api/v1/conversations")
				.contentType(MediaType.APPLICATION_JSON)
				.body("{\"id\": \"while-closed\", \"platform\": \"sms\", \"startedAt\": \"2025-03-01T00:00:00Z\"}")
				.exchange()
				.expectStatus()
				.isEqualTo(503)
				.expectHeader()
				.valueEquals("Retry-After", "5");
		}
		finally {
			this.client.indices().open((open) -> open.index(older));
			this.client.cluster()
				.health((health) -> health.index(older)
					.waitForStatus(co.elastic.clients.elasticsearch._types.HealthStatus.Yellow));
		}
		this.http.get().uri("/api/v1/conversations/{id}", "while-closed").exchange().expectStatus().isNotFound();
		assertThat(total("")).isEqualTo(15);
	}

	private void arrive(String conversation) {
		this.http.post()
			.uri("/api/v1/conversations")
			.contentType(MediaType.APPLICATION_JSON)
			.body(conversation)
			.exchange()
			.expectStatus()
			.isCreated();
	}

	@Test
	void theJsonFilterFindsWhatTheQueryStringFinds() {
		String filter = """
				{"statuses": ["completed", "failed"], "platforms": ["voice", "web"],
				 "content": {"query": "refund OR password", "speaker": "user"},
				 "tags": {"match": "any", "pairs": [{"key": "Call Reason", "value": "billing"}, {"key": "Issue", "value": "login"}]}}""";
		JsonNode page = post(filter, 200);
		assertThat(page.get("total").asInt()).isEqualTo(total(
				"status=completed&status=failed&platform=voice&platform=web&q=refund OR password&speaker=user&tag=Call Reason:billing&tag=Issue:login&tagMatch=any"));
		assertThat(page.get("total").asInt()).isEqualTo(2);
		assertThat(post("{\"repeatContacts\": {\"min\": 3}}", 200).get("total").asInt()).isEqualTo(7);
		assertThat(post("{\"statuss\": [\"completed\"]}", 400).get("detail").asString())
			.isEqualTo("unknown field 'statuss'");
		assertThat(post("{\"statuses\": [\"done\"]}", 400).get("detail").asString())
			.startsWith("statuses[0]: unknown status 'done'");
		// Values of another JSON type are refused naming the field, never coerced.
		assertThat(post("{\"flagged\": \"true\"}", 400).get("detail").asString())
			.startsWith("flagged: expected true or false");
		assertThat(post("{\"ids\": [1]}", 400).get("detail").asString()).isEqualTo("ids[0]: 1 is not a string");
		// Within what a term and a terms query take, for search, views and exports alike.
		assertThat(post("{\"contacts\": [\"" + "c".repeat(4097) + "\"]}", 400).get("detail").asString())
			.isEqualTo("contacts[0]: 4097 characters; at most 4096 are allowed");
		assertThat(post("{\"tags\": {\"pairs\": [{\"key\": \"k\", \"value\": \"" + "v".repeat(40000) + "\"}]}}", 400)
			.get("detail")
			.asString()).isEqualTo("parameter tag value: 40000 characters; at most 4096 are allowed");
		assertThat(post("{\"ids\": [" + "\"x\",".repeat(10_000) + "\"x\"]}", 400).get("detail").asString())
			.isEqualTo("ids: 10001 values; at most 10000 are allowed");
		assertThat(post("{\"ids\": [\"" + "x".repeat(4096) + "\"]}", 200).get("total").asInt()).isZero();
		String pair = "{\"key\": \"k\", \"value\": \"v\"},";
		assertThat(post("{\"parameters\": [" + pair.repeat(501) + "{\"key\": \"k\", \"value\": \"w\"}]}", 400)
			.get("detail")
			.asString()).isEqualTo("parameter param: 502 pairs; at most 500 are allowed");
		assertThat(post("{\"tags\": {\"match\": \"any\", \"pairs\": [" + pair.repeat(499)
				+ "{\"key\": \"k\", \"value\": \"w\"}]}}", 200)
			.get("total")
			.asInt()).isZero();
		assertThat(post("{\"parameters\": [{\"key\": \"account\", \"value\": 2}]}", 400).get("detail").asString())
			.isEqualTo("parameters[0].value: 2 is not a string");
		assertThat(post("{\"repeatContacts\": {\"min\": \"3\"}}", 400).get("detail").asString())
			.startsWith("repeatContacts.min: expected a whole number");
		assertThat(post("{\"from\": 0}", 400).get("detail").asString())
			.startsWith("from: expected an ISO-8601 instant");
		assertThat(post("{\"content\": \"refund\"}", 400).get("detail").asString())
			.isEqualTo("content: expected an object");
		assertThat(post("{\"ids\": [\"s01\", null]}", 400).get("detail").asString())
			.isEqualTo("ids[1]: null is not a value; leave it out");
		assertThat(post("{\"statuses\": [null]}", 400).get("detail").asString())
			.isEqualTo("statuses[0]: null is not a value; leave it out");
		assertThat(post("{\"from\": \"2025-06-01T00:00:00Z\", \"to\": \"2025-01-01T00:00:00Z\"}", 400).get("detail")
			.asString()).contains("from must not be after to");
	}

	@Test
	void badInputIsA400ThatNamesTheParameterAndValue() {
		problem("status=done", "parameter status: unknown status 'done'; expected one of completed, abandoned");
		problem("platform=fax", "parameter platform: unknown platform 'fax'");
		problem("from=yesterday", "parameter from: 'yesterday' is not an ISO-8601 instant");
		problem("from=2025-06-01T00:00:00Z&to=2025-01-01T00:00:00Z", "parameter from: 2025-06-01T00:00:00Z is after");
		problem("repeatMin=abc", "parameter repeatMin: 'abc' is not a whole number");
		problem("repeatMin=-1", "parameter repeatMin: -1 is negative");
		problem("repeatMin=5&repeatMax=2", "parameter repeatMin: 5 is greater than parameter repeatMax: 2");
		problem("q=\"unclosed", "parameter q: the content query has a \" at position 1 that is never closed");
		problem("q=refund OR", "parameter q: the content query has an OR at position 8 with nothing after it");
		problem("q=-voucher", "parameter q: the content query only excludes words");
		problem("q=refund (-voucher)",
				"parameter q: the content query has parentheses at position 8 that only exclude");
		problem("q=(-voucher -coupon)",
				"parameter q: the content query has parentheses at position 1 that only exclude");
		problem("q=r*", "parameter q: the content query has 'r*'; a prefix needs at least 2 characters");
		problem("speaker=user", "parameter speaker: needs a content query");
		problem("q=refund&speaker=robot", "parameter speaker: unknown senderType 'robot'");
		problem("tag=Language:en&tagMatch=some",
				"parameter tagMatch: unknown tagMatch 'some'; expected one of all, any");
		problem("tag=Language", "parameter tag: 'Language' is not key:value");
		problem("flagged=maybe", "parameter flagged: 'maybe' is not true or false");
		// Only as JSON spells them: nothing is read as true or false, nor as a value.
		for (String spelled : List.of("yes", "1", "TRUE", "no", "0")) {
			problem("flagged=" + spelled, "parameter flagged: '" + spelled + "' is not true or false");
		}
		problem("platform=VOICE", "parameter platform: unknown platform 'VOICE'");
		problem("size=5000", "parameter size: 5000 is not between 1 and 1000");
		problem("size=0", "parameter size: 0 is not between 1 and 1000");
		problem("sort=price", "parameter sort: unknown sort 'price'");
		problem("stauts=completed", "unknown parameter 'stauts'");
	}

	@Test
	void contentQueriesNestAtMostTenDeepAndEveryDepthAcceptedRuns() {
		// The deepest form: each level an OR around the next group, two boolean queries
		// a level, with a speaker, sorted by relevance, and narrowed by a saved view.
		String deepest = nested(ContentQuery.MAX_DEPTH);
		String view = this.json
			.readTree(this.http.post()
				.uri("/api/v1/views")
				.contentType(MediaType.APPLICATION_JSON)
				.body(this.json.writeValueAsString(Map.of("name", "deep", "filter",
						Map.of("content", Map.of("query", deepest, "speaker", "user")))))
				.exchange()
				.expectStatus()
				.isCreated()
				.expectBody()
				.returnResult()
				.getResponseBody())
			.get("id")
			.asString();
		assertThat(ids("q=" + deepest + "&speaker=user&sort=relevance&view=" + view)).contains("s01");
		assertThat(total("q=-voucher " + deepest)).isPositive();
		get("/api/v1/conversations/_explain", "q=" + deepest);
		assertThat(post(this.json.writeValueAsString(Map.of("content", Map.of("query", deepest))), 200).get("total")
			.asInt()).isPositive();

		for (int depth : new int[] { ContentQuery.MAX_DEPTH + 1, 28, 70 }) {
			String tooDeep = nested(depth);
			problem("q=" + tooDeep, "parameter q: the content query nests parentheses more than 10 deep");
			assertThat(
					post(this.json.writeValueAsString(Map.of("content", Map.of("query", tooDeep))), 400).get("detail")
						.asString())
				.startsWith("parameter q: the content query nests parentheses more than 10 deep");
			String filter = this.json.writeValueAsString(Map.of("content", Map.of("query", tooDeep)));
			for (String path : new String[] { "/api/v1/views", "/api/v1/exports", "/api/v1/exports?preview=true" }) {
				String body = path.startsWith("/api/v1/views") ? "{\"name\": \"deep\", \"filter\": " + filter + "}"
						: "{\"filter\": " + filter + "}";
				this.http.post()
					.uri(path)
					.contentType(MediaType.APPLICATION_JSON)
					.body(body)
					.exchange()
					.expectStatus()
					.isBadRequest()
					.expectBody()
					.jsonPath("$.detail")
					.value(String.class,
							(detail) -> assertThat(detail).contains("nests parentheses more than 10 deep"));
			}
		}
	}

	/**
	 * {@code (voucher OR (voucher OR (… (refund) …)))}, {@code depth} parentheses deep.
	 */
	private static String nested(int depth) {
		String query = "refund";
		for (int level = 1; level <= depth; level++) {
			query = (level == 1) ? "(" + query + ")" : "(voucher OR " + query + ")";
		}
		return query;
	}

	@Test
	void explainGivesTheElasticsearchRequestItself() throws Exception {
		JsonNode explained = get("/api/v1/conversations/_explain", "status=completed&q=refund");
		assertThat(explained.get("routing").asString()).isEqualTo("default");
		java.net.http.HttpResponse<String> direct = java.net.http.HttpClient.newHttpClient()
			.send(java.net.http.HttpRequest
				.newBuilder(java.net.URI.create(org.conversationarchive.TestElasticsearch.uri() + "/"
						+ explained.get("index").asString() + "/_search?" + queryString(explained.get("parameters"))))
				.header("Content-Type", "application/json")
				.POST(java.net.http.HttpRequest.BodyPublishers.ofString(explained.get("body").toString()))
				.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
		assertThat(direct.statusCode()).isEqualTo(200);
		JsonNode answer = this.json.readTree(direct.body());
		assertThat(answer.get("hits").get("total").get("value").asInt()).isEqualTo(total("status=completed&q=refund"));
		// Only what a page reads comes back (filter_path), and the facets by type and
		// name.
		assertThat(answer.get("hits").get("hits").get(0).propertyNames()).containsOnly("_source", "sort", "inner_hits");
		assertThat(answer.get("aggregations").has("sterms#status")).isTrue();
		assertThat(explained.get("parameters").get("routing").asString()).isEqualTo("default");
		// Its size is a page's.
		this.http.get()
			.uri("/api/v1/conversations/_explain?size=-1")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo("parameter size: -1 is not between 1 and 1000");
	}

	private static String queryString(JsonNode parameters) {
		StringBuilder query = new StringBuilder();
		for (Map.Entry<String, JsonNode> parameter : parameters.properties()) {
			query.append((query.length() > 0) ? "&" : "")
				.append(parameter.getKey())
				.append('=')
				.append(java.net.URLEncoder.encode(parameter.getValue().asString(), StandardCharsets.UTF_8));
		}
		return query.toString();
	}

	@Test
	void transcriptsDownloadAsTextOrJson() {
		String text = this.http.get()
			.uri("/api/v1/conversations/s01/transcript")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("Content-Disposition", "attachment; filename=\"s01-transcript.txt\"")
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(text).contains("[2025-01-10 10:00:30 UTC] user (Ada): I want a refund for my last invoice")
			.contains("function issue_refund {\"amount\":42} -> {\"status\":\"refunded\"}");
		this.http.get()
			.uri("/api/v1/conversations/s01/transcript?format=json")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.messages.length()")
			.isEqualTo(3);
		this.http.get().uri("/api/v1/conversations/s01/transcript?format=pdf").exchange().expectStatus().isBadRequest();
	}

	private void collect(JsonNode page, List<String> seen) {
		for (JsonNode row : page.get("items")) {
			seen.add(row.get("id").asString());
		}
	}

	private static List<String> facet(JsonNode facets, String name) {
		List<String> values = new ArrayList<>();
		for (JsonNode value : facets.get(name)) {
			values.add(value.get("value").asString() + "=" + value.get("count").asInt());
		}
		return values;
	}

	private int total(String query) {
		return find(query).get("total").asInt();
	}

	private List<String> ids(String query) {
		JsonNode page = find(query + (query.isEmpty() ? "" : "&") + "size=100");
		List<String> ids = new ArrayList<>();
		page.get("items").forEach((row) -> ids.add(row.get("id").asString()));
		Set<String> distinct = new HashSet<>(ids);
		assertThat(distinct).hasSameSizeAs(ids);
		assertThat(page.get("total").asInt()).isEqualTo(ids.size());
		return ids;
	}

	private JsonNode find(String query) {
		return get("/api/v1/conversations", query);
	}

	/**
	 * The JSON a {@code GET} answers with {@code 200}.
	 */
	private JsonNode get(String path, String query) {
		byte[] body = this.http.get()
			.uri(UriComponentsBuilder.fromPath(path).query(query).encode().build().toUri())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody();
		return this.json.readTree(body);
	}

	private JsonNode post(String filter, int status) {
		byte[] body = this.http.post()
			.uri("/api/v1/conversations/_search?size=100")
			.contentType(MediaType.APPLICATION_JSON)
			.body(filter)
			.exchange()
			.expectStatus()
			.isEqualTo(status)
			.expectBody()
			.returnResult()
			.getResponseBody();
		return this.json.readTree(body);
	}

	private void problem(String query, String detail) {
		this.http.get()
			.uri(UriComponentsBuilder.fromPath("/api/v1/conversations").query(query).encode().build().toUri())
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.detail")
			.value(String.class, (actual) -> assertThat(actual).startsWith(detail));
	}

}
