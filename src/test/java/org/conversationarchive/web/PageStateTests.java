package org.conversationarchive.web;

import java.util.Map;

import org.conversationarchive.conversation.Column;
import org.conversationarchive.system.InvalidInputException;
import org.junit.jupiter.api.Test;

import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The conversations page's URL: the whole state, in the search API's parameters.
 */
class PageStateTests {

	@Test
	void blankFieldsOfTheFormAreNoFilter() {
		PageState state = PageState.of(parameters("view", "all", "status", "failed", "param", " ", "flow", ""));
		assertThat(state.url()).isEqualTo("/?view=all&status=failed");
		assertThat(state.filter().statuses()).hasSize(1);
		assertThat(state.filter().parameters()).isNull();
		assertThat(state.activeFilters()).isEqualTo(1);
	}

	@Test
	void linksToOtherStatesStartAtTheFirstPage() {
		PageState state = PageState.of(parameters("view", "all", "q", "\"refund now\"", "cursor", "abc"));
		assertThat(state.with("sort", "duration:desc")).isEqualTo("/?view=all&q=%22refund+now%22&sort=duration%3Adesc");
		assertThat(state.with("liveAgent", "true")).doesNotContain("cursor");
		assertThat(state.at("def")).endsWith("&cursor=def");
		assertThat(state.hidden().stream().map((entry) -> entry.getKey())).containsExactly("view");
	}

	@Test
	void aLinkThatRemovesTheLastFilterSaysSoRatherThanFallBackToTheView() {
		PageState state = PageState.of(parameters("view", "v1", "liveAgent", "true"));
		assertThat(state.with("liveAgent", null)).isEqualTo("/?view=v1&unfiltered=true");
		assertThat(PageState.of(parameters("liveAgent", "true")).with("liveAgent", null))
			.isEqualTo("/?unfiltered=true");
		// Without a filter to lose, a link stays as it is.
		assertThat(PageState.of(parameters("view", "all")).with("sort", "date:asc"))
			.isEqualTo("/?view=all&sort=date%3Aasc");
		assertThat(PageState.of(parameters("view", "v1", "unfiltered", "true")).hidden()).extracting(Map.Entry::getKey)
			.containsExactly("view");
	}

	@Test
	void theRuleEditorTakesTheFiltersShownAndTheRuleWhoseFiltersTheyAre() {
		PageState state = PageState.of(parameters("view", "v1", "platform", "voice", "q", "manager", "sort", "date:asc",
				"from", "2025-01-01T00:00:00Z"));
		assertThat(state.ruleEditor()).isEqualTo("/rules/new?platform=voice&q=manager&from=2025-01-01T00%3A00%3A00Z");
		PageState changing = PageState.of(parameters("rule", "r 1", "status", "failed"));
		changing.checkNames();
		assertThat(changing.ruleEditor()).isEqualTo("/rules/r%201?status=failed");
		// The rule goes along with every change of the filters, as the view does.
		assertThat(changing.hidden()).extracting(Map.Entry::getKey).containsExactly("rule");
		assertThat(changing.with("status", null)).isEqualTo("/?rule=r+1&unfiltered=true");
	}

	@Test
	void columnsAreThePagesOwnParameter() {
		PageState state = PageState.of(parameters("columns", "id,status,lastMessage"));
		state.checkNames();
		assertThat(state.columns()).containsExactly(Column.ID, Column.STATUS, Column.LAST_MESSAGE);
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> PageState.of(parameters("columns", "id,colour")).columns())
			.withMessageContaining("parameter columns");
	}

	@Test
	void unknownParametersAreRefusedAsTheApiRefusesThem() {
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> PageState.of(parameters("stauts", "failed")).checkNames())
			.withMessage("unknown parameter 'stauts'");
	}

	@Test
	void theDashboardHasSettingsOfItsOwnAndRefusesTheTables() {
		PageState state = PageState.of(PageState.Page.DASHBOARD, parameters("view", "all", "status", "failed", "tz",
				"Europe/Paris", "interval", "week", "split", "tag:Call Reason"));
		state.checkNames();
		assertThat(state.url())
			.isEqualTo("/dashboard?view=all&status=failed&tz=Europe%2FParis&interval=week&split=tag%3ACall+Reason");
		assertThat(state.with("interval", "day")).startsWith("/dashboard?").contains("interval=day");
		// The settings are fields of the form, not hidden ones.
		assertThat(state.hidden()).extracting(Map.Entry::getKey).containsExactly("view");
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> PageState.of(PageState.Page.DASHBOARD, parameters("sort", "date:asc")).checkNames())
			.withMessage("unknown parameter 'sort'");
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> PageState.of(parameters("tz", "UTC")).checkNames())
			.withMessage("unknown parameter 'tz'");
	}

	@Test
	void theDashboardsSettingsAreCheckedAsTheApiChecksThem() {
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> PageState.of(PageState.Page.DASHBOARD, parameters("tz", "Mars/Olympus")).checkNames())
			.withMessageStartingWith("parameter tz: 'Mars/Olympus'");
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> PageState.of(PageState.Page.DASHBOARD, parameters("interval", "year")).checkNames())
			.withMessageStartingWith("parameter interval: 'year'");
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> PageState.of(PageState.Page.DASHBOARD, parameters("split", "colour")).checkNames())
			.withMessageStartingWith("parameter split: 'colour'");
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> PageState.of(PageState.Page.DASHBOARD, parameters("split", "tag:")).checkNames())
			.withMessageStartingWith("parameter split");
		PageState.of(PageState.Page.DASHBOARD, parameters("split", "liveAgent", "interval", "hour", "tz", "UTC"))
			.checkNames();
	}

	@Test
	void tableAndDashboardShareTheViewAndItsFiltersButNotTheirSettings() {
		PageState table = PageState
			.of(parameters("view", "v1", "status", "failed", "sort", "date:asc", "columns", "id", "cursor", "abc"));
		assertThat(table.dashboard()).isEqualTo("/dashboard?view=v1&status=failed");
		assertThat(table.table()).isEqualTo("/?view=v1&status=failed");
		PageState dashboard = PageState.of(PageState.Page.DASHBOARD,
				parameters("view", "v1", "unfiltered", "true", "tz", "Europe/Paris", "split", "status"));
		assertThat(dashboard.table()).isEqualTo("/?view=v1&unfiltered=true");
		assertThat(dashboard.dashboard()).isEqualTo("/dashboard?view=v1&unfiltered=true");
		assertThat(PageState.of(PageState.Page.DASHBOARD, parameters("tz", "UTC")).table()).isEqualTo("/");
	}

	@Test
	void theAnalyticsApiIsAskedForTheFiltersShownWithoutTheView() {
		PageState state = PageState.of(PageState.Page.DASHBOARD, parameters("view", "v1", "status", "failed", "status",
				"completed", "q", "refund now", "unfiltered", "true", "tz", "Europe/Paris", "split", "status"));
		assertThat(state.analyticsQuery())
			.isEqualTo("status=failed&status=completed&q=refund+now&tz=Europe%2FParis&split=status");
		assertThat(PageState.of(PageState.Page.DASHBOARD, parameters("view", "all")).analyticsQuery()).isEmpty();
	}

	private static MultiValueMap<String, String> parameters(String... pairs) {
		MultiValueMap<String, String> parameters = new LinkedMultiValueMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			parameters.add(pairs[i], pairs[i + 1]);
		}
		return parameters;
	}

}
