package org.conversationarchive.conversation;

import java.time.Instant;
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
	 * Whether an instant is in the years a conversation may have.
	 * @param instant a time of a conversation
	 * @return whether it is from {@link #firstYear()} to {@link #lastYear()}
	 */
	public boolean inYears(Instant instant) {
		int year = instant.atOffset(ZoneOffset.UTC).getYear();
		return year >= this.firstYear && year <= lastYear();
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
