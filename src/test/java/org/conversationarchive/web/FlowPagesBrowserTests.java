package org.conversationarchive.web;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.conversationarchive.ArchiveIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flows in a real browser, in an org of the test's own: a conversation's path on its
 * flow's graph beside the transcript, a node clicked to its messages, and the flow's page
 * with its counts. In the dashboard tests' context.
 */
@ArchiveIntegrationTest(properties = "archive.elasticsearch.index-prefix=dashboard-test")
class FlowPagesBrowserTests {

	static final String NODES = """
			[{"id": "greet", "label": "Greeting", "kind": "start"},
			 {"id": "ask", "label": "Ask the reason", "kind": "question"},
			 {"id": "check", "label": "Refund allowed?", "kind": "condition"},
			 {"id": "refund", "label": "Issue refund", "kind": "function"},
			 {"id": "human", "label": "Hand off", "kind": "handoff"},
			 {"id": "bye", "label": "Goodbye", "kind": "end"}]""";

	static final String EDGES = """
			[{"from": "greet", "to": "ask"}, {"from": "ask", "to": "ask", "label": "unclear"},
			 {"from": "ask", "to": "check"}, {"from": "check", "to": "refund", "label": "yes"},
			 {"from": "check", "to": "human", "label": "no"}, {"from": "refund", "to": "bye"}]""";

	@Autowired
	RestTestClient admin;

	@Autowired
	JsonMapper json;

	@LocalServerPort
	int port;

	final List<Browser> browsers = new ArrayList<>();

	@AfterEach
	void close() {
		this.browsers.forEach(Browser::close);
	}

