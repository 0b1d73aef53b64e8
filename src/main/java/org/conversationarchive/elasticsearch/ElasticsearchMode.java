package org.conversationarchive.elasticsearch;

/**
 * Whether the archive runs its own engine (the embedded default) or uses an external
 * cluster; some defaults differ between the two (demo data, for one).
 *
 * @param embedded {@code true} for the embedded default
 */
public record ElasticsearchMode(boolean embedded) {
}
