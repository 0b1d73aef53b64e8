package org.conversationarchive.review;

import java.time.Instant;

/**
 * A rule that notifies flagged a conversation: its owner hears of it in the app and the
 * org's webhooks receive {@code rule.flagged}.
 *
 * @param org the org
 * @param ruleId the rule
 * @param ruleName its name
 * @param owner who made it
 * @param conversationId the conversation flagged
 * @param reason the flag's reason
 * @param severity the flag's severity
 * @param at when
 */
public record RuleFlagged(String org, String ruleId, String ruleName, String owner, String conversationId,
		String reason, String severity, Instant at) {
}