	@Test
	void aConversationsPathOnItsFlowLeadsToItsMessagesAndTheFlowPageCountsIt() {
		String org = "flows-ui-" + UUID.randomUUID().toString().substring(0, 8);
		this.admin.post()
			.uri("/api/v1/orgs")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("id", org, "name", "Flow pages"))
			.exchange()
			.expectStatus()
			.isCreated();
		String key = key(org);
		RestTestClient api = RestTestClient.bindToServer()
			.baseUrl("http://localhost:" + this.port)
			.defaultHeader("Authorization", "Bearer " + key)
			.build();
		api.put()
			.uri("/api/v1/flows/returns")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"name\": \"Returns\", \"version\": 1, \"nodes\": " + NODES + ", \"edges\": " + EDGES + "}")
			.exchange()
			.expectStatus()
			.isCreated();
		api.post()
			.uri("/api/v1/conversations/_bulk?refresh=true")
			.contentType(MediaType.parseMediaType("application/x-ndjson"))
			.body(conversation() + "\n")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.errors")
			.isEqualTo(false);

		Browser browser = signedIn(key);
		browser.open("/conversations/f01");
		browser.waitUntil((driver) -> "true".equals(browser.find("#flow-panel").getDomAttribute("data-drawn")));
		// The path in order, on the graph (each visited node with its step numbers) and
		// as the list beside it; the exit node is told apart.
		assertThat(
				browser.all("#flow-path li button").stream().map((button) -> button.getText().replaceAll("\\s+", " ")))
			.containsExactly("1 Greeting", "2 Ask the reason", "3 Refund allowed?", "4 Issue refund");
		List<String> visited = browser.script("""
				return window.flowGraph.nodes('.visited').sort((a, b) => a.data('order') - b.data('order'))
					.map((node) => node.id())""");
		assertThat(visited).containsExactly("greet", "ask", "check", "refund");
		assertThat(browser.<List<String>>script("return window.flowGraph.nodes('.exit').map((node) => node.id())"))
			.containsExactly("refund");
		assertThat(browser.<Long>script("return window.flowGraph.edges('.taken').length")).isEqualTo(3);
		assertThat(browser.find("#message-0 .flow-node").getText()).endsWith("Greeting");
		browser.screenshot("flow-conversation");

		// A click on the node on the graph: its first message scrolled into view, its
		// messages marked.
		Map<String, Object> at = browser
			.script("""
					const graph = document.getElementById('flow-graph');
					const position = window.flowGraph.getElementById('refund').renderedPosition();
					return { x: Math.round(position.x - graph.clientWidth / 2), y: Math.round(position.y - graph.clientHeight / 2) }""");
		new Actions(browser.driver())
			.moveToElement(browser.find("#flow-graph"), ((Number) at.get("x")).intValue(),
					((Number) at.get("y")).intValue())
			.click()
			.perform();
		browser.waitUntil((driver) -> !browser.all(".message.flow-marked").isEmpty());
		assertThat(browser.all(".message.flow-marked").stream().map((message) -> message.getDomAttribute("id")))
			.containsExactly("message-24", "message-25");
		assertThat(browser.<Boolean>script("""
				const box = document.getElementById('message-24').getBoundingClientRect();
				return window.scrollY > 0 && box.top >= 0 && box.bottom <= innerHeight""")).isTrue();
		assertThat(browser.<String>script("return document.activeElement.id")).isEqualTo("message-24");
		// The same from the path's list, by keyboard.
		browser.find("#flow-path li:nth-child(1) button").sendKeys(Keys.ENTER);
		browser.waitUntil((driver) -> browser.all(".message.flow-marked").size() == 1);
		assertThat(browser.find("#message-0").getDomAttribute("class")).contains("flow-marked");

		// "View Flow" opens the archive's page of the flow.
		browser.find("#view-flow").click();
		browser.waitUntil((driver) -> browser.path().startsWith("/flows/returns"));
		browser.waitUntil((driver) -> browser.find("#flow-state").getDomAttribute("data-loaded") != null);
		assertThat(browser.find("#flow-state").getDomAttribute("data-loaded")).isEqualTo("counts");
		assertThat(browser.find("#funnel tr[data-node=refund] [data-field=passed]").getText()).isEqualTo("1");
		assertThat(browser.find("#funnel tr[data-node=refund] [data-field=exited]").getText()).isEqualTo("1");
		assertThat(browser.find("#funnel tr[data-node=refund] [data-field=dropOff]").getText()).isEqualTo("100.0%");
		assertThat(browser.<String>script("return window.flowGraph.getElementById('refund').data('display')"))
			.isEqualTo("Issue refund\n1 passed · 1 exited");
		assertThat(browser.find("#funnel tr[data-node=refund] [data-field=exited] a").getDomAttribute("href"))
			.isEqualTo("/?flow=returns&exitNode=refund");
		browser.screenshot("flow-page");

		// The table's Flow cell opens the same page with the table's filters.
		browser.open("/?platform=web");
		assertThat(browser.find("td.col-flow a.view-flow").getDomAttribute("href"))
			.isEqualTo("/flows/returns?platform=web");
	}

	/**
	 * A conversation through greet, ask (a long exchange), check and refund, where it
	 * left the flow: 26 messages, so that the refund's are far down the transcript.
	 */
	private static String conversation() {
		Instant start = Instant.parse("2026-03-02T10:00:00Z");
		List<String> messages = new ArrayList<>();
		messages.add(message(start, 0, "agent", "Hello, this is Ava. How can I help?", "greet"));
		for (int i = 1; i <= 22; i++) {
			messages.add(message(start, i, (i % 2 == 1) ? "user" : "agent",
					(i % 2 == 1) ? "It is about my order number " + i : "Could you tell me more about it?", "ask"));
		}
		messages.add(message(start, 23, "system", "Checking the refund policy", "check"));
		messages.add(message(start, 24, "agent", "Issuing the refund now", "refund"));
		messages.add(message(start, 25, "agent", "Your refund is on its way.", "refund"));
		return ("{\"id\": \"f01\", \"platform\": \"web\", \"status\": \"completed\", \"startedAt\": \"" + start
				+ "\", \"endedAt\": \"" + start.plusSeconds(600) + "\", \"flow\": {\"id\": \"returns\", \"name\": "
				+ "\"Returns\"}, \"flowVersion\": 1, \"messages\": [" + String.join(", ", messages) + "]}");
	}

	private static String message(Instant start, int second, String sender, String text, String node) {
		return "{\"at\": \"" + start.plusSeconds(10L * second) + "\", \"senderType\": \"" + sender + "\", \"text\": \""
				+ text + "\", \"flowNode\": \"" + node + "\"}";
	}

	private Browser signedIn(String key) {
		Browser browser = Browser.start(this.port);
		this.browsers.add(browser);
		browser.open("/login");
		browser.find("#key").sendKeys(key);
		browser.find("form button[type=submit]").click();
		browser.waitUntil(Duration.ofSeconds(15), (driver) -> !browser.path().startsWith("/login"));
		return browser;
	}

	private String key(String org) {
		JsonNode created = this.json.readTree(this.admin.post()
			.uri("/api/v1/orgs/{org}/api-keys", org)
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("name", "ada", "role", "admin"))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.returnResult()
			.getResponseBody());
		return created.get("key").asString();
	}

}
