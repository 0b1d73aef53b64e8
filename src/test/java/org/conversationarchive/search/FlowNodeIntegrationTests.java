package org.conversationarchive.search;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.ZipInputStream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.OrgApi;
import org.conversationarchive.TestUsers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The flow node a message was produced at, on a fixture built for it: kept on the
 * transcript and in the history CSV's {@code Data}, where the conversation left its flow
 * derived from it ({@code exitNode}, whatever the client sent), and the filters
 * {@code flowNode} (passed through) and {@code exitNode}, with the exit node a facet, in
 * the query string, JSON and views.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ArchiveIntegrationTest
@Import(TestUsers.class)
class FlowNodeIntegrationTests {

	private static final Instant START = Instant.parse("2025-03-04T09:00:00Z");

	@Autowired
	RestTestClient http;

	@Autowired
	JsonMapper json;

	private OrgApi api;

	@BeforeAll
	void fixture() {
		this.api = new OrgApi(this.http, this.json, "flow-nodes");
		this.api.bulk(conversation("paid", "billing", 2, null, at(0, "greet"), at(10, "verify"), at(20, "verify"),
				at(30, "pay"), at(40, null))
				+ conversation("looped", "billing", 2, null, at(0, "greet"), at(10, "verify"), at(20, "greet"),
						at(30, "verify"))
				+ conversation("greeted", "billing", 1, null, at(0, "greet"))
				+ conversation("unmarked", null, null, null, at(0, null), at(5, null))
				+ conversation("handed", "support", 1, "bogus", at(0, "start"), at(10, "handoff")));
	}

	@Test
	void theTranscriptKeepsEachMessagesNodeAndTheExitIsDerived() {
		JsonNode looped = this.api.get("/api/v1/conversations/looped");
		List<String> nodes = new ArrayList<>();
		looped.get("messages").forEach((message) -> nodes.add(message.get("flowNode").asString()));
		assertThat(nodes).containsExactly("greet", "verify", "greet", "verify");
		assertThat(looped.get("exitNode").asString()).isEqualTo("verify");
		assertThat(looped.get("flowVersion").asInt()).isEqualTo(2);
		// The exit is the last message that names a node, not the last message.
		assertThat(this.api.get("/api/v1/conversations/paid").get("exitNode").asString()).isEqualTo("pay");
		// What a client sends as the exit is ignored: the archive derives it.
		assertThat(this.api.get("/api/v1/conversations/handed").get("exitNode").asString()).isEqualTo("handoff");
		assertThat(this.api.get("/api/v1/conversations/unmarked").has("exitNode")).isFalse();
	}

	@Test
	void flowNodeFindsWhatPassedThroughAnyOfTheNodes() {
		assertThat(ids("flowNode=verify")).containsExactly("looped", "paid");
		assertThat(ids("flowNode=pay&flowNode=handoff")).containsExactly("handed", "paid");
		assertThat(ids("flowNode=nowhere")).isEmpty();
		assertThat(ids("flow=billing&flowNode=greet")).containsExactly("greeted", "looped", "paid");
	}

	@Test
	void exitNodeFindsWhereConversationsLeftAndIsAFacet() {
		assertThat(ids("exitNode=verify")).containsExactly("looped");
		assertThat(ids("exitNode=greet&exitNode=pay")).containsExactly("greeted", "paid");
		TreeMap<String, Long> exits = exits(this.api.get("/api/v1/conversations?size=100"));
		assertThat(exits).containsExactly(java.util.Map.entry("greet", 1L), java.util.Map.entry("handoff", 1L),
				java.util.Map.entry("pay", 1L), java.util.Map.entry("verify", 1L));
		// A selected exit keeps the other exits' counts, and the facets nobody selected
		// count what it selects.
		JsonNode selected = this.api.get("/api/v1/conversations?size=100&exitNode=pay");
		assertThat(exits(selected)).isEqualTo(exits);
		assertThat(selected.get("facets").get("flow").size()).isEqualTo(1);
		assertThat(selected.get("facets").get("flow").get(0).get("value").asString()).isEqualTo("billing");
		assertThat(selected.get("facets").get("flow").get(0).get("count").asLong()).isEqualTo(1);
		JsonNode two = this.api.get("/api/v1/conversations?size=100&exitNode=pay&exitNode=handoff&flow=support");
		assertThat(two.get("total").asLong()).isEqualTo(1);
		assertThat(exits(two)).containsExactly(java.util.Map.entry("handoff", 1L));
	}

