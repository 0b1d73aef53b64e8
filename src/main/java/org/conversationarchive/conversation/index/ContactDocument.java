package org.conversationarchive.conversation.index;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A contact as the contacts index holds it.
 *
 * @param org the org
 * @param contactId the contact's id
 * @param conversationCount its exact conversation count when last recounted
 * @param updatedAt when it was last recounted
 * @param stale whether some of its conversations may still store another count: they are
 * rewritten once writes pause (or a while later under a stream of writes), and until then
 * the Repeat contacts filter takes this contact's count from here
 */
public record ContactDocument(@Nullable String org, @Nullable String contactId, @Nullable Integer conversationCount,
		@Nullable Instant updatedAt, @Nullable Boolean stale) {
}
