package org.conversationarchive.conversation;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Year;
import java.time.ZoneOffset;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How conversations are kept.
 *
 * @param exactContactCountLimit up to this many conversations per contact, every
 * conversation document carries its contact's exact count; beyond it they carry limit + 1
 * and the exact count lives in the contacts index, so that a busy contact's next
 * conversation never rewrites all the others
 * @param maxStaleContacts the Repeat contacts filter reads the counts of contacts
 * recounted since their conversations were last rewritten from the contacts index; above
 * this many such contacts in an org it answers 503 (retry shortly) rather than send a
 * query that large
 * @param firstYear the earliest year (UTC) a conversation's times may be in: a backfill
 * of an old archive goes back this far
 * @param yearsAhead how many years after the current one a conversation's times may be in
 * (a clock set a little ahead, a conversation that ends after New Year). Each year is an
 * index of its own, shared by every org: the bounds keep any org from creating indices
 * for years no conversation has
 */
@ConfigurationProperties("archive.conversations")
public record ConversationSettings(@DefaultValue("10") int exactContactCountLimit,
		@DefaultValue("50000") int maxStaleContacts, @DefaultValue("1970") int firstYear,
		@DefaultValue("1") int yearsAhead) {

	public ConversationSettings {
		if (yearsAhead < 0) {
			throw new IllegalArgumentException("archive.conversations.years-ahead must not be negative");
		}
	}

	/**
	 * The last year (UTC) a conversation's times may be in: the current one plus
	 * {@link #yearsAhead()}, so the bound moves with the calendar.
	 * @return the year
	 */
	public int lastYear() {
		return Year.now(ZoneOffset.UTC).getValue() + this.yearsAhead;
	}

	/**
	 * The times a conversation may have now: from the start of {@link #firstYear()} to
	 * the end of {@link #lastYear()}, UTC.
	 * @return the span
	 */
	public Years years() {
		return new Years(this.firstYear, lastYear());
	}

	/**
	 * The years a conversation's times may be in.
	 *
	 * @param first the first year
	 * @param last the last year
	 */
	public record Years(int first, int last) {

		/**
		 * Whether an instant is in these years.
		 * @param instant a time of a conversation
		 * @return whether it is from the start of the first year to the end of the last
		 */
		public boolean contain(Instant instant) {
			long second = instant.getEpochSecond();
			return second >= start(this.first) && second < start(this.last + 1);
		}

		private static long start(int year) {
			return LocalDate.of(year, 1, 1).toEpochDay() * 86_400;
		}

	}

	/**
	 * What a conversation document stores for a contact with this many conversations.
	 * @param count the exact count
	 * @return the stored value
	 */
	public int storedContactCount(long count) {
		return (int) Math.min(count, this.exactContactCountLimit + 1L);
	}

}
