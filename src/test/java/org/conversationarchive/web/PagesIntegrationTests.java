package org.conversationarchive.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.conversationarchive.ArchiveIntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pages in a real browser against the real service and engine: signing in, searching
 * with highlights, filtering with facet counts and a URL that reproduces the page, paging
 * and sorting, a conversation with its function calls, facts and recording, views, the
 * export, the agents page, deleting, and the keyboard. Screenshots of each screen go to
 * {@code target/screenshots}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ArchiveIntegrationTest(properties = "archive.elasticsearch.index-prefix=pages-test")
class PagesIntegrationTests {

	@Autowired
	RestTestClient http;

	@LocalServerPort
	int port;

	Browser browser;

	@BeforeAll
	void fixture() {
		PagesFixture.load(this.http);
		this.browser = Browser.start(this.port);
	}

	@AfterAll
	void closeBrowser() {
		if (this.browser != null) {
			this.browser.close();
		}
	}

	@BeforeEach
	void signedIn() {
		this.browser.open("/login");
		if (this.browser.path().startsWith("/login")) {
			signIn(ArchiveIntegrationTest.ADMIN_KEY);
			this.browser.waitUntil((driver) -> !this.browser.path().startsWith("/login"));
		}
	}

	@Test
	@Order(1)
	void signingInNeedsAValidKeyAndLandsOnTheConversations() {
		this.browser.driver().manage().deleteAllCookies();
		this.browser.open("/");
		this.browser.waitUntil((driver) -> this.browser.path().startsWith("/login"));
		signIn("not-a-key-of-this-archive");
		this.browser.waitUntil((driver) -> this.browser.path().equals("/login?error"));
		assertThat(this.browser.find(".problem").getText()).contains("Sign-in failed").contains("not valid");
		this.browser.screenshot("login-error");

		signIn(ArchiveIntegrationTest.ADMIN_KEY);
		this.browser.waitUntil((driver) -> this.browser.path().startsWith("/?"));
		// Without parameters, "/" opens the org's default view.
		assertThat(this.browser.path()).isEqualTo("/?view=all");
		assertThat(total()).isEqualTo(PagesFixture.TOTAL);
		assertThat(this.browser.all("table.conversations tbody.row")).hasSize(PagesFixture.TOTAL);
		assertThat(this.browser.all("thead th").stream().map(WebElement::getText)).containsExactly("ID", "Platform",
				"Contact", "Status", "Flow", "Duration", "Last Message", "Date", "Flagged", "Functions", "Parameters",
				"Tags");
		assertThat(this.browser.find("tbody.row svg.platform-voice").getAttribute("aria-label")).isEqualTo("Voice");
		this.browser.screenshot("conversations");
	}

