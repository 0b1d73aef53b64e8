package org.conversationarchive.conversation;

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
 */
@ConfigurationProperties("archive.conversations")
public record ConversationSettings(@DefaultValue("10") int exactContactCountLimit,
		@DefaultValue("50000") int maxStaleContacts) {

	/**
	 * What a conversation document stores for a contact with this many conversations.
	 * @param count the exact count
	 * @return the stored value
	 */
	public int storedContactCount(long count) {
		return (int) Math.min(count, this.exactContactCountLimit + 1L);
	}

}
