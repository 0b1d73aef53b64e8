package org.conversationarchive.web;

import java.util.List;
import java.util.Map;

import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.WebhookReceiver;
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
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhooks and alerts pages in a real browser, in a few page loads: a manager adds a
 * webhook (its secret shown once signs what the receiver gets), sends it a test, sees the
 * delivery and disables it; adds an alert on a view and disables it; a bad value is said
 * in the API's words. A viewer finds Alerts in the nav, read-only, and no Webhooks. In
 * the pages tests' context (org {@code default}, whose conversations it leaves alone).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ArchiveIntegrationTest(properties = { "archive.elasticsearch.index-prefix=pages-test",
		"archive.pages.flow-link=https://studio.example.com/flows/{flowId}?org={org}" })
class SettingsPagesIntegrationTests {

	@Autowired
	RestTestClient http;

	@Autowired
	JsonMapper json;

	@LocalServerPort
	int port;

	Browser browser;

	final WebhookReceiver receiver = new WebhookReceiver();

	@BeforeAll
	void start() {
		this.browser = Browser.start(this.port);
	}

	@AfterAll
	void stop() {
		// What this test made in org default goes, so that other tests' exports publish
		// to nobody.
		for (String api : List.of("/api/v1/webhooks", "/api/v1/alerts")) {
			for (JsonNode item : get(api).get("items")) {
				this.http.delete().uri(api + "/" + item.get("id").asString()).exchange().expectStatus().isNoContent();
			}
		}
		this.receiver.close();
		if (this.browser != null) {
			this.browser.close();
		}
	}

