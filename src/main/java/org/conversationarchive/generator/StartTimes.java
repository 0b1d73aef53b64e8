package org.conversationarchive.generator;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * When conversations start: anywhere in the range, but mostly on weekdays during the
 * company's working day (UTC), less in the evening and at weekends, rarely at night.
 */
final class StartTimes {

	/** Relative traffic per hour of the day, out of 100. */
	private static final int[] HOURS = { 4, 3, 3, 3, 4, 6, 12, 30, 70, 95, 100, 100, 85, 95, 100, 100, 90, 75, 55, 40,
			32, 25, 15, 8 };

	/** Relative traffic at weekends, out of 100. */
	private static final int WEEKEND = 35;

	private static final int TRIES = 24;

	private final long from;

	private final long span;

	StartTimes(Instant from, Instant to) {
		this.from = from.getEpochSecond();
		this.span = to.getEpochSecond() - this.from;
	}

	Instant next(Rng rng) {
		long second = this.from;
		for (int i = 0; i < TRIES && this.span > 0; i++) {
			second = this.from + rng.nextLong(this.span + 1);
			if (rng.nextInt(100 * 100) < weight(second)) {
				break;
			}
		}
		return Instant.ofEpochSecond(second);
	}

	private static int weight(long epochSecond) {
		LocalDateTime time = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
		DayOfWeek day = time.getDayOfWeek();
		int dayWeight = (day == DayOfWeek.SATURDAY || day == DayOfWeek.SUNDAY) ? WEEKEND : 100;
		return dayWeight * HOURS[time.getHour()];
	}

}
