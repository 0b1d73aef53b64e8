package org.conversationarchive.conversation.index;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which conversations of recounted contacts a rewrite of stored counts reads.
 */
class RewriteGroupsTests {

	@Test
	void contactsUpToTheLimitHaveEveryConversationReadBusierOnesOnlyThoseNotStoringLimitPlusOne() {
		RewriteGroups groups = RewriteGroups.of(List.of("none", "one", "three", "four", "many", "gone"),
				Map.of("none", 0L, "one", 1L, "three", 3L, "four", 4L, "many", 100_000L), 3);
		assertThat(groups.light()).containsExactly("one", "three");
		assertThat(groups.heavy()).containsExactly("four", "many");
	}

}
