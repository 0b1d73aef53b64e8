/**
 * Elasticsearch plumbing: the embedded engine, the client, index names and the index
 * templates installed at start.
 */
@org.jspecify.annotations.NullMarked
package org.conversationarchive.elasticsearch;
