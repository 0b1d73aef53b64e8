/**
 * The conversation and its store: the records the API and the index share, and the one
 * owner of the conversations and contacts indices (writes, reads, searches and walks).
 * How documents are encoded and counts kept is internal, in {@code index}.
 */
@org.jspecify.annotations.NullMarked
package org.conversationarchive.conversation;
