package org.conversationarchive.search;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.conversationarchive.conversation.Conversation.Contact;
import org.conversationarchive.conversation.Conversation.Ref;
import org.conversationarchive.conversation.Conversation.Signals;
import org.conversationarchive.conversation.Direction;
import org.conversationarchive.conversation.Environment;
import org.conversationarchive.conversation.Platform;
import org.conversationarchive.conversation.SenderType;
import org.conversationarchive.conversation.Status;
import org.jspecify.annotations.Nullable;

/**
 * One row of the conversations table: its columns (ID, Platform, Contact, Status, Flow,
 * Duration, Last Message, Date, Flagged, Functions, Parameters, Tags, and the review
 * signals' Turns, Longest Silence, Failed Functions, Customer Repeats), a few more facts
 * the table's switches use, and for a content search the messages that matched.
 *
 * @param highlights the best-matching messages in the transcript's order, with the
 * matches marked
 */
public record ConversationRow(String id, Platform platform, @Nullable String pointOfContact, @Nullable Contact contact,
		@Nullable Status status, @Nullable Ref flow, @Nullable Long durationSeconds, @Nullable Instant lastMessageAt,
		Instant startedAt, @Nullable Boolean flagged, @Nullable List<String> functions,
		@Nullable Map<String, String> parameters, @Nullable Map<String, Object> tags, @Nullable Direction direction,
		@Nullable Environment environment, @Nullable Ref agent, @Nullable Boolean liveAgentHandled,
		@Nullable Signals signals, @Nullable List<Highlight> highlights) {

	/**
	 * A message that matched the content query.
	 *
	 * @param at when it was sent
	 * @param senderType who sent it
	 * @param offsetSeconds how far into the conversation it was said, in seconds (where
	 * its recording plays it)
	 * @param fragments parts of its text around the matches, HTML-escaped, matches in
	 * {@code <mark>}
	 */
	public record Highlight(@Nullable Instant at, @Nullable SenderType senderType, @Nullable Double offsetSeconds,
			List<String> fragments) {
	}

}