	@Test
	@Order(2)
	void aContentSearchShowsTheTotalAndHighlightsTheHits() {
		this.browser.open("/?view=all");
		WebElement box = this.browser.find("#q");
		box.sendKeys("refund");
		box.sendKeys(Keys.ENTER);
		this.browser.waitUntil((driver) -> this.browser.path().contains("q=refund"));
		assertThat(total()).isEqualTo(5);
		List<WebElement> marks = this.browser.all("tr.hits mark");
		assertThat(marks).isNotEmpty().allSatisfy((mark) -> assertThat(mark.getText()).isEqualToIgnoringCase("refund"));
		WebElement hit = this.browser.all("tr.hits li").get(0);
		assertThat(hit.findElement(By.cssSelector("time")).getText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d");
		assertThat(hit.findElement(By.cssSelector(".sender")).getText()).isNotBlank();
		// Relevance is offered once there are words to be relevant to.
		assertThat(this.browser.find(".order a").getText()).contains("relevance");
		this.browser.screenshot("search-highlights");
	}

	@Test
	@Order(3)
	void aStatusFilterShowsFacetCountsAndItsUrlReproducesThePage() {
		this.browser.open("/?view=all");
		this.browser.find("#filters-button").click();
		WebElement panel = this.browser.find("#filter-panel");
		assertThat(panel.isDisplayed()).isTrue();
		WebElement statusToggle = filterToggle("Status");
		statusToggle.click();
		WebElement failed = panel.findElement(By.cssSelector("input[name=status][value=failed]"));
		WebElement failedLabel = failed.findElement(By.xpath("./.."));
		// Facet counts of the whole result, next to each value.
		assertThat(failedLabel.findElement(By.cssSelector(".facet")).getText()).isEqualTo("2");
		assertThat(panel.findElement(By.cssSelector("input[name=status][value=completed]"))
			.findElement(By.xpath("./.."))
			.findElement(By.cssSelector(".facet"))
			.getText()).isEqualTo("4");
		this.browser.screenshot("filter-panel");
		failed.click();
		this.browser.waitUntil((driver) -> this.browser.path().contains("status=failed"));
		assertThat(total()).isEqualTo(2);
		String url = this.browser.path();
		assertThat(url).startsWith("/?").contains("view=all").contains("status=failed").doesNotContain("q=");

		// The URL is the whole state: opening it again shows the same page.
		this.browser.driver().manage().deleteAllCookies();
		signedIn();
		this.browser.open(url);
		assertThat(total()).isEqualTo(2);
		assertThat(this.browser.all("tbody.row td.col-status").stream().map(WebElement::getText))
			.containsOnly("Failed");
		assertThat(this.browser.find("input[name=status][value=failed]").isSelected()).isTrue();
		assertThat(this.browser.find("#filters-button").getText()).contains("(1)");
	}

	@Test
	@Order(4)
	void badFilterInputShowsTheProblemDetail() {
		this.browser.open("/?view=all&status=bogus");
		WebElement problem = this.browser.find(".problem");
		assertThat(problem.getText()).contains("Invalid input").contains("(400)").contains("parameter status");
		assertThat(this.browser.find("#filters")).isNotNull();
		this.browser.open("/?view=all&q=%22unclosed");
		assertThat(this.browser.find(".problem").getText()).contains("parameter q");
		this.browser.screenshot("bad-filter");
	}

	@Test
	@Order(5)
	void pagesWalkEveryRowOnceAndHeadersSort() {
		this.browser.open("/?view=all&size=5");
		Set<String> seen = new LinkedHashSet<>();
		int pages = 0;
		while (true) {
			pages++;
			ids().forEach((id) -> assertThat(seen.add(id)).as("row %s seen once", id).isTrue());
			List<WebElement> next = this.browser.all("#next-page");
			if (next.isEmpty()) {
				break;
			}
			next.get(0).click();
			int before = pages;
			this.browser.waitUntil((driver) -> this.browser.path().contains("cursor="));
			assertThat(before).isLessThan(10);
		}
		assertThat(seen).hasSize(PagesFixture.TOTAL);
		assertThat(pages).isEqualTo(3);

		this.browser.open("/?view=all");
		this.browser.find("th.col-duration a.sort").click();
		this.browser.waitUntil((driver) -> this.browser.path().contains("sort=duration%3Adesc"));
		assertThat(this.browser.find("th.col-duration").getAttribute("aria-sort")).isEqualTo("descending");
		assertThat(ids().get(0)).isEqualTo("p04");
		this.browser.find("th.col-duration a.sort").click();
		this.browser.waitUntil((driver) -> this.browser.path().contains("sort=duration%3Aasc"));
		assertThat(this.browser.find("th.col-duration").getAttribute("aria-sort")).isEqualTo("ascending");
	}

	@Test
	@Order(6)
	void columnsCanBeChosen() {
		this.browser.open("/?view=all");
		this.browser.find(".columns-menu summary").click();
		for (String column : List.of("functions", "parameters", "tags", "lastMessage")) {
			this.browser.find(".column-choice[value=" + column + "]").click();
		}
		this.browser.find("#columns-apply").click();
		this.browser.waitUntil((driver) -> this.browser.path().contains("columns="));
		assertThat(this.browser.all("thead th").stream().map(WebElement::getText)).containsExactly("ID", "Platform",
				"Contact", "Status", "Flow", "Duration", "Date", "Flagged");
	}

	@Test
	@Order(7)
	void aConversationShowsItsTranscriptFunctionCallsAndFacts() {
		this.browser.open("/?view=all&q=invoice");
		this.browser.find("a.conversation-link").click();
		this.browser.waitUntil((driver) -> this.browser.path().equals("/conversations/p01"));
		List<WebElement> messages = this.browser.all("ol.transcript > li.message");
		assertThat(messages).hasSize(6);
		assertThat(messages.get(0).getAttribute("class")).contains("sender-user");
		assertThat(messages.get(0).getText()).contains("I want a refund for my last invoice")
			.contains("2025-01-10 10:00:30");
		assertThat(messages.stream().map((message) -> message.getAttribute("class")))
			.anyMatch((kind) -> kind.contains("sender-agent"))
			.anyMatch((kind) -> kind.contains("sender-function"))
			.anyMatch((kind) -> kind.contains("sender-system"))
			.anyMatch((kind) -> kind.contains("sender-coaching"))
			.anyMatch((kind) -> kind.contains("sender-human-agent"));
		assertThat(this.browser.find(".function-name").getText()).isEqualTo("issue_refund");
		assertThat(this.browser.find(".function-input").getText()).contains("\"amount\" : 42").contains("EUR");
		assertThat(this.browser.find(".function-output").getText()).contains("\"status\" : \"refunded\"");
		// The chart belongs to the function call's message, and shows.
		WebElement chart = messages.get(2).findElement(By.cssSelector(".artifact img"));
		assertThat(chart.getAttribute("alt")).isEqualTo("refunds-by-month.png");
		this.browser.waitUntil((driver) -> this.browser
			.<Boolean>script("return arguments[0].complete && arguments[0].naturalWidth > 0", chart));

		String facts = this.browser.find("aside.facts").getText();
		assertThat(facts).contains("Platform", "Voice", "Point of Contact", "+1 555 0100", "Contact ID", "c1", "Status",
				"Completed", "Call Reason: billing", "Sentiment", "gratitude", "Flow", "Billing", "Voice", "alloy",
				"Duration", "5m 0s", "Start", "2025-01-10 10:00:00 UTC", "End", "2025-01-10 10:05:00 UTC", "Reason",
				"Refund for a double charge", "Summary", "Ada was charged twice", "Analysis", "checked the invoice");
		assertThat(this.browser.find("#contact-link").getAttribute("href")).endsWith("/?contact=c1");
		// Gratitude is best high, confusion best low: a strong confusion is no success.
		assertThat(this.browser.all(".sentiment meter")).extracting((meter) -> meter.getAttribute("optimum"))
			.containsExactly("1", "0");
		this.browser.screenshot("conversation");

		this.browser.find("#contact-link").click();
		this.browser.waitUntil((driver) -> this.browser.path().equals("/?contact=c1"));
		assertThat(total()).isEqualTo(3);
	}

	@Test
	@Order(8)
	void theRecordingPlaysAndSeeks() {
		this.browser.open("/conversations/p01");
		WebElement audio = this.browser.find("audio#audio");
		double duration = this.browser.waitUntil((driver) -> {
			Number value = this.browser.script("return arguments[0].readyState >= 1 ? arguments[0].duration : null",
					audio);
			return (value != null && value.doubleValue() > 0) ? value.doubleValue() : null;
		});
		assertThat(duration).isBetween(25.0, 27.0);
		// Seeking needs HTTP Range: without it the browser cannot jump into the file.
		this.browser.script("arguments[0].currentTime = 20", audio);
		this.browser.waitUntil((driver) -> this.browser
			.<Boolean>script("return !arguments[0].seeking && arguments[0].currentTime > 19", audio));
		Number seekableEnd = this.browser.script("return arguments[0].seekable.end(0)", audio);
		assertThat(seekableEnd.doubleValue()).isGreaterThan(20);
		assertThat(this.browser.find("#download-audio").getAttribute("href"))
			.endsWith("/api/v1/conversations/p01/audio?download=true");
		assertThat(this.browser.find("#export-transcript").getAttribute("href"))
			.endsWith("/api/v1/conversations/p01/transcript?format=txt");
	}

	@Test
	@Order(9)
	void aSavedViewIsInTheSelectorAndCanBecomeTheDefault() {
		this.browser.open("/?view=all&platform=voice");
		assertThat(total()).isEqualTo(3);
		this.browser.find(".toolbar-actions details.menu summary").click();
		this.browser.find("#save-view-button").click();
		WebElement name = this.browser.waitUntil(ExpectedConditions.visibilityOfElementLocated(By.id("view-name")));
		name.sendKeys("Voice calls");
		this.browser.find("input[name=scope][value=org]").click();
		this.browser.screenshot("save-view");
		this.browser.find("#save-view-submit").click();
		this.browser.waitUntil((driver) -> this.browser.path().matches("/\\?view=[a-z0-9]{12}"));
		String viewId = this.browser.path().substring("/?view=".length());
		Select views = new Select(this.browser.find("#view-select"));
		assertThat(views.getFirstSelectedOption().getText()).isEqualTo("Voice calls");
		assertThat(total()).isEqualTo(3);

		this.browser.find(".toolbar-actions details.menu summary").click();
		this.browser.find("#set-default-button").click();
		WebElement message = this.browser
			.waitUntil(ExpectedConditions.visibilityOfElementLocated(By.id("view-message")));
		assertThat(message.getText()).contains("Voice calls").contains("default");
		this.browser.open("/");
		this.browser.waitUntil((driver) -> this.browser.path().startsWith("/?view="));
		assertThat(this.browser.path()).isEqualTo("/?view=" + viewId);
		assertThat(new Select(this.browser.find("#view-select")).getFirstSelectedOption().getText())
			.isEqualTo("Voice calls (default)");

		this.http.put()
			.uri("/api/v1/views/default")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"viewId\": \"all\"}")
			.exchange()
			.expectStatus()
			.isOk();
	}

