package org.conversationarchive.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.platform.Casts;
import org.conversationarchive.platform.Player;
import org.conversationarchive.platform.ReferencePlatform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live operations in a real browser, against the reference agent platform playing into an
 * org of the test's own (real keys: the platform writes as its ingest key, people sign in
 * with theirs): a supervisor watches a live call and acts on it, each step in the
 * transcript in order; two people answer the inbox in two browsers without taking each
 * other's conversation. In the dashboard tests' context (real authentication).
 */
@ArchiveIntegrationTest(properties = "archive.elasticsearch.index-prefix=dashboard-test")
class LiveOperationsBrowserTests {

	static final String SECRET = "the-live-browser-tests-platform-secret";

	static final Duration SOON = Duration.ofSeconds(20);

	@Autowired
	RestTestClient admin;

	@Autowired
	JsonMapper json;

	@LocalServerPort
	int port;

	String org;

	ReferencePlatform platform;

	final List<Browser> browsers = new ArrayList<>();

	@BeforeEach
	void platform() {
		this.org = "live-ui-" + UUID.randomUUID().toString().substring(0, 8);
		this.admin.post()
			.uri("/api/v1/orgs")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("id", this.org, "name", "Live operations"))
			.exchange()
			.expectStatus()
			.isCreated();
		this.platform = new ReferencePlatform("http://localhost:" + this.port, key("ingest", "platform").key(), SECRET,
				0);
		this.platform.start();
		RestTestClient.bindToServer()
			.baseUrl("http://localhost:" + this.port)
			.defaultHeader("Authorization", "Bearer " + key("admin", "ada").key())
			.build()
			.put()
			.uri("/api/v1/gateway/platform")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("url", this.platform.url(), "secret", SECRET))
			.exchange()
			.expectStatus()
			.isOk();
	}

	@AfterEach
	void close() {
		this.browsers.forEach(Browser::close);
		if (this.platform != null) {
			this.platform.close();
		}
	}

	@Test
	void aSupervisorListensCoachesTakesOverRepliesHandsBackAndEndsACall() throws InterruptedException {
		Key mia = key("manager", "mia");
		Browser browser = signedIn(mia);
		// Slowed down: the call must still be going while the supervisor acts on it.
		Player player = this.platform.play(new Player.Options(1, 0.25, 1, Casts.call(12)));
		String id = await(player);

		browser.open("/live");
		browser.waitUntil(SOON, (driver) -> !browser.all("#live-rows tr[data-id='" + id + "']").isEmpty());
		browser.find("#live-rows tr[data-id='" + id + "'] a").click();
		browser.waitUntil(SOON, (driver) -> browser.find("#live-state").getText().equals("With the AI agent"));
		int before = browser.all("ol.transcript > li.message").size();

		// Listen in: the call's audio, through the archive.
		browser.find("button[data-action=listen]").click();
		browser.waitUntil(SOON, (driver) -> browser.find("#listen-audio").isDisplayed());
		String audio = browser.asyncScript(
				"""
						const done = arguments[arguments.length - 1];
						const stop = new AbortController();
						fetch(document.getElementById('listen-audio').src, { signal: stop.signal })
							.then((response) => { done(response.status + ' ' + response.headers.get('Content-Type')); stop.abort(); })
							.catch((error) => done(String(error)));""");
		assertThat(audio).isEqualTo("200 audio/mpeg");

		coach(browser, "Offer the refund before anything else.");
		transcriptHas(browser, "li.sender-coaching", "Offer the refund before anything else.");

		browser.find("button[data-action=take_over]").click();
		browser.waitUntil(SOON, (driver) -> browser.find("#live-state").getText().equals("You hold this conversation"));
		transcriptHas(browser, "li.sender-system", mia.userId() + " took over");

		browser.find("#reply-text").sendKeys("Hello, I am Mia, a supervisor. Your refund is on its way.");
		browser.find("#reply button[type=submit]").click();
		transcriptHas(browser, "li.sender-human-agent", "Hello, I am Mia, a supervisor. Your refund is on its way.");

		browser.find("button[data-action=hand_back]").click();
		browser.waitUntil(SOON, (driver) -> browser.find("#live-state").getText().equals("With the AI agent"));
		transcriptHas(browser, "li.sender-system", "Handed back to the AI agent");

		browser.find("button[data-action=end]").click();
		browser.driver().switchTo().alert().accept();
		browser.waitUntil(SOON, (driver) -> browser.find("#live-state").getText().equals("Ended"));
		transcriptHas(browser, "li.sender-system", "Call ended");
		browser.screenshot("live-call-supervised");

		// Each step once, in the order taken, among what the call said meanwhile.
		List<String> said = browser.all("ol.transcript > li.message .text").stream().map(WebElement::getText).toList();
		assertThat(said.subList(Math.min(before, said.size()), said.size())).containsSubsequence(
				"Offer the refund before anything else.", mia.userId() + " took over",
				"Hello, I am Mia, a supervisor. Your refund is on its way.", "Handed back to the AI agent",
				"Call ended");
		assertThat(said).filteredOn("Call ended"::equals).hasSize(1);
		// The actions, each done as the platform reported.
		browser.waitUntil(SOON, (driver) -> browser.all("#live-actions-list li.live-action-done").size() == 5);
		JsonNode stored = conversation(mia, id);
		assertThat(stored.get("status").asString()).isEqualTo("completed");
	}

	@Test
	void twoPeopleAnswerTheInboxInTwoBrowsersWithoutConflict() throws InterruptedException {
		Key ana = key("analyst", "ana");
		Key bob = key("analyst", "bob");
		Player player = this.platform.play(new Player.Options(2, 8, 2, Casts.handOffs(2)));
		assertThat(player.awaitFinished(Duration.ofMillis(1))).isFalse();
		Browser anas = signedIn(ana);
		Browser bobs = signedIn(bob);
		anas.open("/inbox");
		bobs.open("/inbox");
		for (Browser browser : List.of(anas, bobs)) {
			browser.waitUntil(Duration.ofSeconds(60), (driver) -> browser.all("#inbox-rows tr").size() == 2);
		}
		List<String> waiting = anas
			.script("return [...document.querySelectorAll('#inbox-rows tr')].map((row) => row.dataset.id)");
		String first = waiting.get(0);
		String second = waiting.get(1);

		// Both go for the longest wait at once: one gets it, the other is told who.
		click(anas, "#inbox-rows tr[data-id='" + first + "'] button.primary");
		click(bobs, "#inbox-rows tr[data-id='" + first + "'] button.primary");
		anas.waitUntil(SOON,
				(driver) -> text(anas, "#inbox-rows tr[data-id='" + first + "'] .inbox-holder").equals(ana.userId()));
		bobs.waitUntil(SOON,
				(driver) -> text(bobs, "#inbox-rows tr[data-id='" + first + "'] .inbox-holder").equals(ana.userId()));
		if (!bobs.all("#inbox-action-status .problem").isEmpty()) {
			assertThat(bobs.find("#inbox-action-status .problem").getText()).contains(ana.userId() + "' holds");
		}
		// Bob takes the other one.
		click(bobs, "#inbox-rows tr[data-id='" + second + "'] button.primary");
		bobs.waitUntil(SOON,
				(driver) -> text(bobs, "#inbox-rows tr[data-id='" + second + "'] .inbox-holder").equals(bob.userId()));

		// Each answers their own; neither can answer the other's.
		answer(anas, first, "Hi, Ana here from the team. Let me look at this.");
		answer(bobs, second, "Hi, Bob here. I can help with that.");
		bobs.open("/conversations/" + first);
		bobs.waitUntil(SOON, (driver) -> bobs.find("#live-state").getText().equals("Held by " + ana.userId()));
		assertThat(bobs.find("#reply").isDisplayed()).isFalse();
		anas.screenshot("live-inbox-answered");
		for (String id : List.of(first, second)) {
			assertThat(conversation(ana, id).get("messages"))
				.filteredOn((message) -> message.get("senderType").asString().equals("human_agent"))
				.hasSize(1);
		}
		// Nothing is left unclaimed: what a customer says next waits for the one who
		// holds it.
		anas.open("/inbox");
		anas.waitUntil(SOON, (driver) -> !anas.find("#inbox-status").getText().equals("Loading…"));
		assertThat(anas.all("#inbox-rows .inbox-holder"))
			.allSatisfy((holder) -> assertThat(holder.getText()).isIn(ana.userId(), bob.userId()));
	}

	private void answer(Browser browser, String id, String text) {
		browser.open("/conversations/" + id);
		browser.waitUntil(SOON, (driver) -> browser.find("#reply").isDisplayed());
		browser.find("#reply-text").sendKeys(text);
		browser.find("#reply button[type=submit]").click();
		transcriptHas(browser, "li.sender-human-agent", text);
	}

	/**
	 * An element's text read in one step: the inbox redraws its rows as the stream tells
	 * it of changes, so an element found a moment before may be gone.
	 */
	private static String text(Browser browser, String css) {
		String text = browser.script("return document.querySelector(arguments[0])?.textContent ?? ''", css);
		return (text != null) ? text.strip() : "";
	}

	/**
	 * Clicks what the page shows now, in one step (the inbox redraws its rows).
	 */
	private static void click(Browser browser, String css) {
		Boolean clicked = browser.script(
				"const element = document.querySelector(arguments[0]); element?.click(); " + "return element != null",
				css);
		assertThat(clicked).as("%s on the page", css).isTrue();
	}

	private static void coach(Browser browser, String text) {
		browser.find("#coach-text").sendKeys(text);
		browser.find("#coach-form button[type=submit]").click();
	}

	private static void transcriptHas(Browser browser, String css, String text) {
		browser.waitUntil(SOON,
				(driver) -> browser.all("ol.transcript > " + css + " .text")
					.stream()
					.anyMatch((element) -> element.getText().equals(text)));
	}

	private static String await(Player player) throws InterruptedException {
		long deadline = System.nanoTime() + SOON.toNanos();
		while (player.conversationIds().isEmpty() && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		assertThat(player.conversationIds()).isNotEmpty();
		return player.conversationIds().get(0);
	}

	private Browser signedIn(Key key) {
		Browser browser = Browser.start(this.port);
		this.browsers.add(browser);
		browser.open("/login");
		browser.find("#key").sendKeys(key.key());
		browser.find("form button[type=submit]").click();
		browser.waitUntil((driver) -> !browser.path().startsWith("/login"));
		return browser;
	}

	private JsonNode conversation(Key key, String id) {
		return this.json.readTree(RestTestClient.bindToServer()
			.baseUrl("http://localhost:" + this.port)
			.defaultHeader("Authorization", "Bearer " + key.key())
			.build()
			.get()
			.uri("/api/v1/conversations/{id}", id)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody());
	}

	/**
	 * An API key of the test's org, and the user id the archive knows its holder by.
	 */
	record Key(String key, String userId) {
	}

	private Key key(String role, String name) {
		JsonNode created = this.json.readTree(this.admin.post()
			.uri("/api/v1/orgs/{org}/api-keys", this.org)
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("name", name, "role", role))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.returnResult()
			.getResponseBody());
		return new Key(created.get("key").asString(), "api-key:" + created.get("id").asString());
	}

}
