package org.conversationarchive.web;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import org.conversationarchive.ArchiveIntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The review rules pages in a real browser against the real service, engine and rules
 * API, in an org of their own (so that the dashboard's tests, whose context this reuses,
 * see none of it): a rule created from the table's filters, backtested (the total shown
 * is the search API's for the same filter and days), saved, its filters changed in the
 * table and taken back, switched on and off in the list; and what a reader sees.
 * Screenshots go to {@code target/screenshots}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ArchiveIntegrationTest(properties = "archive.elasticsearch.index-prefix=dashboard-test")
class RulesPagesIntegrationTests {

	/** Voice calls where the customer asked for a manager: m1, m2 and m5 (flagged). */
	static final String FILTER = "{\"platforms\": [\"voice\"], \"content\": {\"query\": \"manager\", \"speaker\": \"user\"}}";

	final String org = "rules-pages-" + UUID.randomUUID().toString().substring(0, 8);

	@Autowired
	RestTestClient admin;

	@Autowired
	JsonMapper json;

	@LocalServerPort
	int port;

	String manager;

	String viewer;

	Browser browser;

	@BeforeAll
	void orgWithConversations() {
		this.admin.post()
			.uri("/api/v1/orgs")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("id", this.org, "name", "Rules pages"))
			.exchange()
			.expectStatus()
			.isCreated();
		this.manager = key("manager");
		this.viewer = key("viewer");
		Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		String ndjson = String.join("\n",
				conversation("m1", "voice", now.minus(2, ChronoUnit.DAYS), "user", "I want to talk to your manager",
						""),
				conversation("m2", "voice", now.minus(4, ChronoUnit.DAYS), "user", "get me a manager now", ""),
				conversation("m3", "voice", now.minus(6, ChronoUnit.DAYS), "agent", "my manager will call you", ""),
				conversation("m4", "web", now.minus(3, ChronoUnit.DAYS), "user", "manager please", ""),
				conversation("m5", "voice", now.minus(8, ChronoUnit.DAYS), "user", "the manager was helpful",
						", \"flagged\": true, \"flags\": [{\"reason\": \"praise\", \"source\": \"user\"}]"),
				conversation("m6", "sms", now.minus(1, ChronoUnit.DAYS), "user", "hello", "")) + "\n";
		client(key("admin")).post()
			.uri("/api/v1/conversations/_bulk?refresh=true")
			.contentType(MediaType.parseMediaType("application/x-ndjson"))
			.body(ndjson)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.errors")
			.isEqualTo(false);
		this.browser = Browser.start(this.port);
	}

	@AfterAll
	void closeBrowser() {
		if (this.browser != null) {
			this.browser.close();
		}
	}

	@Test
	void aManagerCreatesARuleFromTheTableBacktestsItSavesItAndSwitchesItOnAndOff() {
		signIn(this.manager);
		// A filter the table would refuse is refused here too, in the table's words.
		this.browser.open("/rules/new?platform=fax");
		assertThat(this.browser.find(".problem").getText()).contains("The Platform filter cannot be used as it is")
			.contains("fax");
		// The table's filters, as a rule's.
		this.browser.open("/?platform=voice&q=manager&speaker=user");
		WebElement create = this.browser.find("#create-rule");
		assertThat(create.getText()).isEqualTo("Create rule…");
		create.click();
		this.browser.waitUntil((driver) -> this.browser.path().startsWith("/rules/new?"));
		assertThat(this.browser.path()).contains("platform=voice").contains("q=manager").contains("speaker=user");
		this.browser.waitUntil((driver) -> !summary().equals("…"));
		assertThat(summary()).isEqualTo("Platform: Voice · Said (user): manager");
		assertThat(this.browser.find(".site-nav a[aria-current=page]").getText()).isEqualTo("Rules");

		this.browser.find("#rule-name").sendKeys("Asked for a manager");
		this.browser.find("#flag-reason").sendKeys("Wants a manager");
		new Select(this.browser.find("#flag-severity")).selectByValue("high");
		this.browser.find("#tag-key").sendKeys("Review");
		this.browser.find("#tag-value").sendKeys("escalation");
		this.browser.find("#notify").click();
		this.browser.screenshot("rule-new");

		// The backtest over the last 30 days of this computer: what the search API finds
		// for the same filter and days.
		this.browser.find("#backtest-button").click();
		this.browser.waitUntil((driver) -> !this.browser.all("#backtest-count").isEmpty());
		ZoneId zone = ZoneId.of(this.browser.<String>script("return Intl.DateTimeFormat().resolvedOptions().timeZone"));
		LocalDate from = LocalDate.parse(this.browser.find("#backtest-from").getAttribute("value"));
		LocalDate to = LocalDate.parse(this.browser.find("#backtest-to").getAttribute("value"));
		assertThat(from).isEqualTo(to.minusDays(29));
		long searched = total(FILTER, from.atStartOfDay(zone).toInstant(),
				to.plusDays(1).atStartOfDay(zone).toInstant());
		assertThat(searched).isEqualTo(3);
		assertThat(this.browser.find("#backtest-count").getText()).isEqualTo(String.valueOf(searched));
		assertThat(this.browser.find("#backtest-total").getText()).contains(from + " to " + to);
		// Per day: the chart in the theme's colour, and its table.
		assertThat(this.browser.all("#per-day-chart svg")).hasSize(1);
		this.browser.find("#backtest details.figure-data summary").click();
		assertThat(this.browser.all("#per-day-table tbody tr")).hasSize(30);
		assertThat(this.browser.find("#overlap").getText()).contains("1 of 3 (33%) are flagged already")
			.contains("People 1");
		assertThat(this.browser.find("#notifications").getText()).startsWith("3 notifications");
		// The sample, each with its hits, linking to the conversation.
		assertThat(this.browser.all("#sample .conversation-link")).extracting(WebElement::getText)
			.containsExactlyInAnyOrder("m1", "m2", "m5");
		assertThat(this.browser.find("#sample .conversation-link").getAttribute("href")).contains("/conversations/m");
		assertThat(this.browser.all("#sample mark")).isNotEmpty()
			.allSatisfy((mark) -> assertThat(mark.getText()).isEqualToIgnoringCase("manager"));
		this.browser.screenshot("rule-backtest");

		// Saved, off.
		this.browser.find("#save").click();
		this.browser.waitUntil((driver) -> this.browser.find("#save-status").getText().startsWith("Saved."));
		String id = this.browser.path().substring("/rules/".length());
		assertThat(id).isNotEqualTo("new").doesNotContain("?");
		JsonNode rule = rule(id);
		assertThat(rule.get("name").asString()).isEqualTo("Asked for a manager");
		assertThat(rule.get("enabled").asBoolean()).isFalse();
		assertThat(rule.get("filter")).isEqualTo(this.json.readTree(FILTER));
		assertThat(rule.get("actions").toString()).isEqualTo(
				this.json
					.readTree("{\"flag\": {\"reason\": \"Wants a manager\", \"severity\": \"high\"}, "
							+ "\"tag\": {\"key\": \"Review\", \"value\": \"escalation\"}, \"notify\": true}")
					.toString());
		assertThat(this.browser.find("#rule-heading").getText()).isEqualTo("Asked for a manager");

		// Its filters changed in the table (completed calls only) and taken back.
		this.browser.find("#change-filters").click();
		this.browser.waitUntil((driver) -> this.browser.path().startsWith("/?"));
		assertThat(this.browser.path()).contains("rule=" + id).contains("platform=voice").contains("from=");
		assertThat(this.browser.find("#create-rule").getText()).isEqualTo("Use in the rule…");
		this.browser.find("#filters-button").click();
		filterToggle("Status").click();
		this.browser.find("#filter-panel input[name=status][value=completed]").click();
		// The link follows the filters as they change (it is swapped in with them).
		this.browser.waitUntil((driver) -> this.browser
			.<Boolean>script("return document.getElementById('create-rule').href.includes('status=completed')"
					+ " && !document.getElementById('main').hasAttribute('aria-busy')"));
		this.browser.find("#create-rule").click();
		this.browser.waitUntil((driver) -> this.browser.path().startsWith("/rules/" + id + "?"));
		this.browser.waitUntil((driver) -> summary().startsWith("Status: Completed"));
		assertThat(summary()).isEqualTo("Status: Completed · Platform: Voice · Said (user): manager");
		assertThat(this.browser.find("#filter-note").getText()).contains("saving replaces the rule's filter");
		assertThat(this.browser.find("#rule-name").getAttribute("value")).isEqualTo("Asked for a manager");
		this.browser.find("#save").click();
		this.browser.waitUntil((driver) -> this.browser.find("#save-status").getText().startsWith("Saved."));
		assertThat(rule(id).get("filter").get("statuses").toString()).isEqualTo("[\"completed\"]");
		assertThat(rule(id).get("enabled").asBoolean()).isFalse();

		// On and off in the list; off asks about the flags it set.
		this.browser.open("/rules");
		WebElement toggle = this.browser
			.waitUntil((driver) -> driver.findElement(By.cssSelector("#rule-" + id + " button[role=switch]")));
		assertThat(toggle.getAttribute("aria-checked")).isEqualTo("false");
		assertThat(this.browser.find("#rule-" + id + " .rule-filter").getText())
			.isEqualTo("Status: Completed · Platform: Voice · Said (user): manager");
		assertThat(this.browser.find("#rule-" + id + " .rule-actions").getText())
			.isEqualTo("Flag “Wants a manager” (high) · Tag Review: escalation · Notify");
		assertThat(this.browser.find("#rule-" + id + " .table-link").getAttribute("href")).contains("flagged=true")
			.contains("status=completed");
		toggle.click();
		this.browser.waitUntil((driver) -> "true".equals(switchedOn(id)));
		assertThat(rule(id).get("enabled").asBoolean()).isTrue();
		assertThat(this.browser.find("#rules-status").getText()).contains("is on");
		this.browser.screenshot("rules-list");
		this.browser.find("#rule-" + id + " button[role=switch]").click();
		this.browser.waitUntil((driver) -> this.browser.find("#confirm-dialog").isDisplayed());
		assertThat(this.browser.find("#confirm-title").getText()).isEqualTo("Switch off “Asked for a manager”?");
		assertThat(this.browser.find("#remove-flags").isSelected()).isFalse();
		this.browser.screenshot("rules-switch-off");
		this.browser.find("#confirm-submit").click();
		this.browser.waitUntil((driver) -> "false".equals(switchedOn(id)));
		assertThat(rule(id).get("enabled").asBoolean()).isFalse();

		// A reader sees the rules and their backtests, and nothing that changes them.
		this.browser.driver().manage().deleteAllCookies();
		signIn(this.viewer);
		this.browser.open("/rules");
		this.browser.waitUntil((driver) -> !driver.findElements(By.cssSelector("#rule-" + id)).isEmpty());
		assertThat(this.browser.find("#rule-" + id + " .pill").getText()).isEqualTo("Off");
		assertThat(this.browser.all("button[role=switch], button[data-command], #new-rule")).isEmpty();
		assertThat(this.browser.find("#rule-" + id + " a.button").getText()).startsWith("Backtest");
		this.browser.screenshot("rules-reader");
	}

	private void signIn(String key) {
		this.browser.open("/login");
		this.browser.find("#key").sendKeys(key);
		this.browser.find("form button[type=submit]").click();
		this.browser.waitUntil((driver) -> !this.browser.path().startsWith("/login"));
	}

	/** Whether the list shows a rule on, read in one step (its row is replaced). */
	private String switchedOn(String id) {
		return this.browser.script("return document.querySelector(`#rule-${arguments[0]} button[role=switch]`)"
				+ "?.getAttribute('aria-checked')", id);
	}

	private String summary() {
		return this.browser.find("#filter-summary").getText();
	}

	private WebElement filterToggle(String name) {
		return this.browser.all("#filter-panel fieldset.filter legend label")
			.stream()
			.filter((label) -> label.getText().trim().equals(name))
			.findFirst()
			.orElseThrow()
			.findElement(By.cssSelector("input.activate"));
	}

	private JsonNode rule(String id) {
		return this.json.readTree(client(this.manager).get()
			.uri("/api/v1/rules/{id}", id)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody());
	}

	private long total(String filter, Instant from, Instant to) {
		String ranged = filter.substring(0, filter.lastIndexOf('}')) + ", \"from\": \"" + from + "\", \"to\": \"" + to
				+ "\"}";
		return this.json
			.readTree(client(this.manager).post()
				.uri("/api/v1/conversations/_search?size=1")
				.contentType(MediaType.APPLICATION_JSON)
				.body(ranged)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(String.class)
				.returnResult()
				.getResponseBody())
			.get("total")
			.asLong();
	}

	private String key(String role) {
		return this.json
			.readTree(this.admin.post()
				.uri("/api/v1/orgs/{org}/api-keys", this.org)
				.contentType(MediaType.APPLICATION_JSON)
				.body(Map.of("name", role + " key", "role", role))
				.exchange()
				.expectStatus()
				.isCreated()
				.expectBody(String.class)
				.returnResult()
				.getResponseBody())
			.get("key")
			.asString();
	}

	private RestTestClient client(String key) {
		return RestTestClient.bindToServer(new JdkClientHttpRequestFactory())
			.baseUrl("http://localhost:" + this.port)
			.defaultHeader("Authorization", "Bearer " + key)
			.build();
	}

	private static String conversation(String id, String platform, Instant startedAt, String sender, String text,
			String more) {
		return "{\"id\": \"" + id + "\", \"platform\": \"" + platform + "\", \"status\": \"completed\", "
				+ "\"environment\": \"production\", \"direction\": \"inbound\", \"startedAt\": \"" + startedAt
				+ "\", \"endedAt\": \"" + startedAt.plusSeconds(120) + "\", \"contact\": {\"id\": \"c-" + id + "\"}, "
				+ "\"messages\": [{\"at\": \"" + startedAt.plusSeconds(10) + "\", \"senderType\": \"" + sender
				+ "\", \"text\": \"" + text + "\"}]" + more + "}";
	}

}
