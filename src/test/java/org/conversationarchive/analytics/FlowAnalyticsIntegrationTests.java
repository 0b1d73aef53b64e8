package org.conversationarchive.analytics;

import java.io.StringReader;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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

/**
 * A flow's funnel ({@code GET /api/v1/analytics/flows/{id}}) on a fixture built for it:
 * flow {@code returns} published twice, its nodes declared out of funnel order, and
 * conversations of both versions that leave it at every node, one off the graph and one
 * that names no node; flow {@code billing}, never published; another org's conversation.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ArchiveIntegrationTest
@Import(TestUsers.class)
class FlowAnalyticsIntegrationTests {

	private static final Instant START = Instant.parse("2025-05-06T09:00:00Z");

	private static final String FUNNEL = "/api/v1/analytics/flows/";

	@Autowired
	RestTestClient http;

	@Autowired
	JsonMapper json;

	private OrgApi api;

	@BeforeAll
	void fixture() {
		this.api = new OrgApi(this.http, this.json, "flow-funnels");
		this.api.call(HttpMethod.PUT, "/api/v1/flows/returns",
				"{\"name\": \"Returns\", \"version\": 1, \"nodes\": [" + node("greet", "Greeting", "start") + ", "
						+ node("verify", "Verify order", "question") + ", " + node("refund", "Refund", "function")
						+ ", " + node("done", "Goodbye", "end") + "], \"edges\": [" + edge("greet", "verify", null)
						+ ", " + edge("verify", "refund", null) + ", " + edge("verify", "greet", "retry") + ", "
						+ edge("refund", "done", null) + "]}",
				201);
		// Declared out of order: the funnel follows the graph, not the declaration.
		this.api.call(HttpMethod.PUT, "/api/v1/flows/returns",
				"{\"name\": \"Returns\", \"version\": 2, \"nodes\": [" + node("done", "Goodbye", "end") + ", "
						+ node("refund", "Refund", "function") + ", " + node("handoff", "To a person", "handoff") + ", "
						+ node("verify", "Verify order", "question") + ", " + node("greet", "Greeting", "start")
						+ "], \"edges\": [" + edge("greet", "verify", null) + ", " + edge("verify", "refund", null)
						+ ", " + edge("verify", "handoff", "unsure") + ", " + edge("refund", "done", null) + "]}",
				201);
		this.api.bulk(conversation("a1", "returns", 1, "web", "completed", "greet", "verify", "refund", "done")
				+ conversation("a2", "returns", 1, "voice", "abandoned", "greet", "verify", "greet", "verify")
				+ conversation("a3", "returns", 1, "voice", "abandoned", "greet")
				+ conversation("b1", "returns", 2, "web", "completed", "greet", "verify", "refund", "done")
				+ conversation("b2", "returns", 2, "voice", "abandoned", "greet", "verify", "handoff")
				+ conversation("b3", "returns", 2, "voice", "completed", "greet", "verify", "verify", "handoff")
				+ conversation("b4", "returns", 2, "sms", "abandoned", "greet", "verify", "survey")
				+ conversation("b5", "returns", 2, "web", "abandoned")
				+ conversation("b6", "returns", 2, "voice", "abandoned", "greet", "verify")
				+ conversation("x1", "billing", null, "web", "completed", "start", "pay", "bye")
				+ conversation("x2", "billing", null, "web", "abandoned", "start", "pay")
				+ conversation("x3", "billing", null, "voice", "abandoned", "start")
				+ conversation("none", null, null, "voice", "abandoned", "greet"));
		new OrgApi(this.http, this.json, "flow-funnels-other")
			.bulk(conversation("o1", "returns", 2, "voice", "abandoned", "greet", "verify", "elsewhere"));
	}

	@Test
	void everyNodeAndEdgeAlongTheLatestGraphThenWhatOnlyTheDataHas() {
		JsonNode funnel = this.api.get(FUNNEL + "returns");
		assertThat(funnel.get("flow").get("id").asString()).isEqualTo("returns");
		assertThat(funnel.get("flow").get("name").asString()).isEqualTo("Returns");
		assertThat(funnel.get("flow").get("version").asInt()).isEqualTo(2);
		assertThat(funnel.get("total").asLong()).isEqualTo(9);
		assertThat(funnel.get("unmarked").asLong()).isEqualTo(1);
		assertThat(nodes(funnel)).containsExactly("greet Greeting start 8/1/7", "verify Verify order question 7/2/5",
				"refund Refund function 2/0/2", "handoff To a person handoff 2/2/0", "done Goodbye end 2/2/0",
				"survey survey null 1/1/0");
		assertThat(edges(funnel)).containsExactly("greet>verify null 7", "verify>refund null 2",
				"verify>handoff unsure 2", "refund>done null 2", "verify>greet null 1", "verify>survey null 1");
	}

	@Test
	void whereAbandonedVoiceCallsLeft() {
		JsonNode funnel = this.api.get(FUNNEL + "returns?status=abandoned&platform=voice");
		assertThat(funnel.get("total").asLong()).isEqualTo(4);
		assertThat(funnel.get("unmarked").asLong()).isZero();
		assertThat(nodes(funnel)).containsExactly("greet Greeting start 4/1/3", "verify Verify order question 3/2/1",
				"refund Refund function 0/0/0", "handoff To a person handoff 1/1/0", "done Goodbye end 0/0/0");
		assertThat(edges(funnel)).containsExactly("greet>verify null 3", "verify>refund null 0",
				"verify>handoff unsure 1", "refund>done null 0", "verify>greet null 1");
		// A date range that holds none of them.
		JsonNode before = this.api.get(FUNNEL + "returns?from=2024-01-01T00:00:00Z&to=2024-02-01T00:00:00Z");
		assertThat(before.get("total").asLong()).isZero();
		assertThat(nodes(before)).hasSize(5).allMatch((node) -> node.endsWith(" 0/0/0"));
	}

	@Test
	void aVersionSelectsItsGraphAndItsConversations() {
		JsonNode funnel = this.api.get(FUNNEL + "returns?version=1");
		assertThat(funnel.get("flow").get("version").asInt()).isEqualTo(1);
		assertThat(funnel.get("total").asLong()).isEqualTo(3);
		assertThat(funnel.get("unmarked").asLong()).isZero();
		assertThat(nodes(funnel)).containsExactly("greet Greeting start 3/1/2", "verify Verify order question 2/1/1",
				"refund Refund function 1/0/1", "done Goodbye end 1/1/0");
		assertThat(edges(funnel)).containsExactly("greet>verify null 2", "verify>refund null 1", "verify>greet retry 1",
				"refund>done null 1");
	}

	@Test
	void oneAggregationRequestAsExplained() {
		JsonNode explained = this.api.get(FUNNEL + "returns/_explain?platform=voice&version=2");
		assertThat(explained.get("roundTrips")).hasSize(1);
		JsonNode body = explained.get("roundTrips").get(0).get("lines").get(1);
		assertThat(body.get("size").asInt()).isZero();
		assertThat(body.get("aggregations").propertyNames()).containsExactly("passed", "exited", "edges", "unmarked");
	}

	@Test
	void aFlowNeverPublishedIsOrderedByItsData() {
		JsonNode funnel = this.api.get(FUNNEL + "billing");
		assertThat(funnel.get("flow").isNull()).isTrue();
		assertThat(funnel.get("total").asLong()).isEqualTo(3);
		assertThat(nodes(funnel)).containsExactly("start start null 3/1/2", "pay pay null 2/1/1", "bye bye null 1/1/0");
		assertThat(edges(funnel)).containsExactly("start>pay null 2", "pay>bye null 1");
		JsonNode nowhere = this.api.get(FUNNEL + "nowhere?version=4");
		assertThat(nowhere.get("flow").isNull()).isTrue();
		assertThat(nowhere.get("total").asLong()).isZero();
		assertThat(nowhere.get("unmarked").asLong()).isZero();
		assertThat(nowhere.get("nodes").isEmpty()).isTrue();
		assertThat(nowhere.get("edges").isEmpty()).isTrue();
	}

	@Test
	void aViewNarrowsItAsAnalyticsDo() {
		JsonNode view = this.api.post("/api/v1/views",
				"{\"name\": \"Abandoned\", \"filter\": {\"statuses\": [\"abandoned\"]}}", 201);
		JsonNode funnel = this.api.get(FUNNEL + "returns?platform=voice&view=" + view.get("id").asString());
		assertThat(funnel.get("total").asLong()).isEqualTo(4);
		assertThat(this.api.get(FUNNEL + "returns?view=" + view.get("id").asString()).get("unmarked").asLong())
			.isEqualTo(1);
	}

	@Test
	void theNodesAsCsv() throws IOException {
		String csv = new String(this.http.get()
			.uri(FUNNEL + "returns?version=1&format=csv")
			.header(TestUsers.ORG, "flow-funnels")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith("text/csv")
			.expectBody()
			.returnResult()
			.getResponseBody(), java.nio.charset.StandardCharsets.UTF_8);
		List<CSVRecord> rows = CSVFormat.RFC4180.parse(new StringReader(csv)).getRecords();
		assertThat(rows.stream().map((row) -> String.join(",", row.values()))).containsExactly(
				"Node,Label,Kind,Passed,Exited,Continued", "greet,Greeting,start,3,1,2",
				"verify,Verify order,question,2,1,1", "refund,Refund,function,1,0,1", "done,Goodbye,end,1,1,0");
	}

	@Test
	void badParametersAndMissingVersionsAreRefusedByName() {
		assertThat(problem(FUNNEL + "returns?version=3", 404)).isEqualTo("no version 3 of flow 'returns'");
		assertThat(problem(FUNNEL + "returns?version=0", 400)).contains("version: '0' is not a positive integer");
		assertThat(problem(FUNNEL + "returns?version=two", 400)).contains("version: 'two' is not a positive integer");
		assertThat(problem(FUNNEL + "returns?status=bogus", 400)).contains("parameter status");
		assertThat(problem(FUNNEL + "returns?from=yesterday", 400)).contains("parameter from");
		assertThat(problem(FUNNEL + "returns?tz=UTC", 400)).contains("unknown parameter 'tz'");
		assertThat(problem(FUNNEL + "returns?format=xml", 400)).contains("parameter format");
	}

	@Test
	void viewersMayAskMachinesThatIngestMayNot() {
		assertThat(this.api.as("viewer").get(FUNNEL + "returns").get("total").asLong()).isEqualTo(9);
		OrgApi platform = this.api.with(TestUsers.ROLE, "ingest").with(TestUsers.USER, "platform");
		assertThat(platform.call(HttpMethod.GET, FUNNEL + "returns", null, 403).get("detail").asString())
			.contains("needs the viewer role");
		platform.call(HttpMethod.GET, FUNNEL + "returns/_explain", null, 403);
	}

	@Test
	void anOrgCountsOnlyItsOwn() {
		JsonNode other = new OrgApi(this.http, this.json, "flow-funnels-other").get(FUNNEL + "returns");
		// The other org never published returns: its own data alone.
		assertThat(other.get("flow").isNull()).isTrue();
		assertThat(other.get("total").asLong()).isEqualTo(1);
		// As many passed each: by id.
		assertThat(nodes(other)).containsExactly("elsewhere elsewhere null 1/1/0", "greet greet null 1/0/1",
				"verify verify null 1/0/1");
		assertThat(nodes(this.api.get(FUNNEL + "returns"))).noneMatch((node) -> node.startsWith("elsewhere"));
	}

	private String problem(String uri, int status) {
		return this.api.call(HttpMethod.GET, uri, null, status).get("detail").asString();
	}

	private static List<String> nodes(JsonNode funnel) {
		List<String> nodes = new ArrayList<>();
		funnel.get("nodes")
			.forEach((node) -> nodes.add(node.get("id").asString() + " " + node.get("label").asString() + " "
					+ (node.get("kind").isNull() ? "null" : node.get("kind").asString()) + " "
					+ node.get("passed").asLong() + "/" + node.get("exited").asLong() + "/"
					+ node.get("continued").asLong()));
		return nodes;
	}

	private static List<String> edges(JsonNode funnel) {
		List<String> edges = new ArrayList<>();
		funnel.get("edges")
			.forEach((edge) -> edges.add(edge.get("from").asString() + ">" + edge.get("to").asString() + " "
					+ (edge.get("label").isNull() ? "null" : edge.get("label").asString()) + " "
					+ edge.get("passed").asLong()));
		return edges;
	}

	private static String node(String id, String label, String kind) {
		return "{\"id\": \"" + id + "\", \"label\": \"" + label + "\", \"kind\": \"" + kind + "\"}";
	}

	private static String edge(String from, String to, String label) {
		return "{\"from\": \"" + from + "\", \"to\": \"" + to + "\""
				+ ((label != null) ? ", \"label\": \"" + label + "\"" : "") + "}";
	}

	/**
	 * A conversation whose agent messages name the nodes given, in order (none: a
	 * conversation that names no node).
	 */
	private static String conversation(String id, String flow, Integer version, String platform, String status,
			String... nodes) {
		List<String> messages = new ArrayList<>();
		messages.add("{\"at\": \"" + START + "\", \"senderType\": \"user\", \"text\": \"hello\"}");
		for (int i = 0; i < nodes.length; i++) {
			messages.add("{\"at\": \"" + START.plusSeconds(10L * (i + 1))
					+ "\", \"senderType\": \"agent\", \"text\": \"step " + i + "\", \"flowNode\": \"" + nodes[i]
					+ "\"}");
		}
		return "{\"id\": \"" + id + "\", \"platform\": \"" + platform + "\", \"status\": \"" + status
				+ "\", \"startedAt\": \"" + START + "\""
				+ ((flow != null) ? ", \"flow\": {\"id\": \"" + flow + "\", \"name\": \"" + flow + "\"}" : "")
				+ ((version != null) ? ", \"flowVersion\": " + version : "") + ", \"messages\": ["
				+ String.join(", ", messages) + "]}\n";
	}

}
