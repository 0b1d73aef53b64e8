package org.conversationarchive.review;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

import org.conversationarchive.search.Filter;
import org.conversationarchive.system.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/v1/rules/_backtest}: a rule not saved yet (its name may be
 * left out) and the window to try it on, by default the last 30 days in UTC. A saved
 * rule's backtest ({@code POST /api/v1/rules/{id}/_backtest}) takes only the window.
 *
 * @param name the rule's name, if it has one
 * @param filter the conversations it flags
 * @param actions what it does (whether it notifies counts)
 * @param from the window's start, an ISO-8601 instant or a day (its start in the zone)
 * @param to the window's end (exclusive), an instant or a day (the end of that day)
 * @param timeZone the zone of the window's days, an IANA id
 */
record BacktestRequest(@Nullable String name, @Nullable Filter filter, RuleRequest.@Nullable ActionsRequest actions,
		@Nullable String from, @Nullable String to, @Nullable String timeZone) {

	static final String EXAMPLE = "{\"filter\": {\"platforms\": [\"voice\"], \"content\": {\"query\": \"refund\"}}, "
			+ "\"from\": \"2026-11-01\", \"to\": \"2026-11-30\", \"timeZone\": \"Europe/Paris\"}";

	/**
	 * A backtest's window.
	 */
	record Window(Instant from, Instant to, ZoneId zone) {

		/**
		 * Reads a window, each part from the body or else from the query string.
		 * @param from the start, if given
		 * @param to the end, if given
		 * @param timeZone the zone, if given
		 * @param defaultLength the window's length when its start is not given
		 * @param now now
		 * @return the window
		 * @throws InvalidInputException naming the part that is wrong
		 */
		static Window of(@Nullable String from, @Nullable String to, @Nullable String timeZone,
				java.time.Duration defaultLength, Instant now) {
			ZoneId zone = zone(timeZone);
			Instant end = (to != null) ? instant("to", to, zone, true) : now;
			Instant start = (from != null) ? instant("from", from, zone, false) : end.minus(defaultLength);
			if (!start.isBefore(end)) {
				throw new InvalidInputException("from: " + start + " is not before to (" + end + ")");
			}
			if (java.time.Duration.between(start, end).toDays() > 3660) {
				throw new InvalidInputException("from: the window is more than ten years long; shorten it");
			}
			return new Window(start, end, zone);
		}

		private static ZoneId zone(@Nullable String timeZone) {
			if (timeZone == null || timeZone.isBlank()) {
				return ZoneId.of("UTC");
			}
			try {
				return ZoneId.of(timeZone.trim());
			}
			catch (java.time.DateTimeException ex) {
				throw new InvalidInputException("timeZone: '" + timeZone
						+ "' is not a time zone (an IANA zone id such as Europe/Paris, or UTC)");
			}
		}

		private static Instant instant(String name, String value, ZoneId zone, boolean end) {
			String trimmed = value.trim();
			try {
				return Instant.parse(trimmed);
			}
			catch (DateTimeParseException notInstant) {
				try {
					LocalDate day = LocalDate.parse(trimmed);
					return (end ? day.plusDays(1) : day).atStartOfDay(zone).toInstant();
				}
				catch (DateTimeParseException notDay) {
					throw new InvalidInputException(name + ": '" + value
							+ "' is neither an ISO-8601 instant (2026-11-01T00:00:00Z) nor a day (2026-11-01)");
				}
			}
		}

	}

}