	@Test
	void aManagerAddsTestsAndDisablesAWebhookAndAnAlertAndAViewerReadsTheAlerts() {
		signIn(ArchiveIntegrationTest.ADMIN_KEY);
		this.browser.find(".site-nav a[href='/webhooks']").click();
		this.browser.waitUntil((driver) -> this.browser.path().equals("/webhooks"));
		this.browser.waitUntil((driver) -> text("#webhooks-status").equals("No webhooks yet."));

		// A URL the API refuses, in its words.
		this.browser.find("#webhook-url").sendKeys("ftp://example.com/hooks");
		this.browser.find("#webhook-form button[type=submit]").click();
		this.browser.waitUntil((driver) -> !this.browser.all("#webhook-form-status .problem").isEmpty());
		assertThat(this.browser.find("#webhook-form-status .problem-detail").getText()).contains("url")
			.contains("http or https");

		WebElement url = this.browser.find("#webhook-url");
		url.clear();
		url.sendKeys(this.receiver.url("/pages"));
		this.browser.find("#webhook-description").sendKeys("Our on-call");
		this.browser.find("input[name=scope][value=chosen]").click();
		this.browser.find("input[name=events][value='export.ready']").click();
		this.browser.find("#webhook-form button[type=submit]").click();
		this.browser.waitUntil((driver) -> !this.browser.all("#webhook-form-status .secret-value").isEmpty());
		String secret = this.browser.find("#webhook-form-status .secret-value").getText();
		assertThat(secret).startsWith("whsec_");
		this.browser.waitUntil((driver) -> this.browser.all("#webhooks-list li.webhook").size() == 1);
		WebElement card = this.browser.find("#webhooks-list li.webhook");
		assertThat(card.findElement(By.cssSelector(".webhook-url")).getText()).isEqualTo(this.receiver.url("/pages"));
		assertThat(card.getText()).contains("Our on-call").contains("Events: export.ready").contains("Enabled");

		card.findElement(By.cssSelector("[data-action=test]")).click();
		this.browser.waitUntil((driver) -> !this.browser.all("#webhooks-list .test-result").isEmpty());
		assertThat(this.browser.find("#webhooks-list .test-result").getText())
			.startsWith("Delivered: the endpoint answered 200");
		WebhookReceiver.Received received = this.receiver.received("/pages").get(0);
		assertThat(WebhookReceiver.verify(secret, received.header("X-Archive-Signature"), received.body())).isTrue();
		this.browser.waitUntil((driver) -> !this.browser.all("#webhooks-list .deliveries-table tbody tr").isEmpty());
		assertThat(this.browser.find("#webhooks-list .deliveries-table tbody tr").getText()).contains("webhook.test")
			.contains("delivered")
			.contains("answered 200");
		this.browser.screenshot("webhooks");

		this.browser.find("#webhooks-list [data-action=toggle]").click();
		this.browser.waitUntil((driver) -> text("#webhooks-list .webhook-state").equals("Disabled"));
		assertThat(this.browser.find("#webhooks-list [data-action=toggle]").getText()).isEqualTo("Enable");

		this.browser.find(".site-nav a[href='/alerts']").click();
		this.browser.waitUntil((driver) -> this.browser.path().equals("/alerts"));
		this.browser.waitUntil((driver) -> text("#alerts-status").equals("No alerts yet."));
		this.browser.find("#alert-form button[type=submit]").click();
		this.browser.waitUntil((driver) -> !this.browser.all("#alert-form-status .problem").isEmpty());
		assertThat(this.browser.find("#alert-form-status .problem-detail").getText()).startsWith("name");

		this.browser.find("#alert-name").sendKeys("Quiet production");
		new Select(this.browser.find("#alert-view")).selectByVisibleText("Production Calls");
		new Select(this.browser.find("#alert-comparison")).selectByValue("below");
		WebElement threshold = this.browser.find("#alert-threshold");
		threshold.clear();
		threshold.sendKeys("5");
		new Select(this.browser.find("#alert-window")).selectByValue("P1D");
		this.browser.find("#alert-form button[type=submit]").click();
		this.browser.waitUntil((driver) -> this.browser.all("#alerts-list li.alert-card").size() == 1);
		WebElement alert = this.browser.find("#alerts-list li.alert-card");
		assertThat(alert.getText()).contains("Quiet production")
			.contains("Fewer than 5 conversations of \u201cProduction Calls\u201d started in the last day")
			.contains("OK")
			.contains("Not evaluated yet.");
		alert.findElement(By.cssSelector(".alert-events summary")).click();
		this.browser.waitUntil((driver) -> text("#alerts-list .events-status").equals("It has not triggered yet."));
		this.browser.screenshot("alerts");
		this.browser.find("#alerts-list [data-action=toggle]").click();
		this.browser.waitUntil((driver) -> text("#alerts-list .alert-state").equals("Disabled"));
		assertThat(get("/api/v1/alerts").get("items").get(0).get("enabled").asBoolean()).isFalse();

		// A viewer: Alerts to read, no Webhooks.
		this.browser.find(".site-header form button[type=submit]").click();
		this.browser.waitUntil((driver) -> this.browser.path().startsWith("/login"));
		signIn(viewerKey());
		assertThat(this.browser.all(".site-nav a").stream().map(WebElement::getText)).contains("Alerts")
			.doesNotContain("Webhooks");
		this.browser.open("/alerts");
		this.browser.waitUntil((driver) -> this.browser.all("#alerts-list li.alert-card").size() == 1);
		assertThat(this.browser.all("#alert-form")).isEmpty();
		assertThat(this.browser.all("#alerts-list [data-action]")).isEmpty();
		this.browser.open("/webhooks");
		assertThat(this.browser.find(".problem").getText()).contains("manage webhooks");
	}

	/**
	 * An element's text, read in the page: a list drawn again between finding an element
	 * and reading it would leave a stale reference.
	 */
	private String text(String css) {
		return this.browser.script("return document.querySelector(arguments[0])?.textContent ?? ''", css);
	}

	private void signIn(String key) {
		this.browser.open("/login");
		this.browser.find("#key").sendKeys(key);
		this.browser.find("form button[type=submit]").click();
		this.browser.waitUntil((driver) -> !this.browser.path().startsWith("/login"));
	}

	private String viewerKey() {
		byte[] created = this.http.post()
			.uri("/api/v1/orgs/default/api-keys")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("name", "settings pages viewer", "role", "viewer"))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.returnResult()
			.getResponseBody();
		return this.json.readTree(created).get("key").asString();
	}

	private JsonNode get(String uri) {
		return this.json.readTree(this.http.get()
			.uri(uri)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody());
	}

}