	@Test
	@Order(10)
	void anExportShowsItsSizeFirstThenItsProgressThenItsLink() {
		this.browser.open("/?view=all&status=completed");
		this.browser.find("#export-button").click();
		WebElement dialog = this.browser.find("#export-dialog");
		this.browser.waitUntil((driver) -> this.browser.find("#export-start").isEnabled());
		assertThat(this.browser.find("#export-status").getText()).contains("4 rows");
		this.browser.find("#export-start").click();
		new org.openqa.selenium.support.ui.WebDriverWait(this.browser.driver(), Duration.ofSeconds(60))
			.until((driver) -> !dialog.findElements(By.cssSelector(".problem, .download-link")).isEmpty());
		assertThat(dialog.findElements(By.cssSelector(".problem"))).isEmpty();
		WebElement link = dialog.findElement(By.cssSelector(".download-link"));
		assertThat(link.getAttribute("href")).contains("/api/v1/downloads/");
		assertThat(dialog.getText()).contains("4 rows");
		this.browser.screenshot("export");
	}

	@Test
	@Order(11)
	void theAgentsPageListsAgentsWithTheirYears() {
		this.browser.open("/agents");
		List<WebElement> agents = this.browser.all("tr.agent");
		assertThat(agents.stream().map((row) -> row.getAttribute("data-agent-id"))).containsExactly("ava", "max");
		WebElement ava = agents.get(0);
		assertThat(ava.getText()).contains("Ava").contains("4");
		assertThat(new Select(ava.findElement(By.cssSelector("select"))).getOptions().stream().map(WebElement::getText))
			.containsExactly("2025", "2024");
		ava.findElement(By.cssSelector("button")).click();
		WebElement status = ava.findElement(By.cssSelector(".job-status"));
		new org.openqa.selenium.support.ui.WebDriverWait(this.browser.driver(), Duration.ofSeconds(60))
			.until((driver) -> !status.findElements(By.cssSelector(".problem, .download-link")).isEmpty());
		assertThat(status.findElements(By.cssSelector(".problem"))).isEmpty();
		assertThat(status.findElement(By.cssSelector(".download-link")).getAttribute("href"))
			.contains("/api/v1/downloads/");
		// The notification says the same, pushed to the open page.
		this.browser.find("#notifications-button").click();
		assertThat(this.browser.find("#notifications-panel").isDisplayed()).isTrue();
		this.browser.waitUntil((driver) -> this.browser.all("#notifications-list li")
			.stream()
			.anyMatch((item) -> item.getText().contains("ava-2025-conversation-history.zip")));
		this.browser.screenshot("agents");
	}

