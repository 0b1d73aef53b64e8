package org.conversationarchive.analytics;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import org.conversationarchive.analytics.Dashboard.Period;
import org.jspecify.annotations.Nullable;

/**
 * The buckets of a range: their width, their time zone, and where each starts.
 *
 * @param range the range
 * @param interval the buckets' width
 * @param zone their time zone
 * @param starts where each starts, the first at or before the range's start
 */
record Frame(Period range, Interval interval, ZoneId zone, List<Instant> starts) {

	/**
	 * The buckets of a range.
	 * @param range the range
	 * @param interval the width, or {@code null} for the one that suits the range's
	 * length
	 * @param zone the time zone
	 * @return the frame
	 * @throws org.conversationarchive.system.InvalidInputException when it would have
	 * more than {@link Interval#MAX_BUCKETS} buckets
	 */
	static Frame of(Period range, @Nullable Interval interval, ZoneId zone) {
		Interval width = (interval != null) ? interval : Interval.auto(Duration.between(range.from(), range.to()));
		return new Frame(range, width, zone, width.starts(range.from(), range.to(), zone));
	}

}
