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

	private static MultiValueMap<String, String> parameters(String... pairs) {
		MultiValueMap<String, String> parameters = new LinkedMultiValueMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			parameters.add(pairs[i], pairs[i + 1]);
		}
		return parameters;
	}

}
