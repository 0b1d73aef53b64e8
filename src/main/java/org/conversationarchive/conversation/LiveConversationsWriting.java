package org.conversationarchive.conversation;

import java.util.Map;

/**
 * Conversations that are live (in progress or handed to a human), or were until this
 * write, are about to be written. Published just before the write is sent, so that those
 * watching them see it as soon as it is applied rather than once it is searchable (a
 * write that answers once searchable waits for the next refresh, seconds later): a reader
 * knows the write is applied when the stored sequence number passes the one given.
 *
 * @param org their org
 * @param seqNoBefore conversation id to the sequence number of the version the write
 * replaces, {@code -1} when it creates the conversation (or does not know)
 */
public record LiveConversationsWriting(String org, Map<String, Long> seqNoBefore) {

	/**
	 * Whether a conversation of this status is one people watch as it happens.
	 * @param status its status
	 * @return whether it is in progress or handed to a human
	 */
	public static boolean live(@org.jspecify.annotations.Nullable Status status) {
		return status == Status.IN_PROGRESS || status == Status.HUMAN_HANDOFF;
	}

}
