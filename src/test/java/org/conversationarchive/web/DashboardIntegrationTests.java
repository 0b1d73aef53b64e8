package org.conversationarchive.web;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

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
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real browser against the real service, engine and analytics API:
 * every chart drawn in both themes, the range presets, a click through to the table, a
 * view shown as a table and as a dashboard, the CSV links and bad addresses. The pages'
 * twelve conversations (2024-12-31 to 2025-05-02) and three of the last days. Screenshots
 * at 1440 px go to {@code target/screenshots}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ArchiveIntegrationTest(properties = "archive.elasticsearch.index-prefix=dashboard-test")
class DashboardIntegrationTests {

	static final int TOTAL = PagesFixture.TOTAL + 3;

	/** Every chart of the page, by its data-chart name. */
	static final List<String> CHARTS = List.of("volume", "outcomes", "duration", "turns", "flagSources", "flagReasons",
			"sentiment", "sentimentTrend", "functions", "parameters", "contacts", "repeatContacts");

	static final List<String> FIGURES = List.of("volume", "duration", "turns", "outcomes", "flags", "functions", "tags",
			"parameters", "contacts", "repeatContacts", "sentiment");

	@Autowired
	RestTestClient http;

	@LocalServerPort
	int port;

	Browser browser;

	@BeforeAll
	void fixture() {
		PagesFixture.load(this.http);
		Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		String recent = String.join("\n", recent("r1", "voice", "completed", now.minus(1, ChronoUnit.DAYS)),
				recent("r2", "web", "failed", now.minus(2, ChronoUnit.DAYS)),
				recent("r3", "sms", "completed", now.minus(3, ChronoUnit.DAYS))) + "\n";
		this.http.post()
			.uri("/api/v1/conversations/_bulk?refresh=true")
			.contentType(MediaType.parseMediaType("application/x-ndjson"))
			.body(recent)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.errors")
			.isEqualTo(false);
		this.browser = Browser.start(this.port);
	}

	private static String recent(String id, String platform, String status, Instant startedAt) {
		return "{\"id\": \"" + id + "\", \"platform\": \"" + platform + "\", \"status\": \"" + status
				+ "\", \"environment\": \"production\", \"direction\": \"inbound\", \"startedAt\": \"" + startedAt
				+ "\", \"endedAt\": \"" + startedAt.plusSeconds(90) + "\", \"contact\": {\"id\": \"c1\"}, "
				+ "\"messages\": [{\"at\": \"" + startedAt.plusSeconds(10)
				+ "\", \"senderType\": \"user\", \"text\": \"hello\"}]}";
	}

	@AfterAll
	void closeBrowser() {
		if (this.browser != null) {
			this.browser.close();
		}
	}

	@BeforeEach
	void signedIn() {
		this.browser.colorScheme("light");
		this.browser.open("/login");
		if (this.browser.path().startsWith("/login")) {
			this.browser.find("#key").sendKeys(ArchiveIntegrationTest.ADMIN_KEY);
			this.browser.find("form button[type=submit]").click();
			this.browser.waitUntil((driver) -> !this.browser.path().startsWith("/login"));
		}
		this.browser.script("sessionStorage.clear()");
	}

