package org.conversationarchive.conversation;

/**
 * A conversation was deleted: whatever else belongs to it (audio, artifacts) goes too.
 *
 * @param org its org
 * @param id its id
 */
public record ConversationDeleted(String org, String id) {
}
