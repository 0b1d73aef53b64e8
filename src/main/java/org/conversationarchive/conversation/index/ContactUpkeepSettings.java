package org.conversationarchive.conversation.index;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Pace of the contact-count upkeep. Bound under {@code archive.ingest}, as the settings
 * were named when ingest kept the counts, so that deployments keep theirs.
 *
 * @param contactUpkeepInterval how soon contacts touched by ingest are recounted once
 * writes pause
 * @param contactUpkeepMaxDelay how long writes that do not pause may put off storing the
 * counts of the contacts they touched: under a stream of writes this instance stores its
 * own estimate (the last count and what it wrote since), which needs no read of the
 * conversations
 * @param contactRecountMaxDelay how long writes that do not pause may put an exact
 * recount off (a refresh and an aggregation, which also see other instances' writes);
 * keep it below {@code contactRecoveryAge}, or other instances take the marks over
 * @param contactRecoveryAge a contact marked for recounting this long ago is recounted by
 * any instance (its writer may have died before it could)
 * @param countRewriteIdle how long writes must pause before the conversations of
 * recounted contacts get their stored count rewritten (until then the Repeat contacts
 * filter reads those contacts' counts from the contacts index)
 * @param countRewriteMaxDelay how long a stream of writes that never pauses may put those
 * rewrites off
 * @param countRewriteBacklog how many recounted contacts may wait for their rewrites
 * before they are done even while writes go on
 */
@ConfigurationProperties("archive.ingest")
record ContactUpkeepSettings(@DefaultValue("1s") Duration contactUpkeepInterval,
		@DefaultValue("5s") Duration contactUpkeepMaxDelay, @DefaultValue("20s") Duration contactRecountMaxDelay,
		@DefaultValue("30s") Duration contactRecoveryAge, @DefaultValue("3s") Duration countRewriteIdle,
		@DefaultValue("60s") Duration countRewriteMaxDelay, @DefaultValue("40000") int countRewriteBacklog) {
}
