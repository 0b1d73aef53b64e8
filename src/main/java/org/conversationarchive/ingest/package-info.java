/**
 * Takes conversations in, once, with nothing lost: the upsert, bulk and append API, the
 * import job, the demo data, and the upkeep of each contact's conversation count.
 */
@org.jspecify.annotations.NullMarked
package org.conversationarchive.ingest;