	@Test
	@Order(1)
	void thePageLoadsAndDrawsEveryChartInBothThemes() {
		// The site's navigation leads to the default view's dashboard.
		this.browser.open("/?view=all");
		this.browser.find(".site-nav a[href='/dashboard']").click();
		this.browser.waitUntil((driver) -> this.browser.path().equals("/dashboard?view=all"));
		drawn();
		assertThat(this.browser.find(".site-nav a[aria-current=page]").getText()).isEqualTo("Dashboard");
		assertThat(total()).isEqualTo(TOTAL);
		for (String chart : CHARTS) {
			assertThat(this.browser
				.<Boolean>script("const c = document.querySelector(`[data-chart='${arguments[0]}']`);"
						+ " return !c.hidden && echarts.getInstanceByDom(c) != null && c.querySelector('svg') != null",
						chart))
				.as("the %s chart is drawn", chart)
				.isTrue();
		}
		// The charting library from its webjar, without its version in the page; kept by
		// the browser and asked again rather than fetched whole each time.
		assertThat(this.browser.find("script[src*=echarts]").getAttribute("src"))
			.endsWith("/webjars/echarts/dist/echarts.min.js");
		String caching = this.browser.asyncScript("""
				const done = arguments[arguments.length - 1];
				fetch('/webjars/echarts/dist/echarts.min.js', { method: 'HEAD' })
					.then((response) => done(response.status + ' ' + response.headers.get('Cache-Control')));""");
		assertThat(caching).startsWith("200 ").contains("no-cache").doesNotContain("no-store");
		// One chart per tag key: Call Reason and Language (p01).
		assertThat(this.browser.all("[data-charts=tags] .tag-key h4")).extracting(WebElement::getText)
			.containsExactlyInAnyOrder("Call Reason", "Language");
		assertThat(this.browser.all("[data-charts=tags] .chart svg")).hasSize(2);
		// The figures as tables: completed p01, p05, p09, p10, r1, r3.
		assertThat(dataRow("outcomes", "Completed")).startsWith("Completed | 6 | 40.0%");
		assertThat(dataRow("functions", "issue_refund")).isEqualTo("issue_refund | 1");
		assertThat(this.browser.find("#kpi-total .kpi-value").getText()).isEqualTo(String.valueOf(TOTAL));
		// The charts' text takes the theme's colours.
		String light = chartTextColour();
		assertThat(light).isEqualToIgnoringCase(cssColour("--muted"));
		screenshot("dashboard-light");

		this.browser.colorScheme("dark");
		this.browser.waitUntil((driver) -> !chartTextColour().equalsIgnoreCase(light));
		assertThat(chartTextColour()).isEqualToIgnoringCase(cssColour("--muted"));
		screenshot("dashboard-dark");
		this.browser.colorScheme("light");
	}

	@Test
	@Order(2)
	void aPresetChangesTheUrlAndTheFigures() {
		this.browser.open("/dashboard?view=all");
		drawn();
		assertThat(total()).isEqualTo(TOTAL);
		assertThat(this.browser.find("[data-preset=all]").getAttribute("aria-pressed")).isEqualTo("true");
		this.browser.find("[data-preset='7d']").click();
		this.browser.waitUntil((driver) -> this.browser.path().contains("from="));
		drawn();
		assertThat(this.browser.path()).contains("view=all").contains("to=");
		assertThat(total()).isEqualTo(3);
		assertThat(this.browser.find("[data-preset='7d']").getAttribute("aria-pressed")).isEqualTo("true");
		// Seven days, by day.
		assertThat(this.browser.all("[data-table-of=volume] tbody tr")).hasSize(7);
		assertThat(this.browser.find("#filters-button").getText()).contains("(1)");
		// A rule of the filters shown: the range is the rule editor's backtest window.
		assertThat(this.browser.<String>script("return document.getElementById('create-rule').getAttribute('href')"))
			.startsWith("/rules/new?from=");
		this.browser.screenshot("dashboard-7-days");

		// The URL is the whole state, and Back goes back to it.
		String url = this.browser.path();
		this.browser.find("[data-preset=all]").click();
		this.browser.waitUntil((driver) -> !this.browser.path().contains("from="));
		drawn();
		assertThat(total()).isEqualTo(TOTAL);
		this.browser.driver().navigate().back();
		this.browser.waitUntil((driver) -> this.browser.path().equals(url));
		drawn();
		assertThat(total()).isEqualTo(3);
		this.browser.open(url);
		drawn();
		assertThat(total()).isEqualTo(3);
		assertThat(this.browser.find("[data-preset='7d']").getAttribute("aria-pressed")).isEqualTo("true");

		// A custom range, by its days: January 2025 (p01, p02).
		this.browser.open("/dashboard?view=all");
		drawn();
		this.browser.find("[data-preset=custom]").click();
		WebElement from = this.browser.find("#custom-range input[data-instant=from]");
		this.browser.script(
				"arguments[0].value = '2025-01-01'; arguments[0].dispatchEvent(new Event('change', {bubbles: true}))",
				from);
		WebElement to = this.browser.find("#custom-range input[data-instant=to]");
		this.browser.script(
				"arguments[0].value = '2025-01-31'; arguments[0].dispatchEvent(new Event('change', {bubbles: true}))",
				to);
		this.browser.waitUntil((driver) -> this.browser.path().contains("to=2025-02-01T00%3A00%3A00Z"));
		drawn();
		assertThat(this.browser.path()).contains("from=2025-01-01T00%3A00%3A00Z");
		assertThat(total()).isEqualTo(2);
		assertThat(this.browser.find("[data-preset=custom]").getAttribute("aria-pressed")).isEqualTo("true");
	}

