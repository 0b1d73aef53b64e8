/**
 * Takes conversations in, once, with nothing lost: the upsert, bulk, append and delete
 * API, the import job and the demo data, written through conversation's
 * {@code ConversationWriter}.
 */
@org.jspecify.annotations.NullMarked
package org.conversationarchive.ingest;
