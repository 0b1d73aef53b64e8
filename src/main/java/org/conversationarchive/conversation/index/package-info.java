/**
 * The conversations and contacts indices' internals: how documents are written to them
 * and how each contact's conversation count is kept.
 */
@org.jspecify.annotations.NullMarked
package org.conversationarchive.conversation.index;