	@Test
	@Order(3)
	void aClickOnAStatusSliceOpensTheTableFilteredByIt() {
		this.browser.open("/dashboard?view=all&platform=voice");
		drawn();
		// Voice: p01, p09 and r1 completed, p08 failed.
		assertThat(total()).isEqualTo(4);
		WebElement outcomes = this.browser.find("[data-chart=outcomes]");
		List<Number> point = this.browser.script(
				"""
						const chart = echarts.getInstanceByDom(arguments[0]);
						const data = chart.getModel().getSeriesByIndex(0).getData();
						const index = [...Array(data.count()).keys()].find((i) => data.getName(i) === 'Failed');
						const layout = data.getItemLayout(index);
						const angle = (layout.startAngle + layout.endAngle) / 2;
						const radius = (layout.r0 + layout.r) / 2;
						const box = arguments[0].getBoundingClientRect();
						return [layout.cx + radius * Math.cos(angle) - box.width / 2, layout.cy + radius * Math.sin(angle) - box.height / 2];
						""",
				outcomes);
		new Actions(this.browser.driver()).moveToElement(outcomes, point.get(0).intValue(), point.get(1).intValue())
			.click()
			.perform();
		this.browser.waitUntil((driver) -> this.browser.path().startsWith("/?"));
		assertThat(this.browser.path()).contains("view=all").contains("platform=voice").contains("status=failed");
		assertThat(total()).isEqualTo(1);
		assertThat(this.browser.all("tbody.row td.col-id a")).extracting(WebElement::getText).containsExactly("p08");

		// The same from the figure's table, by keyboard: an outcome's row.
		this.browser.open("/dashboard?view=all&platform=voice");
		drawn();
		this.browser.find("#figure-outcomes details summary").click();
		String resolvedRow = dataRow("outcomes", "Resolved without a human");
		long resolvedCount = Long.parseLong(resolvedRow.split(" \\| ")[1]);
		assertThat(resolvedCount).isBetween(2L, 3L);
		WebElement resolved = this.browser.find("#figure-outcomes [data-table-of] a[href*='liveAgent=false']");
		assertThat(resolved.getText()).isEqualTo("Resolved without a human");
		resolved.sendKeys(org.openqa.selenium.Keys.ENTER);
		this.browser.waitUntil((driver) -> this.browser.path().startsWith("/?"));
		assertThat(this.browser.path()).contains("status=completed").contains("liveAgent=false");
		// The table counts what the dashboard counted.
		assertThat(total()).isEqualTo(resolvedCount);

		// A bar of the volume: its bucket's range (a month: January 2025).
		this.browser.open("/dashboard?view=all&interval=month&from=2025-01-01T00:00:00Z&to=2025-03-01T00:00:00Z");
		drawn();
		this.browser.find("#figure-volume details summary").click();
		this.browser.find("#figure-volume [data-table-of] tbody tr a").click();
		this.browser.waitUntil((driver) -> this.browser.path().startsWith("/?"));
		assertThat(this.browser.path()).contains("from=2025-01-01T00%3A00%3A00Z")
			.contains("to=2025-02-01T00%3A00%3A00Z");
		assertThat(total()).isEqualTo(2);
	}

