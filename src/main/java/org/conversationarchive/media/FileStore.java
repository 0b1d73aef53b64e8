package org.conversationarchive.media;

import java.io.IOException;
import java.io.InputStream;

import org.conversationarchive.system.PayloadTooLargeException;

import org.springframework.core.io.Resource;

/**
 * Where the archive keeps media files (call recordings, artifacts), addressed by relative
 * paths such as {@code media/acme/call-1/audio.mp3}. Every segment of a path is checked:
 * no empty, {@code .} or {@code ..} segment, no separators or control characters, nothing
 * that resolves outside the store. The first two segments name an org's folder
 * ({@code media/<org>}): nothing under it leads out of it, through a symbolic link
 * either.
 * <p>
 * A write replaces the file at once or not at all: readers see the old content or the
 * new, never part of it, and a crash in the middle leaves the old file in place.
 */
interface FileStore {

	/**
	 * Stores a file, streaming it: never more than a buffer of it in memory.
	 * @param path where, relative to the store
	 * @param content the bytes, read to their end (not closed)
	 * @param maxBytes the most the file may hold
	 * @return its size and checksum
	 * @throws PayloadTooLargeException when the content has more than {@code maxBytes};
	 * nothing is stored
	 * @throws IOException when the file cannot be written; nothing is stored
	 */
	StoredFile write(String path, InputStream content, long maxBytes) throws IOException;

	/**
	 * A stored file, for reading (whole or in ranges: it can be opened more than once).
	 * @param path where, relative to the store
	 * @return the file; {@link Resource#exists()} tells whether there is one
	 */
	Resource resource(String path);

	/**
	 * Whether a file is stored at a path.
	 * @param path where, relative to the store
	 * @return whether it exists
	 */
	boolean exists(String path);

	/**
	 * Deletes one file.
	 * @param path where, relative to the store
	 * @return whether there was one
	 * @throws IOException when it cannot be deleted
	 */
	boolean delete(String path) throws IOException;

	/**
	 * Deletes a directory and everything under it; nothing when there is none.
	 * @param path where, relative to the store
	 * @throws IOException when something in it cannot be deleted
	 */
	void deleteTree(String path) throws IOException;

	/**
	 * Removes what writes that died half-way (a crashed instance) left under a directory.
	 * Writes still going on are not disturbed.
	 * @param path the directory, relative to the store
	 * @return how many leftovers were removed
	 * @throws IOException when the directory cannot be read
	 */
	int removeAbandonedWrites(String path) throws IOException;

}
