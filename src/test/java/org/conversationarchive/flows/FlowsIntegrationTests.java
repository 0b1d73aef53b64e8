package org.conversationarchive.flows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.OrgApi;
import org.conversationarchive.TestUsers;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flows through the API: published per org and version, versions immutable, bad graphs
 * refused naming what is wrong; and read through {@link Flows}.
 */
@ArchiveIntegrationTest
@Import(TestUsers.class)
class FlowsIntegrationTests {

	static final String NODES = "[{\"id\": \"greet\", \"label\": \"Greeting\", \"kind\": \"start\"}, "
			+ "{\"id\": \"ask_reason\", \"label\": \"Ask the reason\", \"kind\": \"question\"}, "
			+ "{\"id\": \"bye\", \"label\": \"Goodbye\", \"kind\": \"end\"}]";

	static final String EDGES = "[{\"from\": \"greet\", \"to\": \"ask_reason\"}, "
			+ "{\"from\": \"ask_reason\", \"to\": \"ask_reason\", \"label\": \"unclear\"}, "
			+ "{\"from\": \"ask_reason\", \"to\": \"bye\"}]";

	@Autowired
	RestTestClient http;

	@Autowired
	JsonMapper json;

	@Autowired
	Flows flows;

	@Test
	void aVersionIsPublishedOnceAndReadWholeOrInTheList() {
		OrgApi api = new OrgApi(this.http, this.json, "flows-publish");
		String first = body("Returns", 1, NODES, EDGES);
		this.http.put()
			.uri("/api/v1/flows/returns")
			.header(TestUsers.ORG, "flows-publish")
			.contentType(MediaType.APPLICATION_JSON)
			.body(first)
			.exchange()
			.expectStatus()
			.isCreated()
			.expectHeader()
			.valueEquals(HttpHeaders.LOCATION, "/api/v1/flows/returns?version=1");
		JsonNode resent = api.put("/api/v1/flows/returns", first);
		assertThat(resent.get("version").asInt()).isEqualTo(1);
		assertThat(resent.get("edges").get(1).get("label").asString()).isEqualTo("unclear");
		assertThat(resent.get("edges").get(0).has("label")).isFalse();
		assertThat(api.call(HttpMethod.PUT, "/api/v1/flows/returns", body("Returns, renamed", 1, NODES, EDGES), 409)
			.get("detail")
			.asString()).contains("version 1 of flow 'returns' is already published with other content");

		String third = body("Returns", 3, NODES.replace("Goodbye", "Bye now"), EDGES);
		JsonNode created = api.call(HttpMethod.PUT, "/api/v1/flows/returns", third, 201);
		assertThat(created.get("versions").toString()).isEqualTo("[1,3]");
		// An older number is just another version; the latest is the highest.
		api.call(HttpMethod.PUT, "/api/v1/flows/returns", body("Returns", 2, NODES, "[]"), 201);
		api.call(HttpMethod.PUT, "/api/v1/flows/billing", body("Billing", 1, NODES, EDGES), 201);
		api.call(HttpMethod.PUT, "/api/v1/flows/a.billing:v-2", body("Billing", 1, NODES, "[]"), 201);

		JsonNode latest = api.get("/api/v1/flows/returns");
		assertThat(latest.get("version").asInt()).isEqualTo(3);
		assertThat(latest.get("name").asString()).isEqualTo("Returns");
		assertThat(latest.get("nodes").get(2).get("label").asString()).isEqualTo("Bye now");
		assertThat(latest.get("nodes").get(0).toString())
			.isEqualTo("{\"id\":\"greet\",\"label\":\"Greeting\",\"kind\":\"start\"}");
		assertThat(latest.get("versions").toString()).isEqualTo("[1,2,3]");
		assertThat(latest.get("publishedAt").asString()).isEqualTo(created.get("publishedAt").asString());
		JsonNode second = api.get("/api/v1/flows/returns?version=2");
		assertThat(second.get("version").asInt()).isEqualTo(2);
		assertThat(second.get("edges").size()).isZero();

		List<String> listed = new ArrayList<>();
		api.as("viewer")
			.get("/api/v1/flows")
			.get("items")
			.forEach((flow) -> listed.add(flow.get("id").asString() + " " + flow.get("version") + " "
					+ flow.get("versions") + " " + flow.get("nodeCount")));
		assertThat(listed).containsExactly("a.billing:v-2 1 [1] 3", "billing 1 [1] 3", "returns 3 [1,2,3] 3");
		assertThat(api.get("/api/v1/flows").get("items").get(2).get("name").asString()).isEqualTo("Returns");

		assertThat(this.flows.find("flows-publish", "returns", null).orElseThrow().version()).isEqualTo(3);
		Flow two = this.flows.find("flows-publish", "returns", 2).orElseThrow();
		assertThat(two.nodes()).extracting(Flow.Node::id).containsExactly("greet", "ask_reason", "bye");
		assertThat(this.flows.find("flows-publish", "returns", 4)).isEmpty();
		assertThat(this.flows.latest("flows-publish")).extracting(Flow::id)
			.containsExactly("a.billing:v-2", "billing", "returns");
	}

