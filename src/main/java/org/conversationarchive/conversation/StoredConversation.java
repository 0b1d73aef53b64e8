package org.conversationarchive.conversation;

/**
 * A conversation document as Elasticsearch holds it: where, and at which version, for
 * writes that must not lose a concurrent one.
 *
 * @param index the concrete index
 * @param seqNo the document's sequence number
 * @param primaryTerm the document's primary term
 * @param document the document (whole, or the fields that were asked for)
 */
public record StoredConversation(String index, long seqNo, long primaryTerm, ConversationDocument document) {
}
