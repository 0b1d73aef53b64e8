/**
 * The shared vocabulary: a conversation, its messages and their values, as the API and
 * the index know them.
 */
@org.jspecify.annotations.NullMarked
package org.conversationarchive.conversation;
