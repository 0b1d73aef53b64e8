package org.conversationarchive.ingest;

/**
 * The demo's conversations are in the archive: loaded now, or there already.
 *
 * @param loaded how many were loaded now (0 when the archive had conversations)
 */
public record DemoLoaded(long loaded) {
}
