package org.conversationarchive.live;

import java.util.List;

import org.conversationarchive.conversation.Conversation.Message;
import org.conversationarchive.conversation.ConversationDocument;
import org.conversationarchive.conversation.LiveConversationsWriting;
import org.conversationarchive.conversation.SenderType;
import org.jspecify.annotations.Nullable;

/**
 * Where a live conversation is, as far as people's actions go: with the AI agent, queued
 * for a human, held by a person, or over. The platform tells the status (through the
 * ingest API); the archive knows who holds it.
 *
 * @param kind which
 * @param hold who holds it, when someone does
 */
record LiveState(Kind kind, Holds.@Nullable Hold hold) {

	enum Kind {

		/** In progress with the AI agent: the monitoring actions apply. */
		AI,

		/** Handed to a human (or enqueued) and held by nobody: the inbox's. */
		QUEUED,

		/** Held by a person: only theirs to reply to, hand back or end. */
		HELD,

		/** Not in progress. */
		OVER

	}

	static LiveState of(ConversationDocument conversation, Holds.@Nullable Hold hold) {
		if (!LiveConversationsWriting.live(conversation.status()) || conversation.endedAt() != null) {
			return new LiveState(Kind.OVER, null);
		}
		if (hold != null) {
			return new LiveState(Kind.HELD, hold);
		}
		return new LiveState((conversation.status() == org.conversationarchive.conversation.Status.HUMAN_HANDOFF)
				? Kind.QUEUED : Kind.AI, null);
	}

	/**
	 * Since when the customer has waited for a human: the first message after the last
	 * one a human agent sent (coaching, system and function messages aside), or the
	 * conversation's start if no one has written since.
	 * @param conversation the conversation
	 * @return the time, or {@code null} when a human agent's message is the last
	 */
	static java.time.@Nullable Instant waitingSince(ConversationDocument conversation) {
		List<Message> messages = conversation.transcript();
		java.time.Instant since = null;
		// Whether a human agent's message is the last one of a person or the AI agent
		// (system messages aside).
		boolean answered = false;
		for (Message message : messages) {
			if (message == null || message.senderType() == SenderType.COACHING
					|| message.senderType() == SenderType.FUNCTION) {
				continue;
			}
			if (message.senderType() == SenderType.HUMAN_AGENT) {
				since = null;
				answered = true;
				continue;
			}
			if (since == null) {
				since = (message.at() != null) ? message.at() : conversation.startedAt();
			}
			if (message.senderType() != SenderType.SYSTEM) {
				answered = false;
			}
		}
		if (answered) {
			return null;
		}
		return (since != null) ? since : conversation.startedAt();
	}

}
