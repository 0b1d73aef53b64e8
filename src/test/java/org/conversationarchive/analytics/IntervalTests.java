package org.conversationarchive.analytics;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.conversationarchive.system.InvalidInputException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The interval chosen for a range, and the buckets of a range in a time zone.
 */
class IntervalTests {

	private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

	@Test
	void theIntervalSuitsTheRangesLength() {
		assertThat(Interval.auto(Duration.ZERO)).isEqualTo(Interval.HOUR);
		assertThat(Interval.auto(Duration.ofDays(2))).isEqualTo(Interval.HOUR);
		assertThat(Interval.auto(Duration.ofDays(2).plusMillis(1))).isEqualTo(Interval.DAY);
		assertThat(Interval.auto(Duration.ofDays(62))).isEqualTo(Interval.DAY);
		assertThat(Interval.auto(Duration.ofDays(62).plusMillis(1))).isEqualTo(Interval.WEEK);
		assertThat(Interval.auto(Duration.ofDays(366))).isEqualTo(Interval.WEEK);
		assertThat(Interval.auto(Duration.ofDays(366).plusMillis(1))).isEqualTo(Interval.MONTH);
		assertThat(Interval.auto(Duration.ofDays(3650))).isEqualTo(Interval.MONTH);
	}

	@Test
	void daysStartAtLocalMidnightSoTheDayClocksGoForwardIs23HoursLong() {
		assertThat(Interval.DAY.starts(Instant.parse("2025-03-29T10:00:00Z"), Instant.parse("2025-04-01T00:00:00Z"),
				PARIS))
			.containsExactly(Instant.parse("2025-03-28T23:00:00Z"), Instant.parse("2025-03-29T23:00:00Z"),
					Instant.parse("2025-03-30T22:00:00Z"), Instant.parse("2025-03-31T22:00:00Z"));
	}

	@Test
	void hoursFollowTheTimelineAcrossAChangeOfTheClocks() {
		// 02:00 local does not exist on 30 March 2025 in Paris; 02:00 happens twice on
		// 26 October.
		assertThat(Interval.HOUR.starts(Instant.parse("2025-03-30T00:30:00Z"), Instant.parse("2025-03-30T02:00:00Z"),
				PARIS))
			.containsExactly(Instant.parse("2025-03-30T00:00:00Z"), Instant.parse("2025-03-30T01:00:00Z"));
		assertThat(Interval.HOUR.starts(Instant.parse("2025-10-26T00:00:00Z"), Instant.parse("2025-10-26T02:00:00Z"),
				PARIS))
			.containsExactly(Instant.parse("2025-10-26T00:00:00Z"), Instant.parse("2025-10-26T01:00:00Z"));
		// Half-hour offsets: the local hour, not the UTC one.
		assertThat(Interval.HOUR.starts(Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2025-01-01T01:00:00Z"),
				ZoneId.of("Asia/Kolkata")))
			.containsExactly(Instant.parse("2024-12-31T23:30:00Z"), Instant.parse("2025-01-01T00:30:00Z"));
	}

	@Test
	void weeksStartOnMondayAndMonthsOnTheFirst() {
		assertThat(Interval.WEEK.starts(Instant.parse("2025-03-27T23:00:00Z"), Instant.parse("2025-04-01T22:00:00Z"),
				PARIS))
			.containsExactly(Instant.parse("2025-03-23T23:00:00Z"), Instant.parse("2025-03-30T22:00:00Z"));
		assertThat(Interval.MONTH.starts(Instant.parse("2025-01-15T00:00:00Z"), Instant.parse("2025-03-01T00:00:00Z"),
				ZoneOffset.UTC))
			.containsExactly(Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2025-02-01T00:00:00Z"));
	}

	@Test
	void anEmptyRangeHasNoBuckets() {
		Instant at = Instant.parse("2025-03-01T00:00:00Z");
		assertThat(Interval.DAY.starts(at, at, PARIS)).isEmpty();
	}

	@Test
	void moreThanAThousandBucketsAreRefusedNamingTheInterval() {
		Instant from = Instant.parse("2025-01-01T00:00:00Z");
		assertThat(Interval.HOUR.starts(from, from.plus(Duration.ofHours(1000)), ZoneOffset.UTC)).hasSize(1000);
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(
					() -> Interval.HOUR.starts(from, from.plus(Duration.ofHours(1000)).plusMillis(1), ZoneOffset.UTC))
			.withMessageStartingWith("parameter interval: hour");
	}

	@Test
	void theParameterTakesTheFourIntervalsOnly() {
		assertThat(Interval.of("week")).isEqualTo(Interval.WEEK);
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> Interval.of("fortnight"))
			.withMessage("parameter interval: 'fortnight' is not one of hour, day, week, month");
	}

}