	@Test
	@Order(12)
	void theKeyboardReachesTheSearchBoxAndEnterSubmits() {
		this.browser.open("/?view=all");
		this.browser.script("document.activeElement.blur()");
		List<String> path = new ArrayList<>();
		for (int i = 0; i < 30 && !"q".equals(activeId()); i++) {
			this.browser.driver().switchTo().activeElement().sendKeys(Keys.TAB);
			path.add(activeId());
		}
		assertThat(activeId()).as("tab order %s", path).isEqualTo("q");
		// The first stop is the skip link.
		assertThat(path.get(0)).isEmpty();
		this.browser.driver().switchTo().activeElement().sendKeys("password", Keys.ENTER);
		this.browser.waitUntil((driver) -> this.browser.path().contains("q=password"));
		assertThat(total()).isEqualTo(1);
		assertThat(ids()).containsExactly("p03");
		this.browser.screenshot("keyboard-search");
	}

	@Test
	@Order(12)
	void aClickAnywhereOnARowOpensItsConversation() {
		this.browser.open("/?view=all&q=invoice");
		this.browser.find("tbody.row .col-status").click();
		this.browser.waitUntil((driver) -> this.browser.path().equals("/conversations/p01"));
	}

	@Test
	@Order(13)
	void deletingAsksFirstAndGoesBackToTheConversations() {
		this.browser.open("/conversations/p12");
		this.browser.find(".actions-menu summary").click();
		this.browser.find("#delete-button").click();
		WebElement dialog = this.browser
			.waitUntil(ExpectedConditions.visibilityOfElementLocated(By.id("delete-dialog")));
		assertThat(dialog.getText()).contains("p12");
		this.browser.screenshot("delete");
		this.browser.find("#delete-cancel").click();
		assertThat(dialog.isDisplayed()).isFalse();
		this.http.get().uri("/api/v1/conversations/p12").exchange().expectStatus().isOk();

		this.browser.find(".actions-menu summary").click();
		this.browser.find("#delete-button").click();
		this.browser.find("#delete-confirm").click();
		this.browser.waitUntil((driver) -> this.browser.path().startsWith("/?view="));
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> this.http.get()
				.uri("/api/v1/conversations/p12")
				.exchange()
				.expectStatus()
				.isEqualTo(HttpStatus.NOT_FOUND));
	}

	private void signIn(String key) {
		WebElement field = this.browser.find("#key");
		field.clear();
		field.sendKeys(key);
		this.browser.find("form button[type=submit]").click();
	}

	private WebElement filterToggle(String name) {
		return this.browser.all("#filter-panel fieldset.filter legend label")
			.stream()
			.filter((label) -> label.getText().trim().equals(name))
			.findFirst()
			.orElseThrow()
			.findElement(By.cssSelector("input.activate"));
	}

	private long total() {
		return Long.parseLong(this.browser.find("#total strong").getText().replace(",", ""));
	}

	private List<String> ids() {
		return this.browser.all("tbody.row td.col-id a").stream().map(WebElement::getText).toList();
	}

	private String activeId() {
		return String.valueOf(this.browser.<Object>script("return document.activeElement.id"));
	}

}
