package org.conversationarchive.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

import org.conversationarchive.system.PayloadTooLargeException;

import org.springframework.core.io.Resource;

/**
 * Where the archive keeps files, addressed by relative paths whose first two segments are
 * an area and an org: {@code media/acme/call-1/audio.mp3},
 * {@code exports/acme/<export id>/conversations.csv}, {@code imports/acme/<id>/input}.
 * Every segment of a path is checked: no empty, {@code .} or {@code ..} segment, no
 * separators or control characters, nothing that resolves outside the store. Nothing
 * under an org's folder ({@code <area>/<org>}) leads out of it.
 * <p>
 * A write replaces the file at once or not at all: readers see the old content or the
 * new, never part of it, and a crash in the middle leaves the old file in place.
 */
public interface FileStore {

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
	 * Moves a finished file from the local disk into the store (an export written in
	 * place, chunk by chunk): renamed when the store is the local disk, uploaded in parts
	 * otherwise. The local file is gone afterwards.
	 * @param path where, relative to the store
	 * @param file the local file
	 * @return its size
	 * @throws IOException when it cannot be stored; the local file is left as it was
	 */
	long put(String path, Path file) throws IOException;

	/**
	 * A stored file, for reading (whole or in ranges: it can be opened more than once,
	 * and a read that starts by skipping reads only what follows).
	 * @param path where, relative to the store
	 * @return the file; {@link Resource#exists()} tells whether there is one
	 */
	Resource resource(String path);

	/**
	 * Whether a file is stored at a path.
	 * @param path where, relative to the store
	 * @return whether it exists
	 * @throws IOException when the store cannot be asked
	 */
	boolean exists(String path) throws IOException;

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

	/**
	 * A link that downloads a file straight from the store, without the service, when the
	 * store hands such links out and is set to.
	 * @param path where, relative to the store
	 * @param fileName the name to save it under
	 * @param contentType its type
	 * @return the link, valid for a short while; empty when files are served by the
	 * service
	 */
	Optional<URI> downloadLink(String path, String fileName, String contentType);

	/**
	 * Where a file is, for people (logs, an export's record).
	 * @param path where, relative to the store
	 * @return e.g. {@code /var/archive/exports/acme/…} or {@code s3://bucket/…}
	 */
	String location(String path);

}
