package org.conversationarchive.search;

import java.time.Instant;
import java.util.List;

import org.conversationarchive.conversation.Direction;
import org.conversationarchive.conversation.Environment;
import org.conversationarchive.conversation.Platform;
import org.conversationarchive.conversation.SenderType;
import org.conversationarchive.conversation.Status;
import org.conversationarchive.search.Filter.Pair;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FilterParametersTests {

	@Test
	void everyFieldOfAFilterComesBackFromItsParameters() {
		Filter filter = new Filter(List.of("c1", "c2"), List.of(Status.FAILED, Status.COMPLETED),
				Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2025-02-01T00:00:00Z"), List.of(Platform.VOICE),
				List.of("billing"), List.of(Direction.INBOUND), List.of(Environment.PRODUCTION), true,
				new Filter.RepeatContacts(2, 5), List.of("contact-1"),
				new Filter.Content("refund \"double charge\"", SenderType.USER), List.of("issue_refund"),
				new Filter.Tags(Filter.TagMatch.ANY, List.of(new Pair("Call Reason", "billing"))),
				List.of(new Pair("account", "*")), List.of("ava"), false)
			.validated();
		assertThat(FilterParameters.parse(FilterParameters.of(filter))).isEqualTo(filter);
		assertThat(FilterParameters.of(filter).get("tag")).containsExactly("Call Reason:billing");
	}

	@Test
	void partsLeftOutAreNotParameters() {
		assertThat(FilterParameters.of(Filter.ALL)).isEmpty();
		Filter repeat = new Filter(null, null, null, null, null, null, null, null, null,
				new Filter.RepeatContacts(3, null), null, null, null, null, null, null, null);
		assertThat(FilterParameters.of(repeat).toSingleValueMap()).containsOnlyKeys("repeatMin");
		assertThat(FilterParameters.parse(FilterParameters.of(repeat))).isEqualTo(repeat.validated());
	}

}
