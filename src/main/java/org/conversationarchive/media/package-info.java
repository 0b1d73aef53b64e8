/**
 * Call recordings and the files agents produce during a conversation: stored with it,
 * listed on it, served safely, deleted with it.
 */
@org.jspecify.annotations.NullMarked
package org.conversationarchive.media;