	@Test
	@Order(4)
	void aViewOpensAsATableOrAsADashboardWithItsState() {
		String body = this.http.post()
			.uri("/api/v1/views")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"name\": \"Voice\", \"scope\": \"org\", \"filter\": {\"platforms\": [\"voice\"]}}")
			.exchange()
			.expectStatus()
			.isCreated()
			.returnResult(String.class)
			.getResponseBody();
		String viewId = body.replaceAll(".*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
		this.browser.open("/?view=" + viewId);
		assertThat(total()).isEqualTo(4);
		this.browser.find("#mode-dashboard").click();
		this.browser.waitUntil((driver) -> this.browser.path().startsWith("/dashboard?"));
		drawn();
		assertThat(this.browser.path()).contains("view=" + viewId).contains("platform=voice");
		assertThat(total()).isEqualTo(4);
		assertThat(new Select(this.browser.find("#view-select")).getFirstSelectedOption().getText()).isEqualTo("Voice");
		assertThat(this.browser.find("#mode-dashboard").getAttribute("aria-current")).isEqualTo("page");
		assertThat(this.browser.find("input[name=platform][value=voice]").isSelected()).isTrue();
		assertThat(this.browser.find("#view-state").getText()).isEmpty();

		// A change on the dashboard, then back to the table: the same view and filters.
		openPanel();
		this.browser.find("input[name=platform][value=web]").click();
		this.browser.waitUntil((driver) -> this.browser.path().contains("platform=web"));
		drawn();
		assertThat(total()).isEqualTo(7);
		assertThat(this.browser.find("#view-state").getText()).contains("Modified");
		new Select(this.browser.find("#split")).selectByValue("status");
		this.browser.waitUntil((driver) -> this.browser.path().contains("split=status"));
		drawn();
		assertThat(this.browser.<Number>script(
				"return echarts.getInstanceByDom(document.querySelector('[data-chart=volume]')).getOption().series.length")
			.intValue()).isEqualTo(2);
		this.browser.screenshot("dashboard-view-modified");
		this.browser.find("#mode-table").click();
		this.browser.waitUntil((driver) -> this.browser.path().startsWith("/?"));
		assertThat(this.browser.path()).contains("view=" + viewId)
			.contains("platform=voice")
			.contains("platform=web")
			.doesNotContain("split");
		assertThat(total()).isEqualTo(7);
		assertThat(this.browser.find("#mode-table").getAttribute("aria-current")).isEqualTo("page");
		// And a view chosen on the dashboard stays a dashboard.
		this.browser.find("#mode-dashboard").click();
		this.browser.waitUntil((driver) -> this.browser.path().startsWith("/dashboard?"));
		drawn();
		new Select(this.browser.find("#view-select")).selectByValue("all");
		this.browser.waitUntil((driver) -> this.browser.path().equals("/dashboard?view=all"));
		drawn();
		assertThat(total()).isEqualTo(TOTAL);
	}

	@Test
	@Order(5)
	void csvLinksAskTheApiForThePagesState() {
		this.browser.open("/dashboard?view=all&status=completed&tz=Europe/Paris&interval=month&split=platform");
		drawn();
		String query = "status=completed&tz=Europe%2FParis&interval=month&split=platform";
		for (String figure : FIGURES) {
			assertThat(this.browser.find("a.csv[data-figure=" + figure + "]").getAttribute("href")).as(figure)
				.endsWith("/api/v1/analytics?" + query + "&format=csv&figure=" + figure);
		}
		String csv = this.http.get()
			.uri("/api/v1/analytics?status=completed&tz={tz}&interval=month&split=platform&format=csv&figure=outcomes",
					"Europe/Paris")
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(String.class)
			.getResponseBody();
		assertThat(csv).contains("completed");
		// They follow the page's state as it changes.
		this.browser.find("[data-preset='30d']").click();
		this.browser.waitUntil((driver) -> this.browser.path().contains("from="));
		drawn();
		assertThat(this.browser.find("a.csv[data-figure=volume]").getAttribute("href")).contains("from=")
			.contains("to=")
			.contains("status=completed");
		assertThat(total()).isEqualTo(2);
		// The time zone is the page's: 30 days from a Paris midnight.
		String from = this.browser.<String>script("return new URL(location.href).searchParams.get('from')");
		assertThat(Instant.parse(from).atZone(java.time.ZoneId.of("Europe/Paris")).toLocalTime())
			.isEqualTo(java.time.LocalTime.MIDNIGHT);
	}

