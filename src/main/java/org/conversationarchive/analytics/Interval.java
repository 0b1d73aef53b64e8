package org.conversationarchive.analytics;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import co.elastic.clients.elasticsearch._types.aggregations.CalendarInterval;
import org.conversationarchive.system.InvalidInputException;

/**
 * The width of the volume's buckets: a calendar hour, day, week (from Monday) or month in
 * a time zone, so a day across a change to summer time is 23 hours long.
 */
enum Interval {

	HOUR(CalendarInterval.Hour), DAY(CalendarInterval.Day), WEEK(CalendarInterval.Week), MONTH(CalendarInterval.Month);

	/**
	 * The most buckets an answer has: a chart of more is unreadable, and each bucket is
	 * one in every split value's and emotion's series too.
	 */
	static final int MAX_BUCKETS = 1000;

	final CalendarInterval calendar;

	Interval(CalendarInterval calendar) {
		this.calendar = calendar;
	}

	String json() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Reads the {@code interval} parameter.
	 * @param value its value
	 * @return the interval
	 * @throws InvalidInputException naming the parameter
	 */
	static Interval of(String value) {
		for (Interval interval : values()) {
			if (interval.json().equals(value)) {
				return interval;
			}
		}
		throw new InvalidInputException("parameter interval: '" + value + "' is not one of hour, day, week, month");
	}

	/**
	 * The interval for a range when none is asked: at most 2 days by the hour, 62 by the
	 * day, 366 by the week, longer by the month.
	 * @param length the range's length
	 * @return the interval
	 */
	static Interval auto(Duration length) {
		if (length.compareTo(Duration.ofDays(2)) <= 0) {
			return HOUR;
		}
		if (length.compareTo(Duration.ofDays(62)) <= 0) {
			return DAY;
		}
		if (length.compareTo(Duration.ofDays(366)) <= 0) {
			return WEEK;
		}
		return MONTH;
	}

	/**
	 * The start of the bucket an instant falls in: the local hour, midnight, Monday's
	 * midnight or first of the month it is in.
	 * @param instant the instant
	 * @param zone the time zone
	 * @return the bucket's start
	 */
	ZonedDateTime floor(Instant instant, ZoneId zone) {
		ZonedDateTime local = instant.atZone(zone);
		return switch (this) {
			case HOUR -> local.truncatedTo(ChronoUnit.HOURS);
			case DAY -> local.truncatedTo(ChronoUnit.DAYS);
			case WEEK -> local.truncatedTo(ChronoUnit.DAYS).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
			case MONTH -> local.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
		};
	}

	private ZonedDateTime next(ZonedDateTime start) {
		return switch (this) {
			// On the timeline: a day that turns the clocks back has 25 hourly buckets.
			case HOUR -> start.plusHours(1);
			case DAY -> floor(start.plusDays(1).toInstant(), start.getZone());
			case WEEK -> floor(start.plusWeeks(1).toInstant(), start.getZone());
			case MONTH -> floor(start.plusMonths(1).toInstant(), start.getZone());
		};
	}

	/**
	 * The starts of the buckets that cover a range, the first at or before its start.
	 * @param from the range's start
	 * @param to the range's end (exclusive)
	 * @param zone the time zone
	 * @return the starts, none for an empty range
	 * @throws InvalidInputException when there would be more than {@link #MAX_BUCKETS}
	 */
	List<Instant> starts(Instant from, Instant to, ZoneId zone) {
		List<Instant> starts = new ArrayList<>();
		if (!from.isBefore(to)) {
			return starts;
		}
		for (ZonedDateTime start = floor(from, zone); start.toInstant().isBefore(to); start = next(start)) {
			if (starts.size() == MAX_BUCKETS) {
				throw new InvalidInputException("parameter interval: " + json() + " from " + from + " to " + to
						+ " makes more than " + MAX_BUCKETS + " buckets; choose a shorter range (from, to)"
						+ ((this != MONTH) ? " or a longer interval" : ""));
			}
			starts.add(start.toInstant());
		}
		return starts;
	}

}
