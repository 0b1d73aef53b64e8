package org.conversationarchive.ingest;

import org.conversationarchive.conversation.Conversation;
import org.jspecify.annotations.Nullable;

/**
 * One conversation read from an import file, or why the line at its start could not be.
 *
 * @param line the 1-based line of the file where it starts
 * @param conversation the conversation, when it could be read
 * @param id its id, when known
 * @param error what is wrong, when it could not be read
 */
record ImportRecord(long line, @Nullable Conversation conversation, @Nullable String id, @Nullable String error) {

	static ImportRecord of(long line, ConversationParser.Parsed parsed) {
		return new ImportRecord(line, parsed.conversation(), parsed.id(), parsed.error());
	}

	static ImportRecord invalid(long line, @Nullable String id, String error) {
		return new ImportRecord(line, null, id, error);
	}

}