	@Test
	void theJsonFormAndViewsTakeBoth() {
		JsonNode page = this.api.post("/api/v1/conversations/_search?size=100",
				"{\"flowNodes\": [\"verify\"], \"exitNodes\": [\"pay\"]}", 200);
		assertThat(page.get("total").asLong()).isEqualTo(1);
		assertThat(page.get("items").get(0).get("id").asString()).isEqualTo("paid");
		JsonNode view = this.api.post("/api/v1/views",
				"{\"name\": \"Left at verify\", \"filter\": {\"exitNodes\": [\"verify\"]}}", 201);
		assertThat(ids("view=" + view.get("id").asString())).containsExactly("looped");
		assertThat(
				this.api.statusOf(HttpMethod.POST, "/api/v1/conversations/_search", "{\"exitNodes\": [\"pay\", null]}"))
			.isEqualTo(400);
	}

	@Test
	void badNodesAndVersionsAreRefusedByName() {
		JsonNode problem = this.api.call(HttpMethod.POST, "/api/v1/conversations",
				"{\"id\": \"bad-node\", \"platform\": \"web\", \"startedAt\": \"" + START
						+ "\", \"messages\": [{\"at\": \"" + START
						+ "\", \"senderType\": \"agent\", \"text\": \"hi\", \"flowNode\": \"two words\"}]}",
				400);
		assertThat(problem.get("detail").asString()).contains("messages[0].flowNode 'two words' is not a node id");
		problem = this.api.call(HttpMethod.POST, "/api/v1/conversations",
				"{\"id\": \"bad-version\", \"platform\": \"web\", \"startedAt\": \"" + START
						+ "\", \"flowVersion\": 0}",
				400);
		assertThat(problem.get("detail").asString()).contains("flowVersion 0");
		assertThat(this.api.statusOf(HttpMethod.GET, "/api/v1/conversations/bad-node", null)).isEqualTo(404);
	}

	@Test
	void theHistoryCsvKeepsEachMessagesNodeInItsData() throws IOException {
		JsonNode started = this.api.post("/api/v1/agents/flo/history-exports", "{\"year\": 2025}", 202);
		String id = started.get("id").asString();
		JsonNode[] job = new JsonNode[1];
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
			job[0] = this.api.get("/api/v1/exports/" + id);
			assertThat(job[0].get("status").asString()).isNotEqualTo("failed");
			return "completed".equals(job[0].get("status").asString());
		});
		byte[] zip = RestTestClient.bindToServer()
			.build()
			.get()
			.uri(job[0].get("downloadUrl").asString())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody();
		try (ZipInputStream entries = new ZipInputStream(new ByteArrayInputStream(zip))) {
			entries.getNextEntry();
			String text = new String(entries.readAllBytes(), StandardCharsets.UTF_8).replace("\uFEFF", "");
			List<CSVRecord> rows = CSVFormat.RFC4180.parse(new StringReader(text)).getRecords();
			List<String> data = rows.subList(1, rows.size()).stream().map((row) -> row.get(5)).toList();
			assertThat(data).hasSize(14).contains("{\"flowNode\":\"pay\"}", "{\"flowNode\":\"handoff\"}", "");
		}
	}

	private Set<String> ids(String parameters) {
		Set<String> ids = new TreeSet<>();
		this.api.get("/api/v1/conversations?size=100&" + parameters)
			.get("items")
			.forEach((row) -> ids.add(row.get("id").asString()));
		return ids;
	}

	private static TreeMap<String, Long> exits(JsonNode page) {
		TreeMap<String, Long> exits = new TreeMap<>();
		page.get("facets")
			.get("exitNode")
			.forEach((value) -> exits.put(value.get("value").asString(), value.get("count").asLong()));
		return exits;
	}

	private static String at(int seconds, String node) {
		return "{\"at\": \"" + START.plusSeconds(seconds) + "\", \"senderType\": \"agent\", \"text\": \"step " + seconds
				+ "\"" + ((node != null) ? ", \"flowNode\": \"" + node + "\"" : "") + "}";
	}

	private static String conversation(String id, String flow, Integer version, String exitNode, String... messages) {
		return "{\"id\": \"" + id + "\", \"platform\": \"web\", \"status\": \"completed\", \"startedAt\": \"" + START
				+ "\", \"agent\": {\"id\": \"flo\", \"name\": \"Flo\"}"
				+ ((flow != null) ? ", \"flow\": {\"id\": \"" + flow + "\", \"name\": \"" + flow + "\"}" : "")
				+ ((version != null) ? ", \"flowVersion\": " + version : "")
				+ ((exitNode != null) ? ", \"exitNode\": \"" + exitNode + "\"" : "") + ", \"messages\": ["
				+ String.join(", ", messages) + "]}\n";
	}

}
