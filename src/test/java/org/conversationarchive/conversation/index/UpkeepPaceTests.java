package org.conversationarchive.conversation.index;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.conversationarchive.conversation.index.UpkeepPace.Due;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the contact upkeep recounts, stores its estimates and rewrites stored counts, with
 * the default settings unless a test says otherwise.
 */
class UpkeepPaceTests {

	private final UpkeepPace pace = new UpkeepPace(settings(40_000), 0);

	@Test
	void nothingIsDueWhileNoContactWaits() {
		assertThat(this.pace.countDue(seconds(30), false, false)).isEqualTo(Due.NOTHING);
		assertThat(this.pace.countDue(seconds(60), false, true)).isEqualTo(Due.NOTHING);
	}

	@Test
	void touchedContactsAreRecountedOnceWritesPauseForTheInterval() {
		this.pace.wrote(seconds(10));
		assertThat(this.pace.countDue(seconds(10.5), true, true)).isEqualTo(Due.NOTHING);
		assertThat(this.pace.countDue(seconds(10.999), true, true)).isEqualTo(Due.NOTHING);
		assertThat(this.pace.countDue(seconds(11), true, true)).isEqualTo(Due.RECOUNT);
		// Recounted: nothing more until contacts are touched again.
		assertThat(this.pace.countDue(seconds(12), false, false)).isEqualTo(Due.NOTHING);
	}

	@Test
	void underAStreamOfWritesEstimatesAreStoredEveryFewSecondsAndARecountAtMostTwentySecondsIn() {
		List<Double> estimates = new ArrayList<>();
		List<Double> recounts = new ArrayList<>();
		// A write every 250 ms, the upkeep's turn every second: writes never pause.
		for (int second = 1; second <= 30; second++) {
			this.pace.wrote(seconds(second - 0.25));
			Due due = this.pace.countDue(seconds(second), true, true);
			if (due == Due.ESTIMATES) {
				estimates.add((double) second);
			}
			else if (due == Due.RECOUNT) {
				recounts.add((double) second);
			}
		}
		// The first turn starts both waits; an estimate is due 5 s after, its next wait
		// starts a turn later; the recount 20 s after the first turn, and starts over.
		assertThat(estimates).containsExactly(6.0, 12.0, 18.0, 27.0);
		assertThat(recounts).containsExactly(21.0);
	}

	@Test
	void aPauseInAStreamRecountsAtOnce() {
		for (int second = 1; second <= 3; second++) {
			this.pace.wrote(seconds(second - 0.25));
			assertThat(this.pace.countDue(seconds(second), true, true)).isEqualTo(Due.NOTHING);
		}
		assertThat(this.pace.countDue(seconds(3.75), true, true)).isEqualTo(Due.RECOUNT);
	}

	@Test
	void contactsWhoseCountsWereStoredWaitForTheRecountOnly() {
		for (int second = 1; second <= 21; second++) {
			this.pace.wrote(seconds(second - 0.25));
			assertThat(this.pace.countDue(seconds(second), true, false))
				.isEqualTo((second < 21) ? Due.NOTHING : Due.RECOUNT);
		}
	}

	@Test
	void rewritesWaitForWritesToPauseLongerThanRecounts() {
		this.pace.wrote(seconds(10));
		this.pace.rewritesWaitSince(seconds(10));
		assertThat(this.pace.rewritesDue(seconds(11), 1)).isFalse();
		assertThat(this.pace.rewritesDue(seconds(12.9), 1)).isFalse();
		assertThat(this.pace.rewritesDue(seconds(13), 1)).isTrue();
	}

	@Test
	void underAStreamOfWritesRewritesWaitAtMostTheLongestDelay() {
		this.pace.rewritesWaitSince(seconds(1));
		for (int second = 1; second < 61; second++) {
			this.pace.wrote(seconds(second - 0.25));
			assertThat(this.pace.rewritesDue(seconds(second), 10)).as("at %d s", second).isFalse();
		}
		this.pace.wrote(seconds(60.75));
		assertThat(this.pace.rewritesDue(seconds(61), 10)).isTrue();
	}

	@Test
	void aBacklogOfContactsIsRewrittenEvenUnderAStreamOfWrites() {
		this.pace.wrote(seconds(1));
		this.pace.rewritesWaitSince(seconds(1));
		assertThat(this.pace.rewritesDue(seconds(1), 39_999)).isFalse();
		assertThat(this.pace.rewritesDue(seconds(1), 40_000)).isTrue();
	}

	@Test
	void nothingIsRewrittenWhileNoContactWaits() {
		assertThat(this.pace.rewritesWaiting()).isFalse();
		assertThat(this.pace.rewritesDue(seconds(600), 40_000)).isFalse();
		this.pace.rewritesWaitSince(seconds(1));
		assertThat(this.pace.rewritesWaiting()).isTrue();
		this.pace.rewriting();
		assertThat(this.pace.rewritesWaiting()).isFalse();
		assertThat(this.pace.rewritesDue(seconds(600), 40_000)).isFalse();
	}

	@Test
	void aRecountMarksAtMostTheBacklogBeforeThoseWaitingAreRewritten() {
		assertThat(this.pace.room(0)).isEqualTo(40_000);
		assertThat(this.pace.room(39_000)).isEqualTo(1000);
		assertThat(this.pace.room(40_000)).isZero();
		UpkeepPace small = new UpkeepPace(settings(2), 0);
		assertThat(small.room(1)).isOne();
		assertThat(small.room(2)).isZero();
		// A backlog of none still lets a recount go on, one contact at a time.
		assertThat(new UpkeepPace(settings(0), 0).room(0)).isOne();
	}

	@Test
	void marksAreAbandonedOnceNoLiveInstanceWouldStillRewriteThem() {
		Instant now = Instant.parse("2026-01-01T12:00:00Z");
		assertThat(this.pace.touchesAbandonedBefore(now)).isEqualTo(Instant.parse("2026-01-01T11:59:30Z"));
		assertThat(this.pace.marksAbandonedBefore(now)).isEqualTo(Instant.parse("2026-01-01T11:58:30Z"));
	}

	private static ContactUpkeepSettings settings(int backlog) {
		return new ContactUpkeepSettings(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(20),
				Duration.ofSeconds(30), Duration.ofSeconds(3), Duration.ofSeconds(60), backlog);
	}

	private static long seconds(double seconds) {
		return (long) (seconds * 1_000_000_000L);
	}

}
