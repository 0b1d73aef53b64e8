package org.conversationarchive.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.conversationarchive.system.PayloadTooLargeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The local file store: atomic, checksummed, bounded writes, and paths that cannot leave
 * it.
 */
class LocalFileStoreTests {

	@TempDir
	Path root;

	LocalFileStore store() {
		return new LocalFileStore(this.root, Duration.ofMinutes(10));
	}

	@Test
	void writesTheFileWithItsSizeAndChecksum() throws Exception {
		byte[] content = "hello, archive".getBytes(StandardCharsets.UTF_8);
		StoredFile stored = store().write("media/acme/c1/audio.mp3", new ByteArrayInputStream(content), 1024);
		assertThat(stored.size()).isEqualTo(content.length);
		assertThat(stored.sha256())
			.isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
		assertThat(this.root.resolve("media/acme/c1/audio.mp3")).hasBinaryContent(content);
		assertThat(store().resource("media/acme/c1/audio.mp3").contentLength()).isEqualTo(content.length);
		assertThat(store().exists("media/acme/c1/audio.mp3")).isTrue();
		assertThat(files(this.root.resolve("media/acme/c1"))).containsExactly("audio.mp3");
	}

	@Test
	void aStreamThatFailsHalfWayLeavesNoFileAndNoTemporaryFile() {
		assertThatExceptionOfType(IOException.class)
			.isThrownBy(() -> store().write("media/acme/c1/audio.mp3", failingAfter(100_000), Long.MAX_VALUE))
			.withMessage("connection reset");
		assertThat(this.root.resolve("media/acme/c1/audio.mp3")).doesNotExist();
		assertThat(files(this.root.resolve("media/acme/c1"))).isEmpty();
	}

	@Test
	void aFailedWriteOverAnExistingFileLeavesTheOldOneIntact() throws IOException {
		byte[] old = "the old recording".getBytes(StandardCharsets.UTF_8);
		store().write("media/acme/c1/audio.mp3", new ByteArrayInputStream(old), 1024);
		assertThatExceptionOfType(IOException.class)
			.isThrownBy(() -> store().write("media/acme/c1/audio.mp3", failingAfter(100_000), Long.MAX_VALUE));
		assertThatExceptionOfType(RuntimeException.class)
			.isThrownBy(() -> store().write("media/acme/c1/audio.mp3", new InputStream() {
				@Override
				public int read() {
					throw new IllegalStateException("not an MP3");
				}
			}, Long.MAX_VALUE));
		assertThat(this.root.resolve("media/acme/c1/audio.mp3")).hasBinaryContent(old);
		assertThat(files(this.root.resolve("media/acme/c1"))).containsExactly("audio.mp3");
	}

	@Test
	void contentOverTheLimitIsRefusedWhileItStreams() throws IOException {
		// Endless: only a store that stops reading at the limit comes back.
		InputStream endless = new InputStream() {
			@Override
			public int read() {
				return 'x';
			}

			@Override
			public int read(byte[] bytes, int offset, int length) {
				java.util.Arrays.fill(bytes, offset, offset + length, (byte) 'x');
				return length;
			}
		};
		assertThatExceptionOfType(PayloadTooLargeException.class)
			.isThrownBy(() -> store().write("media/acme/c1/big", endless, 1_000_000))
			.withMessage("the content is larger than the limit of 1000000 bytes");
		assertThat(files(this.root.resolve("media/acme/c1"))).isEmpty();

		byte[] exactly = new byte[1000];
		assertThat(store().write("media/acme/c1/exact", new ByteArrayInputStream(exactly), 1000).size())
			.isEqualTo(1000);
	}

	@Test
	void pathsThatCouldLeaveTheStoreAreRefused() {
		for (String path : List.of("", "/etc/passwd", "../outside", "media/../../outside", "media/./x", "media//x",
				"media/x/", "media\\..\\x", "media/a\u0000b", "..", ".")) {
			assertThatIllegalArgumentException().as(path).isThrownBy(() -> store().resource(path));
		}
		assertThat(store().resolve("media/.hidden/x:y")).isEqualTo(this.root.resolve("media/.hidden/x:y"));
	}

	@Test
	void aLinkInsideAnOrgsFolderNeverLeadsOutOfIt() throws IOException {
		byte[] theirs = "another org's recording".getBytes(StandardCharsets.UTF_8);
		store().write("media/other/c1/audio.mp3", new ByteArrayInputStream(theirs), 1024);
		Path outside = Files.createDirectories(this.root.resolve("elsewhere"));
		Files.createDirectories(this.root.resolve("media/acme"));
		Files.createSymbolicLink(this.root.resolve("media/acme/c1"), this.root.resolve("media/other/c1"));
		Files.createSymbolicLink(this.root.resolve("media/acme/c2"), outside);
		for (String path : List.of("media/acme/c1/audio.mp3", "media/acme/c2/audio.mp3", "media/acme/c2/new/x")) {
			assertThatIllegalArgumentException().as(path).isThrownBy(() -> store().resource(path));
			assertThatIllegalArgumentException().as(path)
				.isThrownBy(() -> store().write(path, new ByteArrayInputStream(new byte[1]), 1024));
		}
		assertThat(this.root.resolve("media/other/c1/audio.mp3")).hasBinaryContent(theirs);
		try (Stream<Path> files = Files.list(outside)) {
			assertThat(files).isEmpty();
		}
	}

