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
@ArchiveIntegrationTest(properties = { "archive.elasticsearch.index-prefix=pages-test",
		"archive.pages.flow-link=https://studio.example.com/flows/{flowId}?org={org}" })
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
		settled();
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
		openPanel();
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
		settled();
		assertThat(total()).isEqualTo(2);
		// A facet counts as if its own values were not ticked: the other statuses keep
		// their counts; other facets count the failed ones only.
		assertThat(facet("status", "completed")).isEqualTo("4");
		assertThat(facet("status", "failed")).isEqualTo("2");
		assertThat(facet("platform", "voice")).isEqualTo("1");
		assertThat(facet("platform", "web")).isEqualTo("1");
		assertThat(facet("platform", "sms")).isEqualTo("0");
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
	@Order(3)
	void everyFilterAppliesAsItChangesAndBackAndForwardFollow() {
		this.browser.open("/?view=all");
		openPanel();
		// Switching Flagged on applies its preselected value at once.
		filterToggle("Flagged").click();
		this.browser.waitUntil((driver) -> this.browser.path().contains("flagged=true"));
		settled();
		assertThat(total()).isEqualTo(1);
		// Typing applies after a pause, without Enter.
		filterToggle("Contact").click();
		this.browser.find("#f-contact").sendKeys("c1");
		this.browser.waitUntil((driver) -> this.browser.path().contains("contact=c1"));
		settled();
		assertThat(total()).isEqualTo(1);
		assertThat(this.browser.find("#f-contact").getAttribute("value")).isEqualTo("c1");
		filterToggle("Flagged").click();
		this.browser.waitUntil((driver) -> !this.browser.path().contains("flagged"));
		settled();
		assertThat(total()).isEqualTo(3);
		this.browser.screenshot("filters-live");

		// Back and Forward walk the states, the panel with them.
		this.browser.driver().navigate().back();
		this.browser.waitUntil((driver) -> this.browser.path().contains("flagged=true"));
		settled();
		assertThat(total()).isEqualTo(1);
		assertThat(this.browser.find("input[name=flagged][value=true]").isSelected()).isTrue();
		this.browser.driver().navigate().back();
		this.browser.driver().navigate().back();
		this.browser.waitUntil((driver) -> this.browser.path().equals("/?view=all"));
		settled();
		assertThat(total()).isEqualTo(PagesFixture.TOTAL);
		this.browser.driver().navigate().forward();
		this.browser.waitUntil((driver) -> this.browser.path().contains("flagged=true"));
		settled();
		assertThat(total()).isEqualTo(1);
		// Several values of a one-field filter each get a field: another change keeps
		// them.
		this.browser.open("/?view=all&id=p01&id=p02");
		assertThat(total()).isEqualTo(2);
		openPanel();
		filterToggle("Flagged").click();
		this.browser.waitUntil((driver) -> this.browser.path().contains("flagged=true"));
		settled();
		assertThat(this.browser.path()).contains("id=p01").contains("id=p02");
		assertThat(total()).isEqualTo(1);
		// A value added to a list applies with Enter, not half typed, and becomes a
		// choice.
		this.browser.open("/?view=all");
		openPanel();
		filterToggle("Tags").click();
		WebElement tag = this.browser.find("#f-tag");
		tag.sendKeys("Language");
		this.browser.script("return new Promise((resolve) => setTimeout(resolve, 900))");
		assertThat(this.browser.path()).isEqualTo("/?view=all");
		tag.sendKeys(":en", Keys.ENTER);
		this.browser.waitUntil((driver) -> this.browser.path().contains("tag=Language%3Aen"));
		settled();
		assertThat(total()).isEqualTo(1);
		assertThat(this.browser.find("#f-tag").getAttribute("value")).isEmpty();
		assertThat(this.browser.find("input[name=tag][value='Language:en']").isSelected()).isTrue();

		// Who flagged it, and the emotions its sentiment names (a facet), scored at least
		// so high: a tick applies, another score is typed.
		this.browser.open("/?view=all");
		openPanel();
		filterToggle("Flagged by").click();
		this.browser.find("input[name=flagSource][value=review_agent]").click();
		this.browser.waitUntil((driver) -> this.browser.path().contains("flagSource=review_agent"));
		settled();
		assertThat(total()).isEqualTo(1);
		filterToggle("Emotions").click();
		assertThat(facet("emotions", "gratitude")).isEqualTo("1");
		assertThat(facet("emotions", "confusion")).isEqualTo("1");
		this.browser.find("input[name=emotion][value='confusion:0.5']").click();
		this.browser.waitUntil((driver) -> this.browser.path().contains("emotion=confusion%3A0.5"));
		settled();
		assertThat(total()).isZero();
		this.browser.find("input[name=emotion][value='confusion:0.5']").click();
		this.browser.waitUntil((driver) -> !this.browser.path().contains("emotion="));
		settled();
		this.browser.find("#f-emotion").sendKeys("gratitude:0.75", Keys.ENTER);
		this.browser.waitUntil((driver) -> this.browser.path().contains("emotion=gratitude%3A0.75"));
		settled();
		assertThat(total()).isEqualTo(1);
		assertThat(this.browser.find("input[name=emotion][value='gratitude:0.75']").isSelected()).isTrue();

		// A review signal's range: the least number of turns, typed.
		this.browser.open("/?view=all");
		openPanel();
		filterToggle("Turns").click();
		this.browser.find("input[name=turnsMin]").sendKeys("2");
		this.browser.waitUntil((driver) -> this.browser.path().contains("turnsMin=2"));
		settled();
		assertThat(total()).isEqualTo(2);
	}

	@Test
	@Order(4)
	void badFilterInputShowsTheProblemDetail() {
		this.browser.open("/?view=all&status=bogus");
		WebElement problem = this.browser.find(".problem");
		// In plain words, with what to do, and not in the API's monospace.
		assertThat(problem.getText()).contains("The Status filter cannot be used")
			.contains("bogus")
			.contains("switch the Status filter off")
			.doesNotContain("parameter status")
			.doesNotContain("(400)");
		assertThat(this.browser.find(".problem-detail").getCssValue("font-family")).doesNotContainIgnoringCase("mono");
		assertThat(this.browser.find("#filters")).isNotNull();
		this.browser.open("/?view=all&q=%22unclosed");
		assertThat(this.browser.find(".problem").getText()).contains("The Search filter cannot be used");
		this.browser.open("/?view=all&stauts=failed");
		assertThat(this.browser.find(".problem").getText()).contains("does not know").contains("stauts");
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
			int first = (pages - 1) * 5 + 1;
			assertThat(position())
				.isEqualTo(first + "–" + Math.min(first + 4, PagesFixture.TOTAL) + " of " + PagesFixture.TOTAL);
			// Every page counts its facets, not only the first.
			assertThat(facet("status", "completed")).isEqualTo("4");
			List<WebElement> next = this.browser.all("#next-page");
			if (next.isEmpty()) {
				break;
			}
			String before = this.browser.path();
			next.get(0).click();
			this.browser.waitUntil((driver) -> !this.browser.path().equals(before));
			settled();
			assertThat(pages).isLessThan(10);
		}
		assertThat(seen).hasSize(PagesFixture.TOTAL);
		assertThat(pages).isEqualTo(3);
		// And back: the previous page is the same rows, with its position.
		List<String> order = new ArrayList<>(seen);
		this.browser.find("#previous-page").click();
		this.browser.waitUntil((driver) -> "6–10 of 12".equals(position()));
		settled();
		assertThat(ids()).containsExactlyElementsOf(order.subList(5, 10));
		this.browser.find("#previous-page").click();
		this.browser.waitUntil((driver) -> "1–5 of 12".equals(position()));
		settled();
		assertThat(ids()).containsExactlyElementsOf(order.subList(0, 5));
		assertThat(this.browser.all("#previous-page")).isEmpty();

		this.browser.open("/?view=all");
		this.browser.find("th.col-duration a.sort").click();
		this.browser.waitUntil((driver) -> this.browser.path().contains("sort=duration%3Adesc"));
		settled();
		assertThat(this.browser.find("th.col-duration").getAttribute("aria-sort")).isEqualTo("descending");
		assertThat(ids().get(0)).isEqualTo("p04");
		this.browser.find("th.col-duration a.sort").click();
		this.browser.waitUntil((driver) -> this.browser.path().contains("sort=duration%3Aasc"));
		settled();
		assertThat(this.browser.find("th.col-duration").getAttribute("aria-sort")).isEqualTo("ascending");
	}

	@Test
	@Order(6)
	void columnsCanBeChosen() {
		this.browser.open("/?view=all");
		this.browser.find(".columns-menu summary").click();
		// Four of the default columns off, a review signal's on.
		for (String column : List.of("functions", "parameters", "tags", "lastMessage", "turns")) {
			this.browser.find(".column-choice[value=" + column + "]").click();
		}
		this.browser.find("#columns-apply").click();
		this.browser.waitUntil((driver) -> this.browser.path().contains("columns="));
		settled();
		assertThat(this.browser.all("thead th").stream().map(WebElement::getText)).containsExactly("ID", "Platform",
				"Contact", "Status", "Flow", "Duration", "Date", "Flagged", "Turns");
		this.browser.open("/?view=all&id=p01&columns=id,turns,failedFunctions");
		assertThat(this.browser.find("td.col-turns").getText()).isEqualTo("6");
	}

	@Test
	@Order(7)
	void aConversationShowsItsTranscriptFunctionCallsAndFacts() {
		this.browser.open("/?view=all&q=invoice");
		this.browser.find("a.conversation-link").click();
		// Opened on where the words were said.
		this.browser.waitUntil((driver) -> this.browser.path().equals("/conversations/p01?q=invoice"));
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

		// Flagged by the review agent; a person flags it too, then removes every flag.
		assertThat(this.browser.find("#flags").getText()).contains("refund promised", "Review agent");
		this.browser.find("#flag-reason").sendKeys("Promised a refund twice");
		new Select(this.browser.find("#flag-severity")).selectByValue("high");
		this.browser.find("#flag-form button[type=submit]").click();
		flagStatus("Flagged for review.");
		assertThat(this.browser.all("#flags li.flag")).hasSize(2);
		assertThat(this.browser.all("#flags li.flag").get(1).getText()).contains("High", "Promised a refund twice",
				"User · by ", " UTC");
		assertThat(activeId()).isEqualTo("flags-title");
		this.browser.find("#unflag-reason").sendKeys("Checked: handled well");
		this.browser.find("#unflag-form button[type=submit]").click();
		flagStatus("2 flags removed.");
		assertThat(this.browser.find("#flag-summary").getText()).isEqualTo("Not flagged.");
		assertThat(this.browser.all("#unflag-form")).isEmpty();
		this.browser.find(".flag-history summary").click();
		assertThat(this.browser.all(".flag-event")).extracting(WebElement::getText)
			.satisfiesExactly((first) -> assertThat(first).startsWith("Flagged “Promised a refund twice” User · by "),
					(second) -> assertThat(second).startsWith("Unflagged “Checked: handled well” Review agent · by "),
					(third) -> assertThat(third).startsWith("Unflagged “Checked: handled well” User · by "));
		this.browser.screenshot("conversation-flags");

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
	@Order(8)
	void aContentSearchOpensWhereTheWordsWereSaidAndAMatchPlaysFromThere() {
		this.browser.open("/?view=all&q=invoice");
		settled();
		String href = this.browser.find("tr.main a").getAttribute("href");
		assertThat(href).matches(".*/conversations/p\\d\\d\\?q=invoice");
		this.browser.open("/conversations/p01?q=" + "refund%20%22last%20invoice%22");
		List<WebElement> matches = this.browser.all(".matches li");
		assertThat(matches).hasSize(3);
		assertThat(matches.get(0).findElement(By.cssSelector(".fragment")).getAttribute("innerHTML"))
			.isEqualTo("I want a <mark>refund</mark> for my <mark>last invoice</mark>");
		WebElement seek = matches.get(0).findElement(By.cssSelector("button.seek"));
		assertThat(seek.getText()).isEqualTo("▶ 0:30");
		WebElement audio = this.browser.find("audio#audio");
		double duration = this.browser.waitUntil((driver) -> {
			Number value = this.browser.script("return arguments[0].readyState >= 1 ? arguments[0].duration : null",
					audio);
			return (value != null && value.doubleValue() > 0) ? value.doubleValue() : null;
		});
		seek.click();
		// The recording (26 s) is shorter than the call: the player goes as far as it
		// can.
		double expected = Math.min(30, duration);
		this.browser.waitUntil((driver) -> this.browser.<Boolean>script(
				"return !arguments[0].seeking && Math.abs(arguments[0].currentTime - arguments[1]) < 1", audio,
				expected));
		assertThat(this.browser.all(".transcript button.seek")).isNotEmpty();
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
		// The loaded view shows its filter in the panel, and a change says so.
		assertThat(this.browser.find("input[name=platform][value=voice]").isSelected()).isTrue();
		assertThat(this.browser.find("#filters-button").getText()).contains("(1)");
		assertThat(this.browser.find("#view-state").getText()).isEmpty();
		openPanel();
		this.browser.find("input[name=platform][value=sms]").click();
		this.browser.waitUntil((driver) -> this.browser.path().contains("platform=sms"));
		settled();
		assertThat(total()).isEqualTo(5);
		assertThat(this.browser.find("#view-state").getText()).contains("Modified").contains("Save");
		this.browser.screenshot("view-modified");
		this.browser.find("#save-view-changes").click();
		this.browser.waitUntil((driver) -> this.browser.path().equals("/?view=" + viewId));
		assertThat(total()).isEqualTo(5);
		assertThat(this.browser.find("input[name=platform][value=sms]").isSelected()).isTrue();
		assertThat(this.browser.find("#view-state").getText()).isEmpty();
		// Every filter off on a view: everything, with the view's columns.
		openPanel();
		filterToggle("Platform").click();
		this.browser.waitUntil((driver) -> this.browser.path().contains("unfiltered=true"));
		settled();
		assertThat(total()).isEqualTo(PagesFixture.TOTAL);
		assertThat(this.browser.find("#view-state").getText()).contains("Modified");
		this.browser.open("/?view=" + viewId);

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
		assertThat(total()).isEqualTo(5);

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
	void anExportTakesOneClickAndShowsItsSizeFirst() {
		this.browser.open("/?view=all&status=completed");
		WebElement button = this.browser.find("#export-button");
		this.browser.waitUntil((driver) -> button.getText().contains("about"));
		assertThat(button.getText()).contains("4 rows").containsPattern("about \\d+(\\.\\d)? (bytes|KB)");
		button.click();
		WebElement status = this.browser.find("#export-status");
		this.browser.waitUntil(Duration.ofSeconds(60),
				(driver) -> !status.findElements(By.cssSelector(".problem, .download-link")).isEmpty());
		assertThat(status.findElements(By.cssSelector(".problem"))).isEmpty();
		WebElement link = status.findElement(By.cssSelector(".download-link"));
		assertThat(link.getAttribute("href")).contains("/api/v1/downloads/");
		assertThat(status.getText()).contains("4 rows");
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
		this.browser.waitUntil(Duration.ofSeconds(60),
				(driver) -> !status.findElements(By.cssSelector(".problem, .download-link")).isEmpty());
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
		settled();
		assertThat(total()).isEqualTo(1);
		assertThat(ids()).containsExactly("p03");
		this.browser.screenshot("keyboard-search");
	}

	@Test
	@Order(12)
	void aClickAnywhereOnARowOpensItsConversation() {
		this.browser.open("/?view=all&q=invoice");
		this.browser.find("tbody.row .col-status").click();
		this.browser.waitUntil((driver) -> this.browser.path().equals("/conversations/p01?q=invoice"));
	}

	@Test
	@Order(14)
	void theKeyboardWalksTheRowsAndEnterOpensOne() {
		this.browser.open("/?view=all");
		List<WebElement> rows = this.browser.all("#conversations tr.main");
		assertThat(rows.get(0).getAttribute("tabindex")).isEqualTo("0");
		assertThat(rows.get(1).getAttribute("tabindex")).isEqualTo("-1");
		this.browser.script("arguments[0].focus()", rows.get(0));
		this.browser.driver().switchTo().activeElement().sendKeys(Keys.ARROW_DOWN);
		this.browser.driver().switchTo().activeElement().sendKeys(Keys.ARROW_DOWN);
		String third = ids().get(2);
		assertThat(this.browser.<String>script("return document.activeElement.dataset.href"))
			.isEqualTo("/conversations/" + third);
		this.browser.driver().switchTo().activeElement().sendKeys(Keys.ENTER);
		this.browser.waitUntil((driver) -> this.browser.path().equals("/conversations/" + third));

		// A menu opens with the arrow keys and closes with Escape, back on its button.
		this.browser.open("/?view=all");
		WebElement summary = this.browser.find(".columns-menu summary");
		this.browser.script("arguments[0].focus()", summary);
		summary.sendKeys(Keys.ARROW_DOWN);
		assertThat(this.browser.find(".columns-menu").getAttribute("open")).isNotNull();
		assertThat(this.browser.<String>script("return document.activeElement.className")).isEqualTo("column-choice");
		this.browser.driver().switchTo().activeElement().sendKeys(Keys.ESCAPE);
		assertThat(this.browser.find(".columns-menu").getAttribute("open")).isNull();
		assertThat(this.browser.<Boolean>script("return document.activeElement === arguments[0]", summary)).isTrue();
	}

	@Test
	@Order(15)
	void theTableFitsTheWindowWithCompactCellsAndItsDensityIsRemembered() {
		this.browser.script("sessionStorage.clear()");
		for (int width : new int[] { 1280, 1920, 1440 }) {
			this.browser.driver().manage().window().setSize(new org.openqa.selenium.Dimension(width, 900));
			this.browser.open("/?view=all");
			// Every column shows without scrolling sideways, in the whole window's width.
			Number overflow = this.browser
				.script("const w = document.querySelector('.table-wrap'); return w.scrollWidth - w.clientWidth");
			assertThat(overflow.intValue()).as("sideways overflow at %d px", width).isLessThanOrEqualTo(0);
			Number tableWidth = this.browser.script("return document.querySelector('.table-wrap').clientWidth");
			assertThat(tableWidth.intValue()).as("table width at %d px", width).isGreaterThan(width - 120);
		}
		// Rows are one line: many on a screen.
		Number rowHeight = this.browser
			.script("return document.querySelector('#conversations tr.main').getBoundingClientRect().height");
		assertThat(rowHeight.doubleValue()).isLessThan(44);
		assertThat(this.browser.find("thead th").getCssValue("position")).isEqualTo("sticky");
		assertThat(this.browser.find("tbody.row td.col-id").getCssValue("position")).isEqualTo("sticky");
		this.browser.screenshot("conversations-1440");

		// p01 has two tags: one shows, "+1" gives the whole list on hover or focus.
		WebElement more = this.browser.find("#conversations tbody.row td.col-tags button.more");
		assertThat(more.getText()).startsWith("+1");
		new org.openqa.selenium.interactions.Actions(this.browser.driver()).moveToElement(more).perform();
		WebElement popover = this.browser.find("#chip-popover");
		this.browser.waitUntil((driver) -> popover.isDisplayed());
		assertThat(popover.getText()).contains("Call Reason: billing").contains("Language: en");
		this.browser.screenshot("chips-popover");
		// A long value is cut with an ellipsis and whole on hover.
		WebElement contact = this.browser.find("tbody.row td.col-contact .truncate");
		assertThat(contact.getCssValue("text-overflow")).isEqualTo("ellipsis");
		assertThat(contact.getAttribute("title")).isEqualTo(contact.getAttribute("textContent").trim());

		this.browser.find(".density button[data-density=compact]").click();
		Number compact = this.browser
			.script("return document.querySelector('#conversations tr.main').getBoundingClientRect().height");
		assertThat(compact.doubleValue()).isLessThan(rowHeight.doubleValue());
		this.browser.open("/?view=all&status=completed");
		assertThat(this.browser.find(".density button[data-density=compact]").getAttribute("aria-pressed"))
			.isEqualTo("true");
		this.browser.screenshot("conversations-compact");
		this.browser.find(".density button[data-density=comfortable]").click();
	}

	@Test
	@Order(16)
	void snippetsFollowTheTranscriptAndTheFlowLinksToTheEditor() {
		this.browser.open("/?view=all&q=refund&sort=relevance");
		WebElement p01 = this.browser.all("tbody.row")
			.stream()
			.filter((row) -> row.getText().contains("p01"))
			.findFirst()
			.orElseThrow();
		List<String> times = p01.findElements(By.cssSelector("tr.hits li time"))
			.stream()
			.map((time) -> time.getAttribute("datetime"))
			.toList();
		assertThat(times).hasSizeGreaterThan(1).isSorted();
		WebElement flowLink = p01.findElement(By.cssSelector("td.col-flow a.view-flow"));
		assertThat(flowLink.getAttribute("href")).isEqualTo("https://studio.example.com/flows/billing?org=default");
		this.browser.open("/conversations/p01");
		assertThat(this.browser.find("#view-flow").getAttribute("href"))
			.isEqualTo("https://studio.example.com/flows/billing?org=default");
	}

	@Test
	@Order(17)
	void aViewIsModifiedOnlyByARealChange() {
		// Saved through the API, its statuses in an order the panel does not use.
		String body = this.http.post()
			.uri("/api/v1/views")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"name\": \"Failed or completed\", \"scope\": \"org\", \"filter\": {\"statuses\": [\"failed\", \"completed\"]}}")
			.exchange()
			.expectStatus()
			.isCreated()
			.returnResult(String.class)
			.getResponseBody();
		String viewId = body.replaceAll(".*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
		this.browser.open("/?view=" + viewId);
		assertThat(total()).isEqualTo(6);
		openPanel();
		filterToggle("Platform").click();
		this.browser.waitUntil((driver) -> this.browser.path().contains("status="));
		settled();
		assertThat(this.browser.find("#view-state").getText()).isEmpty();
		this.browser.find("input[name=platform][value=voice]").click();
		this.browser.waitUntil((driver) -> this.browser.path().contains("platform=voice"));
		settled();
		assertThat(total()).isEqualTo(3);
		assertThat(this.browser.find("#view-state").getText()).contains("Modified");
		// A view that is gone says so, and the filters go on working without it.
		this.http.delete().uri("/api/v1/views/" + viewId).exchange().expectStatus().isNoContent();
		this.browser.open("/?view=" + viewId + "&status=failed");
		assertThat(this.browser.find(".problem").getText()).contains("Not found");
		openPanel();
		this.browser.find("input[name=status][value=completed]").click();
		this.browser.waitUntil((driver) -> this.browser.path().contains("status=completed"));
		settled();
		assertThat(this.browser.path()).doesNotContain("view=");
		assertThat(total()).isEqualTo(6);
	}

	@Test
	@Order(20)
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

	/** Waits for the Flags section to say what was done. */
	private void flagStatus(String done) {
		this.browser.waitUntil((driver) -> this.browser
			.<Boolean>script("return document.getElementById('flag-status')?.textContent === arguments[0]", done));
	}

	/** Waits for a change of the page's state to be shown. */
	private void settled() {
		this.browser.waitUntil((driver) -> this.browser.<Boolean>script(
				"return document.readyState === 'complete' && !document.getElementById('main').hasAttribute('aria-busy')"));
	}

	/** Where the page is, read in one step (the pager is swapped as pages load). */
	private String position() {
		return this.browser.script(
				"const p = document.getElementById('position'); return p ? p.textContent.replace(/\\s+/g, ' ').trim() : null");
	}

	private void openPanel() {
		if (!this.browser.find("#filter-panel").isDisplayed()) {
			this.browser.find("#filters-button").click();
		}
	}

	/** A facet's count as the panel shows it (also when its filter is switched off). */
	private String facet(String facet, String value) {
		return this.browser.find("[data-count='" + facet + ":" + value + "']").getAttribute("textContent").trim();
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
