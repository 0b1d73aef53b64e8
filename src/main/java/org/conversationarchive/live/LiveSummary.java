package org.conversationarchive.live;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.conversationarchive.conversation.Conversation.Message;
import org.conversationarchive.conversation.Conversation.Sentiment;
import org.conversationarchive.conversation.ConversationDocument;
import org.conversationarchive.conversation.Platform;
import org.conversationarchive.conversation.SenderType;
import org.conversationarchive.conversation.Status;
import org.jspecify.annotations.Nullable;

/**
 * A conversation as the live list shows it: who, how long, its latest message and
 * strongest emotion, where it is (with the AI agent, queued, held, over) and who holds
 * it.
 *
 * @param id the conversation
 * @param platform its channel
 * @param status its status
 * @param state {@code ai}, {@code queued}, {@code held} or {@code over}
 * @param contact who it is with
 * @param agent the AI agent's name
 * @param queue the human queue it is in, if any
 * @param startedAt when it started
 * @param durationSeconds how long it has gone on (up to now while live)
 * @param lastMessage its latest message, the text cut to 280 characters
 * @param emotion its strongest emotion, if any
 * @param heldBy who holds it
 * @param heldSince since when
 * @param waitingSince since when the customer waits for a human, when queued or held and
 * not answered
 * @param messageCount how many messages it has
 */
record LiveSummary(String id, Platform platform, @Nullable Status status, String state, @Nullable String contact,
		@Nullable String agent, @Nullable String queue, Instant startedAt, long durationSeconds,
		@Nullable LastMessage lastMessage, @Nullable Sentiment emotion, @Nullable String heldBy,
		@Nullable Instant heldSince, @Nullable Instant waitingSince, int messageCount) {

	static final int TEXT = 280;

	record LastMessage(@Nullable Instant at, @Nullable SenderType senderType, @Nullable String senderName,
			@Nullable String text) {
	}

	static LiveSummary of(ConversationDocument conversation, Holds.@Nullable Hold hold, Instant now) {
		LiveState state = LiveState.of(conversation, hold);
		List<Message> messages = conversation.transcript();
		Message last = null;
		for (Message message : messages) {
			if (message != null && message.senderType() != SenderType.COACHING) {
				last = message;
			}
		}
		long duration = (state.kind() != LiveState.Kind.OVER)
				? Math.max(0, Duration.between(conversation.startedAt(), now).toSeconds())
				: ((conversation.durationSeconds() != null) ? conversation.durationSeconds() : 0);
		Sentiment strongest = null;
		if (conversation.sentiment() != null) {
			for (Sentiment sentiment : conversation.sentiment()) {
				if (sentiment != null && sentiment.score() != null
						&& (strongest == null || sentiment.score() > strongest.score())) {
					strongest = sentiment;
				}
			}
		}
		Instant waiting = (state.kind() == LiveState.Kind.QUEUED || state.kind() == LiveState.Kind.HELD)
				? LiveState.waitingSince(conversation) : null;
		return new LiveSummary(conversation.id(), conversation.platform(), conversation.status(),
				state.kind().name().toLowerCase(java.util.Locale.ROOT),
				(conversation.contact() != null) ? conversation.contact().display() : null,
				(conversation.agent() != null) ? conversation.agent().name() : null, conversation.queue(),
				conversation.startedAt(), duration,
				(last != null) ? new LastMessage(last.at(), last.senderType(), last.senderName(), cut(last.text()))
						: null,
				strongest, (state.hold() != null) ? state.hold().holder() : null,
				(state.hold() != null) ? state.hold().since() : null, waiting, messages.size());
	}

	private static @Nullable String cut(@Nullable String text) {
		return (text == null || text.length() <= TEXT) ? text : text.substring(0, TEXT - 1) + "…";
	}

}