	@Test
	void theStoreOrAnOrgsFolderMayItselfBeALink() throws IOException {
		// An operator's other disk: the data directory, or one org's folder, linked
		// there.
		Path disk = Files.createDirectories(this.root.resolve("disk"));
		Files.createDirectories(disk.resolve("acme"));
		Files.createDirectories(this.root.resolve("data/media"));
		Files.createSymbolicLink(this.root.resolve("data/media/acme"), disk.resolve("acme"));
		Path linkedRoot = Files.createSymbolicLink(this.root.resolve("linked"), this.root.resolve("data"));
		LocalFileStore store = new LocalFileStore(linkedRoot, Duration.ofMinutes(10));
		store.write("media/acme/c1/audio.mp3", new ByteArrayInputStream(new byte[] { 1, 2, 3 }), 1024);
		assertThat(disk.resolve("acme/c1/audio.mp3")).hasBinaryContent(new byte[] { 1, 2, 3 });
		assertThat(store.exists("media/acme/c1/audio.mp3")).isTrue();
	}

	@Test
	void leftoversOfDeadWritesAreRemovedByTheNextWriteAndBySweeps() throws IOException {
		Path directory = Files.createDirectories(this.root.resolve("media/acme/c1"));
		Path dead = directory.resolve(".audio.mp3.0b6f3e2a-8c1d-4d2e-9f3a-1b2c3d4e5f60.partial");
		Path live = directory.resolve(".other.0b6f3e2a-8c1d-4d2e-9f3a-1b2c3d4e5f61.partial");
		Path conversationNamedLikeOne = directory.resolve(".x.0b6f3e2a-8c1d-4d2e-9f3a-1b2c3d4e5f62.partial");
		Files.writeString(dead, "half");
		Files.writeString(live, "still coming");
		Files.createDirectories(conversationNamedLikeOne);
		FileTime longAgo = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
		Files.setLastModifiedTime(dead, longAgo);
		Files.setLastModifiedTime(conversationNamedLikeOne, longAgo);

		store().write("media/acme/c1/audio.mp3", new ByteArrayInputStream(new byte[10]), 100);
		assertThat(dead).doesNotExist();
		assertThat(live).exists();
		assertThat(conversationNamedLikeOne).isDirectory();

		Path deeper = Files.createDirectories(this.root.resolve("media/acme/c2/artifacts"));
		Path deadDeeper = deeper.resolve(".a1.0b6f3e2a-8c1d-4d2e-9f3a-1b2c3d4e5f63.partial");
		Files.writeString(deadDeeper, "half");
		Files.setLastModifiedTime(deadDeeper, longAgo);
		assertThat(store().removeAbandonedWrites("media")).isEqualTo(1);
		assertThat(deadDeeper).doesNotExist();
		assertThat(live).exists();
		assertThat(store().removeAbandonedWrites("exports")).isZero();
	}

	@Test
	void treesAndFilesAreDeleted() throws IOException {
		store().write("media/acme/c1/audio.mp3", new ByteArrayInputStream(new byte[10]), 100);
		store().write("media/acme/c1/artifacts/a1", new ByteArrayInputStream(new byte[10]), 100);
		store().write("media/acme/c2/audio.mp3", new ByteArrayInputStream(new byte[10]), 100);
		assertThat(store().delete("media/acme/c2/audio.mp3")).isTrue();
		assertThat(store().delete("media/acme/c2/audio.mp3")).isFalse();
		store().deleteTree("media/acme/c1");
		store().deleteTree("media/acme/none");
		assertThat(this.root.resolve("media/acme/c1")).doesNotExist();
		assertThat(store().exists("media/acme/c1/audio.mp3")).isFalse();
		assertThat(store().resource("media/acme/c1/audio.mp3").exists()).isFalse();
	}

	private static InputStream failingAfter(int bytes) {
		return new SequenceInputStream(new ByteArrayInputStream(new byte[bytes]), new InputStream() {
			@Override
			public int read() throws IOException {
				throw new IOException("connection reset");
			}
		});
	}

	private static List<String> files(Path directory) {
		if (!Files.isDirectory(directory)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(directory)) {
			return files.map((file) -> file.getFileName().toString()).sorted().toList();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
