package org.conversationarchive.storage;

/**
 * A file as it was stored.
 *
 * @param size its length in bytes
 * @param sha256 the SHA-256 of its content, as lower-case hex
 */
public record StoredFile(long size, String sha256) {
}
