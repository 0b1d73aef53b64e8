package org.conversationarchive.web;

import java.time.Instant;
import java.util.List;

import org.conversationarchive.conversation.Platform;
import org.conversationarchive.conversation.SenderType;
import org.conversationarchive.conversation.Status;
import org.conversationarchive.search.Filter;
import org.conversationarchive.search.Filter.Content;
import org.conversationarchive.search.Filter.Pair;
import org.conversationarchive.search.Filter.RepeatContacts;
import org.conversationarchive.search.Filter.TagMatch;
import org.conversationarchive.search.Filter.Tags;
import org.conversationarchive.system.InvalidInputException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Saving a view's page as a new view: one filter that matches what the view and the
 * filters on top of it match together.
 */
class FilterCombinationTests {

	@Test
	void filtersOfDifferentKindsAreKeptSideBySide() {
		Filter view = filter(List.of(Platform.VOICE), null, null, null, null, null, null);
		Filter extra = filter(null, List.of(Status.FAILED), null, null, null, null, null);
		Filter combined = FilterCombination.of(view, extra);
		assertThat(combined.platforms()).containsExactly(Platform.VOICE);
		assertThat(combined.statuses()).containsExactly(Status.FAILED);
		assertThat(FilterCombination.of(Filter.ALL, extra)).isEqualTo(extra);
	}

	@Test
	void rangesAndPairsNarrowEachOther() {
		Filter view = filter(null, null, Instant.parse("2025-01-01T00:00:00Z"), new RepeatContacts(2, null),
				new Content("refund", SenderType.USER), new Tags(TagMatch.ALL, List.of(new Pair("Language", "en"))),
				List.of(new Pair("account", "*")));
		Filter extra = filter(null, null, Instant.parse("2025-03-01T00:00:00Z"), new RepeatContacts(null, 5),
				new Content("voucher OR coupon", SenderType.USER),
				new Tags(null, List.of(new Pair("Call Reason", "billing"))), List.of(new Pair("plan", "gold")));
		Filter combined = FilterCombination.of(view, extra);
		assertThat(combined.from()).isEqualTo(Instant.parse("2025-03-01T00:00:00Z"));
		assertThat(combined.repeatContacts()).isEqualTo(new RepeatContacts(2, 5));
		assertThat(combined.content()).isEqualTo(new Content("(refund) (voucher OR coupon)", SenderType.USER));
		assertThat(combined.tags().pairs()).containsExactly(new Pair("Language", "en"),
				new Pair("Call Reason", "billing"));
		assertThat(combined.parameters()).containsExactly(new Pair("account", "*"), new Pair("plan", "gold"));
	}

	@Test
	void oneFilterSetTwiceDifferentlyIsRefusedWithWhatToDo() {
		Filter view = filter(List.of(Platform.VOICE), null, null, null, null, null, null);
		Filter extra = filter(List.of(Platform.SMS), null, null, null, null, null, null);
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> FilterCombination.of(view, extra))
			.withMessageContaining("parameter platform")
			.withMessageContaining("All Conversations");
		assertThat(FilterCombination.of(view, view).platforms()).containsExactly(Platform.VOICE);
	}

	private static Filter filter(List<Platform> platforms, List<Status> statuses, Instant from, RepeatContacts repeat,
			Content content, Tags tags, List<Pair> parameters) {
		return new Filter(null, statuses, from, null, platforms, null, null, null, null, repeat, null, content, null,
				tags, parameters, null, null);
	}

}
