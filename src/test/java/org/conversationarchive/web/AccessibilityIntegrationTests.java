package org.conversationarchive.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.conversationarchive.ArchiveIntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.WebElement;

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

	@LocalServerPort
	int port;

	String axe;

	Browser browser;

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
	void aMissingConversation(String theme) {
		signedIn(theme);
		this.browser.open("/conversations/no-such-conversation");
		assertThat(this.browser.find(".problem").getText()).contains("Not found").contains("no-such-conversation");
		check("problem", theme);
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
