package org.conversationarchive.search;

import java.util.List;

import org.conversationarchive.conversation.Column;
import org.junit.jupiter.api.Test;

import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request that names a saved view: the view's filter AND the request's, the request's
 * sort and columns where it gives them.
 */
class AppliedViewTests {

	private static final Filter VOICE = filter("platform", "voice");

	private static final Filter FAILED = filter("status", "failed");

	private static final SavedView VIEW = new SavedView("v1", "Voice", VOICE, List.of(Column.ID, Column.STATUS),
			SearchSort.parse("duration:asc"));

	@Test
	void theViewsFilterComesFirstAndTheRequestsNarrowsIt() {
		assertThat(AppliedView.of(VIEW, FAILED, null, null).filters()).containsExactly(VOICE, FAILED);
		// A search always gives its filter, if only ALL; an export without one adds none.
		assertThat(AppliedView.of(VIEW, Filter.ALL, null, null).filters()).containsExactly(VOICE, Filter.ALL);
		assertThat(AppliedView.of(VIEW, null, null, null).filters()).containsExactly(VOICE);
	}

	@Test
	void withoutAViewTheRequestsFilterRunsOrAllConversations() {
		assertThat(AppliedView.of(null, FAILED, null, null).filters()).containsExactly(FAILED);
		assertThat(AppliedView.of(null, null, null, null).filters()).containsExactly(Filter.ALL);
	}

	@Test
	void theRequestsSortAndColumnsWinOverTheViews() {
		SearchSort newestLastMessage = SearchSort.parse("lastMessage:desc");
		AppliedView applied = AppliedView.of(VIEW, null, newestLastMessage, List.of(Column.TAGS));
		assertThat(applied.sort()).isEqualTo(newestLastMessage);
		assertThat(applied.columns()).containsExactly(Column.TAGS);
	}

	@Test
	void theViewsSortAndColumnsApplyWhenTheRequestGivesNone() {
		AppliedView applied = AppliedView.of(VIEW, FAILED, null, null);
		assertThat(applied.sort()).isEqualTo(VIEW.sort());
		assertThat(applied.columns()).isEqualTo(VIEW.columns());
		// A schedule stores no columns as an empty list.
		assertThat(AppliedView.of(VIEW, null, null, List.of()).columns()).isEqualTo(VIEW.columns());
	}

	@Test
	void withoutAViewOrARequestsChoiceTheDefaultsApply() {
		AppliedView applied = AppliedView.of(null, FAILED, null, null);
		assertThat(applied.sort()).isEqualTo(SearchSort.DEFAULT);
		assertThat(applied.columns()).isEqualTo(Column.DEFAULT);
	}

	private static Filter filter(String name, String value) {
		MultiValueMap<String, String> parameters = new LinkedMultiValueMap<>();
		parameters.add(name, value);
		return FilterParameters.parse(parameters);
	}

}
