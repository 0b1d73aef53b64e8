package org.conversationarchive.analytics;

import java.util.ArrayList;
import java.util.List;

import org.conversationarchive.analytics.Dashboard.RepeatRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contacts put in ranges by their number of conversations.
 */
class RepeatContactsTests {

	@Test
	void eachContactCountsInTheRangeOfItsConversations() {
		RepeatContacts.Tally tally = RepeatContacts.tally(List.of(40L, 11L, 10L, 6L, 5L, 3L, 2L, 2L, 1L, 1L, 1L), 0,
				11);
		assertThat(tally.ranges()).containsExactly(new RepeatRange("1", 3), new RepeatRange("2", 2),
				new RepeatRange("3-5", 2), new RepeatRange("6-10", 2), new RepeatRange("11+", 2));
		assertThat(tally.approximate()).isFalse();
	}

	@Test
	void noContactsListEveryRangeEmpty() {
		RepeatContacts.Tally tally = RepeatContacts.tally(List.of(), 0, 0);
		assertThat(tally.ranges()).extracting(RepeatRange::range).containsExactly("1", "2", "3-5", "6-10", "11+");
		assertThat(tally.ranges()).extracting(RepeatRange::contacts).containsOnly(0L);
		assertThat(tally.approximate()).isFalse();
	}

	@Test
	void contactsLeftUncountedBehindContactsWithOneConversationEachHaveOne() {
		List<Long> counts = new ArrayList<>(List.of(7L, 2L));
		for (int i = 0; i < 5; i++) {
			counts.add(1L);
		}
		RepeatContacts.Tally tally = RepeatContacts.tally(counts, 120, 127);
		assertThat(tally.ranges()).containsExactly(new RepeatRange("1", 125), new RepeatRange("2", 1),
				new RepeatRange("3-5", 0), new RepeatRange("6-10", 1), new RepeatRange("11+", 0));
		assertThat(tally.approximate()).isTrue();
	}

	@Test
	void contactsLeftUncountedBehindContactsWithTwoAreToldApartByTheirNumber() {
		// 10 conversations of 7 contacts with one or two each: 4 with one, 3 with two.
		RepeatContacts.Tally tally = RepeatContacts.tally(List.of(9L, 3L, 2L, 2L), 10, 11);
		assertThat(tally.ranges()).containsExactly(new RepeatRange("1", 4), new RepeatRange("2", 5),
				new RepeatRange("3-5", 1), new RepeatRange("6-10", 1), new RepeatRange("11+", 0));
		assertThat(tally.approximate()).isTrue();
		// An estimate of the contacts that cannot be: never fewer than none in a range.
		assertThat(RepeatContacts.tally(List.of(2L), 10, 1).ranges()).startsWith(new RepeatRange("1", 0),
				new RepeatRange("2", 6));
		assertThat(RepeatContacts.tally(List.of(2L), 10, 500).ranges()).startsWith(new RepeatRange("1", 10),
				new RepeatRange("2", 1));
	}

	@Test
	void contactsLeftUncountedBehindBusierOnesAreLeftOutAndSaySo() {
		RepeatContacts.Tally tally = RepeatContacts.tally(List.of(12L, 3L, 3L), 50, 70);
		assertThat(tally.ranges()).containsExactly(new RepeatRange("1", 0), new RepeatRange("2", 0),
				new RepeatRange("3-5", 2), new RepeatRange("6-10", 0), new RepeatRange("11+", 1));
		assertThat(tally.approximate()).isTrue();
	}

}