	@Test
	void unknownFlowsAndVersionsAreNotFoundAndAVersionMustBeAPositiveInteger() {
		OrgApi api = new OrgApi(this.http, this.json, "flows-missing");
		api.call(HttpMethod.PUT, "/api/v1/flows/known", body("Known", 1, NODES, EDGES), 201);
		assertThat(api.call(HttpMethod.GET, "/api/v1/flows/unknown", null, 404).get("detail").asString())
			.isEqualTo("no flow 'unknown'");
		assertThat(api.call(HttpMethod.GET, "/api/v1/flows/known?version=2", null, 404).get("detail").asString())
			.isEqualTo("no version 2 of flow 'known'");
		for (String version : new String[] { "0", "-1", "abc", "1.5", "99999999999" }) {
			assertThat(api.call(HttpMethod.GET, "/api/v1/flows/known?version=" + version, null, 400)
				.get("detail")
				.asString()).isEqualTo("version: '" + version + "' is not a positive integer");
		}
	}

	@Test
	void badGraphsAreRefusedNamingTheProblem() {
		OrgApi api = new OrgApi(this.http, this.json, "flows-refused");
		Map<String, String> refusals = new java.util.LinkedHashMap<>();
		refusals.put(body("Returns", 1, NODES, EDGES.replace("\"to\": \"bye\"", "\"to\": \"x\"")),
				"edges[2].to: edge 2 goes to 'x', which is not a node");
		refusals.put(body("Returns", 1, NODES, "[{\"from\": \"nobody\", \"to\": \"bye\"}]"),
				"edges[0].from: edge 0 comes from 'nobody', which is not a node");
		refusals.put(body("Returns", 1, NODES.replace("\"ask_reason\"", "\"greet\""), "[]"),
				"nodes[1].id: 'greet' is the id of nodes[0] too; node ids must be unique");
		refusals.put(body("Returns", 1, NODES.replace("\"question\"", "\"menu\""), EDGES),
				"nodes[1].kind: 'menu' is not one of start, message, question, condition, function, handoff, end");
		refusals.put(body("Returns", 1, "[]", "[]"), "nodes: the flow has no nodes; give at least one");
		refusals.put(
				body("Returns", 1, NODES,
						EDGES.replace("]",
								", {\"from\": \"greet\", \"to\": \"ask_reason\", " + "\"label\": \"again\"}]")),
				"edges[3]: edge 3 from 'greet' to 'ask_reason' repeats edge 0; give each edge once");
		refusals.put(body("Returns", 1, nodes(501), "[]"), "nodes: the flow has 501 nodes; at most 500 are allowed");
		refusals.put(body("Returns", 1, nodes(2), edges(2001)),
				"edges: the flow has 2001 edges; at most 2000 are allowed");
		refusals.put("{\"version\": 1, \"nodes\": " + NODES + ", \"edges\": []}",
				"name: is required (1 to 200 characters)");
		refusals.put(body(" ", 1, NODES, "[]"), "name: is required (1 to 200 characters)");
		refusals.put(body("x".repeat(201), 1, NODES, "[]"), "name: is 201 characters long; at most 200 are allowed");
		refusals.put("{\"name\": \"Returns\", \"nodes\": " + NODES + ", \"edges\": []}",
				"version: is required: a positive integer");
		refusals.put(body("Returns", 0, NODES, "[]"), "version: 0 is not a positive integer");
		refusals.put("{\"name\": \"Returns\", \"version\": 1, \"edges\": []}",
				"nodes: is required: the flow's nodes, e.g. "
						+ "[{\"id\": \"greet\", \"label\": \"Greeting\", \"kind\": \"start\"}]");
		refusals.put("{\"name\": \"Returns\", \"version\": 1, \"nodes\": " + NODES + "}",
				"edges: is required: the flow's edges, e.g. [{\"from\": \"greet\", \"to\": \"bye\"}], or []");
		refusals.put(body("Returns", 1, "[{\"id\": \"greet\", \"kind\": \"start\"}]", "[]"),
				"nodes[0].label: is required (1 to 200 characters)");
		refusals.put(body("Returns", 1, "[{\"id\": \"greet\", \"label\": \"Hi\"}]", "[]"),
				"nodes[0].kind: is required: one of start, message, question, condition, function, handoff, end");
		refusals.put(body("Returns", 1, "[{\"id\": \"a>b\", \"label\": \"Hi\", \"kind\": \"start\"}]", "[]"),
				"nodes[0].id: 'a>b' is not 1 to 100 of A-Z a-z 0-9 _ . : - (no spaces, no '>')");
		refusals.put(body("Returns", 1, "[{\"id\": \"a b\", \"label\": \"Hi\", \"kind\": \"start\"}]", "[]"),
				"nodes[0].id: 'a b' is not 1 to 100 of A-Z a-z 0-9 _ . : - (no spaces, no '>')");
		refusals.put(body("Returns", 1, "[{\"label\": \"Hi\", \"kind\": \"start\"}]", "[]"),
				"nodes[0].id: is required: 1 to 100 of A-Z a-z 0-9 _ . : -");
		refusals.put(body("Returns", 1, NODES, "[{\"from\": \"greet\"}]"), "edges[0].to: is required: a node's id");
		refusals.put(
				body("Returns", 1, NODES,
						"[{\"from\": \"greet\", \"to\": \"bye\", \"label\": \"" + "y".repeat(201) + "\"}]"),
				"edges[0].label: is 201 characters long; at most 200 are allowed");
		refusals.put(body("Returns", 1, NODES, EDGES).replace("\"version\"", "\"id\": \"returns\", \"version\""),
				"unknown field 'id'");
		refusals.put(
				body("Returns", 1, NODES.replace("\"kind\": \"end\"", "\"kind\": \"end\", \"color\": \"red\""), EDGES),
				"unknown field 'nodes[2].color'");
		refusals.put(body("Returns", 1, NODES, EDGES).replace("\"version\": 1", "\"version\": \"1\""),
				"version: expected a whole number");
		refusals.forEach((body,
				detail) -> assertThat(
						api.call(HttpMethod.PUT, "/api/v1/flows/returns", body, 400).get("detail").asString())
					.as(body.substring(0, Math.min(body.length(), 200)))
					.isEqualTo(detail));
		assertThat(api.call(HttpMethod.PUT, "/api/v1/flows/" + "f".repeat(101), body("Returns", 1, NODES, EDGES), 400)
			.get("detail")
			.asString())
			.isEqualTo("id: '" + "f".repeat(101) + "' is not 1 to 100 of A-Z a-z 0-9 _ . : - " + "(no spaces, no '>')");
		api.call(HttpMethod.GET, "/api/v1/flows/returns", null, 404);
	}

