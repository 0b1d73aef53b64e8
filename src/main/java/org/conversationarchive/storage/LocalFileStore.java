package org.conversationarchive.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.conversationarchive.system.Folders;
import org.conversationarchive.system.PayloadTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.util.FileSystemUtils;

/**
 * The {@link FileStore} on the local file system, under the data directory. A write goes
 * to a temporary file next to its target, is flushed to disk, and is then renamed over
 * the target in one atomic step; the directory is flushed too, so the rename survives a
 * power cut. A temporary file nobody has written to for a while is a crashed write's
 * leftover and is removed by the next write into its directory (or a sweep at start).
 */
class LocalFileStore implements FileStore {

	private static final Logger logger = LoggerFactory.getLogger(LocalFileStore.class);

	private static final String TEMPORARY_SUFFIX = ".partial";

	private static final Pattern TEMPORARY = Pattern.compile(
			"\\..+\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}" + Pattern.quote(TEMPORARY_SUFFIX));

	private static final int BUFFER_SIZE = 64 * 1024;

	private final Path root;

	private final Duration abandonedAfter;

	/**
	 * A store under a directory.
	 * @param root the directory
	 * @param abandonedAfter a temporary file not written to for this long belongs to a
	 * write that died: every live write touches its file at least once a buffer, much
	 * more often than this
	 */
	LocalFileStore(Path root, Duration abandonedAfter) {
		this.root = root.toAbsolutePath().normalize();
		this.abandonedAfter = abandonedAfter;
	}

	@Override
	public StoredFile write(String path, InputStream content, long maxBytes) throws IOException {
		Path target = resolve(path);
		Path directory = target.getParent();
		Files.createDirectories(directory);
		removeAbandoned(directory);
		Path temporary = directory.resolve("." + target.getFileName() + "." + UUID.randomUUID() + TEMPORARY_SUFFIX);
		MessageDigest digest = sha256();
		long size = 0;
		boolean moved = false;
		try {
			try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
					StandardOpenOption.WRITE)) {
				byte[] buffer = new byte[BUFFER_SIZE];
				for (int read = content.read(buffer); read != -1; read = content.read(buffer)) {
					size += read;
					if (size > maxBytes) {
						throw new PayloadTooLargeException(
								"the content is larger than the limit of " + maxBytes + " bytes");
					}
					digest.update(buffer, 0, read);
					ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, read);
					while (chunk.hasRemaining()) {
						out.write(chunk);
					}
				}
				out.force(true);
			}
			Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			moved = true;
		}
		finally {
			if (!moved) {
				Files.deleteIfExists(temporary);
			}
		}
		syncDirectory(directory);
		return new StoredFile(size, HexFormat.of().formatHex(digest.digest()));
	}

	@Override
	public long put(String path, Path file) throws IOException {
		Path target = resolve(path);
		Files.createDirectories(target.getParent());
		long size = Files.size(file);
		try {
			Files.move(file, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (AtomicMoveNotSupportedException ex) {
			// On another file system: copied beside the target and renamed, as any write.
			try (InputStream content = Files.newInputStream(file)) {
				write(path, content, Long.MAX_VALUE);
			}
			Files.delete(file);
			return size;
		}
		syncDirectory(target.getParent());
		return size;
	}

	@Override
	public Resource resource(String path) {
		return new FileSystemResource(resolve(path));
	}

	@Override
	public boolean exists(String path) {
		return Files.isRegularFile(resolve(path));
	}

	@Override
	public boolean delete(String path) throws IOException {
		return Files.deleteIfExists(resolve(path));
	}

	@Override
	public void deleteTree(String path) throws IOException {
		FileSystemUtils.deleteRecursively(resolve(path));
	}

	@Override
	public Optional<URI> downloadLink(String path, String fileName, String contentType) {
		return Optional.empty();
	}

	@Override
	public String location(String path) {
		return resolve(path).toString();
	}

	@Override
	public int removeAbandonedWrites(String path) throws IOException {
		Path directory = resolve(path);
		if (!Files.isDirectory(directory)) {
			return 0;
		}
		int[] removed = new int[1];
		Files.walkFileTree(directory, new SimpleFileVisitor<>() {

			@Override
			public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
				removed[0] += removeAbandoned(dir);
				return FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult visitFileFailed(Path file, IOException ex) {
				// Deleted while walking (a conversation deleted meanwhile): nothing to
				// do.
				return FileVisitResult.CONTINUE;
			}

		});
		return removed[0];
	}

	private int removeAbandoned(Path directory) throws IOException {
		Instant before = Instant.now().minus(this.abandonedAfter);
		int removed = 0;
		try (DirectoryStream<Path> files = Files.newDirectoryStream(directory,
				(file) -> TEMPORARY.matcher(file.getFileName().toString()).matches())) {
			for (Path file : files) {
				try {
					if (Files.isRegularFile(file) && Files.getLastModifiedTime(file).toInstant().isBefore(before)) {
						Files.deleteIfExists(file);
						logger.info("Removed {}, left by a write that did not finish", file);
						removed++;
					}
				}
				catch (NoSuchFileException ex) {
					// Removed by another instance meanwhile.
				}
			}
		}
		return removed;
	}

	/**
	 * The file a relative path names, refusing anything that could leave the store.
	 */
	Path resolve(String path) {
		StorePaths.checked(path);
		Path resolved = this.root.resolve(path).normalize();
		if (!resolved.startsWith(this.root) || resolved.equals(this.root)) {
			throw new IllegalArgumentException("path outside the file store: '" + path + "'");
		}
		// Its first two segments are its org's folder (<area>/<org>): a link inside that
		// folder must not lead out of it, to another org's files or anywhere else.
		String[] segments = path.split("/", 3);
		Path folder = (segments.length >= 2) ? this.root.resolve(segments[0]).resolve(segments[1]) : this.root;
		if (!Folders.holds(folder, resolved)) {
			throw new IllegalArgumentException("path leads out of its folder through a link: '" + path + "'");
		}
		return resolved;
	}

	private static void syncDirectory(Path directory) {
		try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
			channel.force(true);
		}
		catch (IOException ex) {
			// Not every file system can flush a directory; the rename is atomic still.
			logger.debug("Could not flush directory {}: {}", directory, ex.toString());
		}
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every JDK has SHA-256", ex);
		}
	}

}
