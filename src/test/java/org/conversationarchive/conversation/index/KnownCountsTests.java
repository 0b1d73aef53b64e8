package org.conversationarchive.conversation.index;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The counts an instance knows of contacts: what writers store on new conversations, and
 * what it stores as its estimate between recounts.
 */
class KnownCountsTests {

	private static final Touched ANNA = new Touched("acme", "anna");

	private final KnownCounts known = new KnownCounts(100);

	@Test
	void aContactNotKnownHereHasTheCountIndexedAndWhatWasWrittenSince() {
		assertThat(this.known.knows(ANNA)).isFalse();
		assertThat(this.known.current(ANNA, null)).isZero();
		assertThat(this.known.current(ANNA, 4)).isEqualTo(4);
		this.known.changed("acme", Map.of("anna", 2));
		assertThat(this.known.current(ANNA, 4)).isEqualTo(6);
		assertThat(this.known.current(ANNA, null)).isEqualTo(2);
	}

	@Test
	void theCountReadFirstWinsOverTheIndexLaggingBehindItsWrites() {
		this.known.read("acme", Map.of("anna", 3));
		assertThat(this.known.knows(ANNA)).isTrue();
		assertThat(this.known.current(ANNA, 7)).isEqualTo(3);
		// Read again before the contacts index shows the writes made since: kept.
		this.known.read("acme", Map.of("anna", 1));
		this.known.changed("acme", Map.of("anna", 1));
		assertThat(this.known.current(ANNA, 1)).isEqualTo(4);
		assertThat(this.known.knows(new Touched("other-org", "anna"))).isFalse();
	}

	@Test
	void aCountTakesInTheChangesWrittenBeforeItStartedAndKeepsThoseWrittenMeanwhile() {
		this.known.changed("acme", Map.of("anna", 3));
		Map<Touched, Integer> counted = this.known.changesSinceCounted(List.of(ANNA, new Touched("acme", "ben")));
		assertThat(counted).containsExactly(Map.entry(ANNA, 3));
		this.known.changed("acme", Map.of("anna", -1));
		this.known.counted(ANNA, 10, counted.get(ANNA));
		assertThat(this.known.current(ANNA, 50)).isEqualTo(9);
		assertThat(this.known.changesSinceCounted(List.of(ANNA))).containsExactly(Map.entry(ANNA, -1));
		this.known.counted(ANNA, 9, -1);
		assertThat(this.known.changesSinceCounted(List.of(ANNA))).isEmpty();
		assertThat(this.known.current(ANNA, 50)).isEqualTo(9);
	}

	@Test
	void anEstimateIsTheLastCountKnownElseTheIndexedOnePlusTheChangesNeverBelowNone() {
		this.known.read("acme", Map.of("anna", 5));
		Map<String, Long> last = this.known.lastCounts("acme", List.of("anna", "ben", "cleo", "dan"));
		assertThat(last).containsExactly(Map.entry("anna", 5L));
		Map<String, Long> estimates = KnownCounts.estimates("acme", List.of("anna", "ben", "cleo", "dan"), last,
				Map.of("anna", 40, "ben", 2), Map.of(ANNA, 1, new Touched("acme", "ben"), -1,
						new Touched("acme", "cleo"), -2, new Touched("other-org", "dan"), 3));
		assertThat(estimates).containsOnly(Map.entry("anna", 6L), Map.entry("ben", 1L), Map.entry("cleo", 0L),
				Map.entry("dan", 0L));
	}

	@Test
	void onlyTheCountsOfTheContactsUsedLastAreRemembered() {
		KnownCounts few = new KnownCounts(2);
		few.read("acme", Map.of("anna", 1));
		few.read("acme", Map.of("ben", 2));
		few.current(ANNA, null);
		few.read("acme", Map.of("cleo", 3));
		assertThat(few.knows(ANNA)).isTrue();
		assertThat(few.knows(new Touched("acme", "ben"))).isFalse();
		assertThat(few.knows(new Touched("acme", "cleo"))).isTrue();
	}

}
