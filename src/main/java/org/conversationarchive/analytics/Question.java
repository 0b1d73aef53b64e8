package org.conversationarchive.analytics;

import java.time.ZoneId;
import java.util.List;

import org.conversationarchive.search.Filter;
import org.jspecify.annotations.Nullable;

/**
 * What the analytics are asked for.
 *
 * @param filters the filters, all of which conversations must match (a view's and the
 * request's); their start times are the range
 * @param zone the time zone of the buckets
 * @param interval the buckets' width, or {@code null} for the one that suits the range
 * @param split what the volume is split by, or {@code null}
 */
record Question(List<Filter> filters, ZoneId zone, @Nullable Interval interval, @Nullable Split split) {

}