	@Test
	@Order(6)
	void badValuesSayWhatIsWrongInPlainWords() {
		this.browser.open("/dashboard?view=all&interval=fortnight");
		WebElement problem = this.browser.find(".problem");
		assertThat(problem.getText()).contains("Interval").contains("fortnight").doesNotContain("parameter interval");
		assertThat(this.browser.find("#figures").isDisplayed()).isFalse();
		this.browser.screenshot("dashboard-problem");
		this.browser.open("/dashboard?view=all&status=bogus");
		assertThat(this.browser.find(".problem").getText()).contains("The Status filter cannot be used")
			.contains("bogus");
		this.browser.open("/dashboard?view=all&sort=date:asc");
		assertThat(this.browser.find(".problem").getText()).contains("does not know").contains("sort");
		// What only the API knows: an hour is too fine for all these months.
		this.browser.open("/dashboard?view=all&interval=hour");
		WebElement tooFine = this.browser.waitUntil((driver) -> this.browser.all(".problem")
			.stream()
			.filter(WebElement::isDisplayed)
			.findFirst()
			.orElse(null));
		assertThat(tooFine.getText()).contains("Interval: hour")
			.contains("more than 1000 buckets")
			.contains("the Range above")
			.doesNotContain("parameter interval");
		assertThat(this.browser.find("#figures").isDisplayed()).isFalse();
		// The filters still work from there.
		this.browser.open("/dashboard?view=all&status=bogus");
		openPanel();
		this.browser.all("#filter-panel fieldset.filter legend label")
			.stream()
			.filter((label) -> label.getText().trim().equals("Status"))
			.findFirst()
			.orElseThrow()
			.findElement(By.cssSelector("input.activate"))
			.click();
		this.browser.waitUntil((driver) -> !this.browser.path().contains("bogus"));
		drawn();
		assertThat(this.browser.all(".problem")).isEmpty();
		assertThat(total()).isEqualTo(TOTAL);
	}

	/** Waits for the state shown to be drawn. */
	private void drawn() {
		this.browser.waitUntil((driver) -> this.browser.<Boolean>script("""
				const main = document.getElementById('main');
				const state = document.getElementById('dashboard-state');
				const figures = document.getElementById('figures');
				return document.readyState === 'complete' && !main.hasAttribute('aria-busy') && state != null
					&& (state.dataset.query === undefined
						|| (figures.dataset.drawn === state.dataset.query && !figures.hasAttribute('aria-busy')))"""));
	}

	private long total() {
		return Long.parseLong(this.browser.find("#total strong").getText().replace(",", ""));
	}

	/** A row of a figure's tables, its cells joined by " | ". */
	private String dataRow(String figure, String first) {
		return this.browser.all("[data-table-of=" + figure + "] tbody tr")
			.stream()
			.map((row) -> String.join(" | ",
					row.findElements(By.cssSelector("th, td"))
						.stream()
						.map((cell) -> cell.getAttribute("textContent").trim())
						.toList()))
			.filter((row) -> row.startsWith(first + " | "))
			.findFirst()
			.orElseThrow();
	}

	/** The colour of the volume chart's axis labels. */
	private String chartTextColour() {
		return this.browser.script("""
				const text = document.querySelector('[data-chart=volume] svg text');
				return text ? text.getAttribute('fill') : '';""");
	}

	private String cssColour(String property) {
		return this.browser.script(
				"return getComputedStyle(document.documentElement).getPropertyValue(arguments[0]).trim()", property);
	}

	/** The whole page, at 1440 px wide. */
	private void screenshot(String name) {
		Dimension window = this.browser.driver().manage().window().getSize();
		Number height = this.browser.script("return document.documentElement.scrollHeight");
		this.browser.driver().manage().window().setSize(new Dimension(1440, Math.min(height.intValue() + 120, 4000)));
		this.browser.screenshot(name);
		this.browser.driver().manage().window().setSize(window);
	}

	private void openPanel() {
		if (!this.browser.find("#filter-panel").isDisplayed()) {
			this.browser.find("#filters-button").click();
		}
	}

}
