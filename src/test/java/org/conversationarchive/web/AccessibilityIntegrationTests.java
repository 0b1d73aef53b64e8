package org.conversationarchive.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.WebhookReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.WebElement;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pages checked by axe-core in a real browser, in the light theme and in the dark one
 * (the system's {@code prefers-color-scheme}, emulated): no serious or critical violation
 * of WCAG 2.1 A and AA or of axe's best practices. Each page in each theme is saved to
 * {@code target/screenshots} as {@code <page>-<theme>.png}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ArchiveIntegrationTest(properties = "archive.elasticsearch.index-prefix=a11y-test")
class AccessibilityIntegrationTests {

	/** Where the build's axe-core profile installs it from npm. */
	static final Path AXE = Path.of("target/axe/node_modules/axe-core/axe.min.js");

	static final List<String> TAGS = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice");

	@Autowired
	RestTestClient http;

	@Autowired
	JsonMapper json;

	@LocalServerPort
	int port;

	String axe;

	Browser browser;

	WebhookReceiver receiver;

	String ruleId;

	@BeforeAll
	void fixture() throws IOException {
		PagesFixture.load(this.http);
		// A person's flag, so that the conversation shows a flag history too.
		this.http.post()
			.uri("/api/v1/conversations/p01/flags")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"reason\": \"Promised a refund twice\", \"severity\": \"high\"}")
			.exchange()
			.expectStatus()
			.isOk();
		this.browser = Browser.start(this.port);
		assertThat(AXE).as("axe-core, which the build installs with npm: run ./mvnw generate-test-resources")
			.isRegularFile();
		this.axe = Files.readString(AXE);
		// target/axe outlives clean: test with the axe-core the pom pins, no older one.
		String pinned = System.getProperty("axe-core.version");
		if (pinned != null) {
			assertThat(Files.readString(AXE.resolveSibling("package.json")))
				.as("target/axe holds another axe-core than the pom's %s: delete target/axe and build again", pinned)
				.contains("\"version\": \"" + pinned + "\"");
		}
	}

	@AfterAll
	void closeBrowser() {
		if (this.receiver != null) {
			// Other tests' exports in org default publish to nobody.
			for (String api : List.of("/api/v1/webhooks", "/api/v1/alerts")) {
				for (JsonNode item : this.json
					.readTree(this.http.get().uri(api).exchange().expectBody().returnResult().getResponseBody())
					.get("items")) {
					this.http.delete().uri(api + "/" + item.get("id").asString()).exchange();
				}
			}
			this.receiver.close();
		}
		if (this.browser != null) {
			this.browser.close();
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "light", "dark" })
	void theSignInPageAndItsProblem(String theme) {
		this.browser.colorScheme(theme);
		this.browser.driver().manage().deleteAllCookies();
		this.browser.open("/login");
		WebElement key = this.browser.find("#key");
		key.sendKeys("not-a-key-of-this-archive");
		this.browser.find("form button[type=submit]").click();
		this.browser.waitUntil((driver) -> this.browser.path().equals("/login?error"));
		check("login", theme);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "light", "dark" })
	void theConversationsPage(String theme) {
		signedIn(theme);
		this.browser.open("/?view=all");
		assertThat(this.browser.all("table.conversations tbody.row")).hasSize(PagesFixture.TOTAL);
		check("conversations", theme);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "light", "dark" })
	void theConversationsPageWithItsFilterPanel(String theme) {
		signedIn(theme);
		this.browser.open("/?view=all");
		if (!this.browser.find("#filter-panel").isDisplayed()) {
			this.browser.find("#filters-button").click();
		}
		assertThat(this.browser.find("#filter-panel").isDisplayed()).isTrue();
		check("conversations-filters", theme);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "light", "dark" })
	void theConversationsPageWithSearchHitsAndItsMenus(String theme) {
		signedIn(theme);
		this.browser.open("/?view=all&q=refund");
		assertThat(this.browser.all("tr.hits mark")).isNotEmpty();
		check("conversations-search", theme);
		this.browser.find(".columns-menu summary").click();
		assertThat(this.browser.find(".column-chooser").isDisplayed()).isTrue();
		check("conversations-columns", theme);
		this.browser.find(".columns-menu summary").click();
		// The "+N" of a cell with its popover, and an export followed to its link.
		new org.openqa.selenium.interactions.Actions(this.browser.driver())
			.moveToElement(this.browser.find("td.col-tags button.more"))
			.perform();
		this.browser.waitUntil((driver) -> this.browser.find("#chip-popover").isDisplayed());
		this.browser.find("#export-button").click();
		this.browser.waitUntil(
				(driver) -> !this.browser.all("#export-status .download-link, #export-status .problem").isEmpty());
		check("conversations-export", theme);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "light", "dark" })
	void aConversationWithItsRecordingAndChart(String theme) {
		signedIn(theme);
		this.browser.open("/conversations/p01");
		WebElement chart = this.browser.find(".artifact img");
		this.browser.waitUntil((driver) -> this.browser
			.<Boolean>script("return arguments[0].complete && arguments[0].naturalWidth > 0", chart));
		assertThat(this.browser.all("audio#audio")).hasSize(1);
		this.browser.find(".flag-history summary").click();
		assertThat(this.browser.find(".flag-event").isDisplayed()).isTrue();
		check("conversation", theme);
		this.browser.find(".actions-menu summary").click();
		assertThat(this.browser.find("#delete-button").isDisplayed()).isTrue();
		check("conversation-menu", theme);
		this.browser.find("#delete-button").click();
		this.browser.waitUntil((driver) -> this.browser.find("#delete-dialog").isDisplayed());
		check("conversation-delete", theme);
		this.browser.find("#delete-cancel").click();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "light", "dark" })
	void theAgentsPage(String theme) {
		signedIn(theme);
		this.browser.open("/agents");
		assertThat(this.browser.all("tr.agent")).hasSize(2);
		check("agents", theme);
		this.browser.find("#notifications-button").click();
		assertThat(this.browser.find("#notifications-panel").isDisplayed()).isTrue();
		check("agents-notifications", theme);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "light", "dark" })
	void theDashboardWithItsChartsAndTheirTables(String theme) {
		signedIn(theme);
		this.browser.open("/dashboard?view=all&split=status");
		this.browser.waitUntil((driver) -> this.browser.<Boolean>script("""
				const state = document.getElementById('dashboard-state');
				const figures = document.getElementById('figures');
				return document.readyState === 'complete' && figures.dataset.drawn === state.dataset.query
					&& !figures.hasAttribute('aria-busy')"""));
		assertThat(this.browser.all("[data-chart] svg")).hasSizeGreaterThanOrEqualTo(12);
		this.browser.all(".figure-data summary").forEach(WebElement::click);
		assertThat(this.browser.all(".data-table")).hasSizeGreaterThanOrEqualTo(11);
		check("dashboard", theme);
		this.browser.find("#filters-button").click();
		this.browser.find("[data-preset=custom]").click();
		assertThat(this.browser.find("#filter-panel").isDisplayed()).isTrue();
		assertThat(this.browser.find("#custom-range").isDisplayed()).isTrue();
		check("dashboard-filters", theme);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "light", "dark" })
	void theWebhooksAndAlertsPages(String theme) {
		settings();
		signedIn(theme);
		this.browser.open("/webhooks");
		this.browser.waitUntil((driver) -> !this.browser.all("#webhooks-list li.webhook").isEmpty());
		this.browser.find("#webhooks-list .deliveries summary").click();
		this.browser.waitUntil((driver) -> !this.browser.all("#webhooks-list .deliveries-table tbody tr").isEmpty());
		// A refusal, as the form shows it.
		this.browser.find("#webhook-form button[type=submit]").click();
		this.browser.waitUntil((driver) -> !this.browser.all("#webhook-form-status .problem").isEmpty());
		check("webhooks", theme);
		this.browser.open("/alerts");
		this.browser.waitUntil((driver) -> this.browser.all("#alerts-list li.alert-card").size() == 2);
		this.browser.all("#alerts-list .alert-events summary").forEach(WebElement::click);
		this.browser.waitUntil((driver) -> this.browser.all("#alerts-list .events-status")
			.stream()
			.allMatch((status) -> !status.getText().equals("Loading…")));
		check("alerts", theme);
	}

	/**
	 * A webhook with a delivery, and two alerts (one disabled), once for both themes.
	 */
	private void settings() {
		if (this.receiver != null) {
			return;
		}
		this.receiver = new WebhookReceiver();
		String webhook = this.json
			.readTree(this.http.post()
				.uri("/api/v1/webhooks")
				.contentType(MediaType.APPLICATION_JSON)
				.body("{\"url\": \"" + this.receiver.url("/a11y") + "\", \"description\": \"On-call\", "
						+ "\"events\": [\"export.ready\"]}")
				.exchange()
				.expectStatus()
				.isCreated()
				.expectBody()
				.returnResult()
				.getResponseBody())
			.get("id")
			.asString();
		this.http.post().uri("/api/v1/webhooks/{id}/test", webhook).exchange().expectStatus().isOk();
		for (String alert : List.of(
				"{\"name\": \"Busy hour\", \"viewId\": \"all\", \"window\": \"PT1H\", \"above\": 100}",
				"{\"name\": \"Quiet tests\", \"viewId\": \"test\", \"window\": \"P1D\", \"below\": 1, "
						+ "\"enabled\": false}")) {
			this.http.post()
				.uri("/api/v1/alerts")
				.contentType(MediaType.APPLICATION_JSON)
				.body(alert)
				.exchange()
				.expectStatus()
				.isCreated();
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "light", "dark" })
	void theRulesWithTheApplyDialogAndARuleWithItsBacktest(String theme) {
		signedIn(theme);
		String id = rule();
		this.browser.open("/rules");
		this.browser.waitUntil((driver) -> !this.browser.all("#rule-" + id).isEmpty());
		check("rules", theme);
		this.browser.find("#rule-" + id + " button[data-command=apply]").click();
		this.browser.waitUntil((driver) -> this.browser.find("#apply-dialog").isDisplayed());
		check("rules-apply", theme);
		this.browser.find("#apply-close").click();
		// The backtest over the fixture's days: p01, p08 and p09, with their hits.
		this.browser.open("/rules/" + id + "?from=2025-01-01T00:00:00Z&to=2025-05-03T00:00:00Z#backtest");
		this.browser.waitUntil((driver) -> !this.browser.all("#backtest-count").isEmpty());
		this.browser.find("#backtest details.figure-data summary").click();
		assertThat(this.browser.all("#sample mark")).isNotEmpty();
		assertThat(this.browser.all("#per-day-chart svg")).hasSize(1);
		check("rule", theme);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "light", "dark" })
	void theLivePagesAndALiveConversation(String theme) {
		signedIn(theme);
		Instant started = Instant.now().minusSeconds(90).truncatedTo(ChronoUnit.SECONDS);
		List<String> live = List.of("live-a11y-call", "live-a11y-chat");
		try {
			for (String id : live) {
				boolean call = id.endsWith("call");
				this.http.post()
					.uri("/api/v1/conversations")
					.contentType(MediaType.APPLICATION_JSON)
					.body("{\"id\": \"" + id + "\", \"platform\": \"" + (call ? "voice" : "web")
							+ "\", \"startedAt\": \"" + started + "\", \"status\": \""
							+ (call ? "in_progress" : "human_handoff") + "\"" + (call ? "" : ", \"queue\": \"Billing\"")
							+ ", \"contact\": {\"name\": \"Jo Park\"}, \"agent\": {\"name\": \"Ava\"}, "
							+ "\"sentiment\": [{\"emotion\": \"frustration\", \"score\": 0.7}], \"messages\": [{\"at\": \""
							+ started + "\", \"senderType\": \"user\", \"text\": \"My invoice is wrong\"}]}")
					.exchange()
					.expectStatus()
					.isCreated();
			}
			this.browser.open("/live");
			this.browser.waitUntil((driver) -> this.browser.all("#live-rows tr").size() == 2);
			check("live", theme);
			this.browser.open("/inbox");
			this.browser.waitUntil((driver) -> this.browser.all("#inbox-rows tr").size() == 1);
			check("inbox", theme);
			this.browser.open("/conversations/live-a11y-call");
			this.browser.waitUntil((driver) -> this.browser.find("#live-state").getText().equals("With the AI agent"));
			check("conversation-live", theme);
		}
		finally {
			for (String id : live) {
				this.http.delete().uri("/api/v1/conversations/{id}", id).exchange();
			}
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "light", "dark" })
	void aConversationOnItsFlowAndTheFlowsPage(String theme) {
		signedIn(theme);
		String nodes = "[{\"id\": \"greet\", \"label\": \"Greeting\", \"kind\": \"start\"}, "
				+ "{\"id\": \"ask\", \"label\": \"Ask the reason\", \"kind\": \"question\"}, "
				+ "{\"id\": \"bye\", \"label\": \"Goodbye\", \"kind\": \"end\"}]";
		String edges = "[{\"from\": \"greet\", \"to\": \"ask\"}, {\"from\": \"ask\", \"to\": \"bye\", "
				+ "\"label\": \"done\"}]";
		// Two versions, for the version selector; publishing one again is answered as
		// before.
		for (int version = 1; version <= 2; version++) {
			this.http.put()
				.uri("/api/v1/flows/a11y-returns")
				.contentType(MediaType.APPLICATION_JSON)
				.body("{\"name\": \"Returns\", \"version\": " + version + ", \"nodes\": " + nodes + ", \"edges\": "
						+ edges + "}")
				.exchange()
				.expectStatus()
				.is2xxSuccessful();
		}
		try {
			this.http.post()
				.uri("/api/v1/conversations")
				.contentType(MediaType.APPLICATION_JSON)
				.body("{\"id\": \"a11y-flow\", \"platform\": \"web\", \"status\": \"completed\", "
						+ "\"startedAt\": \"2025-06-01T10:00:00Z\", \"flow\": {\"id\": \"a11y-returns\", "
						+ "\"name\": \"Returns\"}, \"flowVersion\": 1, \"messages\": ["
						+ "{\"at\": \"2025-06-01T10:00:05Z\", \"senderType\": \"agent\", \"text\": \"Hello\", "
						+ "\"flowNode\": \"greet\"}, {\"at\": \"2025-06-01T10:00:20Z\", \"senderType\": \"user\", "
						+ "\"text\": \"A return, please\", \"flowNode\": \"ask\"}]}")
				.exchange()
				.expectStatus()
				.is2xxSuccessful();
			this.browser.open("/conversations/a11y-flow");
			this.browser
				.waitUntil((driver) -> "true".equals(this.browser.find("#flow-panel").getDomAttribute("data-drawn")));
			this.browser.find("#flow-path li:nth-child(2) button").click();
			this.browser.waitUntil((driver) -> !this.browser.all(".message.flow-marked").isEmpty());
			check("conversation-flow", theme);
			this.browser.open("/flows/a11y-returns?version=1&platform=web");
			this.browser.waitUntil((driver) -> this.browser.find("#flow-state").getDomAttribute("data-loaded") != null);
			assertThat(this.browser.all("#version-select option")).hasSize(2);
			check("flow", theme);
		}
		finally {
			this.http.delete().uri("/api/v1/conversations/{id}", "a11y-flow").exchange();
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "light", "dark" })
	void aMissingConversation(String theme) {
		signedIn(theme);
		this.browser.open("/conversations/no-such-conversation");
		assertThat(this.browser.find(".problem").getText()).contains("Not found").contains("no-such-conversation");
		check("problem", theme);
	}

	/** A rule of the org, made once: voice calls where "refund" is said. */
	private String rule() {
		if (this.ruleId == null) {
			this.ruleId = this.http.post()
				.uri("/api/v1/rules")
				.contentType(MediaType.APPLICATION_JSON)
				.body("{\"name\": \"Refunds on calls\", \"filter\": {\"platforms\": [\"voice\"], "
						+ "\"content\": {\"query\": \"refund\"}}, \"actions\": {\"notify\": true}}")
				.exchange()
				.expectStatus()
				.isCreated()
				.expectBody(Map.class)
				.returnResult()
				.getResponseBody()
				.get("id")
				.toString();
		}
		return this.ruleId;
	}

	private void signedIn(String theme) {
		this.browser.colorScheme(theme);
		this.browser.open("/login");
		if (this.browser.path().startsWith("/login")) {
			this.browser.find("#key").sendKeys(ArchiveIntegrationTest.ADMIN_KEY);
			this.browser.find("form button[type=submit]").click();
			this.browser.waitUntil((driver) -> !this.browser.path().startsWith("/login"));
		}
		// The conversations page keeps its filter panel open across reloads in the tab.
		this.browser.script("sessionStorage.clear()");
	}

	/**
	 * Checks that the page is drawn in the theme asked for, saves it, and runs axe on it:
	 * no violation of impact serious or critical.
	 */
	private void check(String page, String theme) {
		assertThat(this.browser.<Boolean>script("return matchMedia('(prefers-color-scheme: dark)').matches"))
			.as("the page sees the %s setting", theme)
			.isEqualTo(theme.equals("dark"));
		// The page's own background follows the setting.
		double background = this.browser.script("""
				const [r, g, b] = getComputedStyle(document.documentElement).backgroundColor.match(/\\d+/g).map(Number);
				return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;""");
		if (theme.equals("dark")) {
			assertThat(background).as("the background's lightness in the dark theme").isLessThan(0.25);
		}
		else {
			assertThat(background).as("the background's lightness in the light theme").isGreaterThan(0.85);
		}
		this.browser.screenshot(page + "-" + theme);

		if (!this.browser.<Boolean>script("return typeof axe !== 'undefined'")) {
			this.browser.script(this.axe);
		}
		Map<String, Object> results = this.browser.asyncScript("""
				const done = arguments[arguments.length - 1];
				const message = (node) => [...node.any, ...node.all, ...node.none].map((check) => check.message)[0];
				axe.run(document, { runOnly: { type: 'tag', values: arguments[0] }, resultTypes: ['violations'] })
					.then((results) => done({
						checked: results.passes.concat(results.violations).map((rule) => rule.id),
						violations: results.violations.map((violation) => ({
							id: violation.id, impact: violation.impact, help: violation.help,
							nodes: violation.nodes.map((node) => node.target.join(' ')
								+ (message(node) ? ' (' + message(node) + ')' : '')) })) }))
					.catch((error) => done({ checked: [], violations: [
						{ id: 'axe-error', impact: 'critical', help: String(error), nodes: [] }] }));""", TAGS);
		// An axe that checked nothing (tags it does not know) would find nothing either.
		assertThat(results.get("checked")).asInstanceOf(InstanceOfAssertFactories.LIST)
			.as("the rules axe checked")
			.contains("color-contrast");
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> violations = (List<Map<String, Object>>) results.get("violations");
		List<Map<String, Object>> serious = violations.stream()
			.filter((violation) -> List.of("serious", "critical").contains(violation.get("impact")))
			.toList();
		assertThat(serious)
			.withFailMessage("axe's serious and critical violations on %s in the %s theme:%n%s", page, theme,
					describe(serious))
			.isEmpty();
	}

	private static String describe(List<Map<String, Object>> violations) {
		return violations.stream()
			.map((violation) -> "- " + violation.get("id") + " (" + violation.get("impact") + "): "
					+ violation.get("help")
					+ ((List<?>) violation.get("nodes")).stream()
						.map((node) -> "\n    " + node)
						.collect(Collectors.joining()))
			.collect(Collectors.joining("\n"));
	}

}