	@Test
	void oneOrgNeverSeesNorOverwritesAnothersFlows() {
		OrgApi acme = new OrgApi(this.http, this.json, "flows-acme");
		OrgApi globex = new OrgApi(this.http, this.json, "flows-globex");
		acme.call(HttpMethod.PUT, "/api/v1/flows/returns", body("Acme returns", 1, NODES, EDGES), 201);
		globex.call(HttpMethod.GET, "/api/v1/flows/returns", null, 404);
		assertThat(globex.get("/api/v1/flows").get("items").size()).isZero();
		globex.call(HttpMethod.PUT, "/api/v1/flows/returns", body("Globex returns", 1, NODES, "[]"), 201);
		assertThat(acme.get("/api/v1/flows/returns").get("name").asString()).isEqualTo("Acme returns");
		assertThat(globex.get("/api/v1/flows/returns").get("name").asString()).isEqualTo("Globex returns");
		assertThat(this.flows.latest("flows-acme")).extracting(Flow::name).containsExactly("Acme returns");
	}

	@Test
	void theIngestRolePublishesAndWhoeverReadsConversationsReads() {
		OrgApi api = new OrgApi(this.http, this.json, "flows-roles");
		OrgApi platform = api.with(TestUsers.ROLE, "ingest").with(TestUsers.USER, "platform");
		platform.call(HttpMethod.PUT, "/api/v1/flows/returns", body("Returns", 1, NODES, EDGES), 201);
		assertThat(api.as("manager")
			.call(HttpMethod.PUT, "/api/v1/flows/returns", body("Returns", 2, NODES, EDGES), 403)
			.get("detail")
			.asString()).isEqualTo("the manager role may not publish flows; it needs the ingest role");
		platform.call(HttpMethod.GET, "/api/v1/flows/returns", null, 403);
		assertThat(api.as("viewer").get("/api/v1/flows/returns").get("versions").toString()).isEqualTo("[1]");
		// The URL rules refuse a real key of another role before the controller sees it.
		String viewerKey = this.json
			.readTree(this.http.post()
				.uri("/api/v1/orgs/default/api-keys")
				.contentType(MediaType.APPLICATION_JSON)
				.body("{\"name\": \"flows viewer\", \"role\": \"viewer\"}")
				.exchange()
				.expectStatus()
				.isCreated()
				.expectBody(String.class)
				.returnResult()
				.getResponseBody())
			.get("key")
			.asString();
		this.http.put()
			.uri("/api/v1/flows/returns")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + viewerKey)
			.contentType(MediaType.APPLICATION_JSON)
			.body(body("Returns", 1, NODES, EDGES))
			.exchange()
			.expectStatus()
			.isForbidden();
	}

	@Test
	void ofTwoPublishingOneVersionAtOnceOneCreatesItAndTheOtherFindsItTheSame() {
		OrgApi api = new OrgApi(this.http, this.json, "flows-race");
		for (int version = 1; version <= 5; version++) {
			String body = body("Race", version, NODES, EDGES);
			List<CompletableFuture<Integer>> puts = List.of(
					CompletableFuture.supplyAsync(() -> api.statusOf(HttpMethod.PUT, "/api/v1/flows/race", body)),
					CompletableFuture.supplyAsync(() -> api.statusOf(HttpMethod.PUT, "/api/v1/flows/race", body)));
			assertThat(puts.stream().map(CompletableFuture::join).sorted().toList()).containsExactly(200, 201);
		}
		assertThat(api.get("/api/v1/flows/race").get("versions").toString()).isEqualTo("[1,2,3,4,5]");
	}

	private static String body(String name, int version, String nodes, String edges) {
		return "{\"name\": \"" + name + "\", \"version\": " + version + ", \"nodes\": " + nodes + ", \"edges\": "
				+ edges + "}";
	}

	private static String nodes(int count) {
		List<String> nodes = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			nodes.add("{\"id\": \"n" + i + "\", \"label\": \"Node " + i + "\", \"kind\": \"message\"}");
		}
		return "[" + String.join(", ", nodes) + "]";
	}

	private static String edges(int count) {
		List<String> edges = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			edges.add("{\"from\": \"n0\", \"to\": \"n1\"}");
		}
		return "[" + String.join(", ", edges) + "]";
	}

}
