package org.conversationarchive.export;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.conversationarchive.storage.FileStore;
import org.conversationarchive.storage.StoredFile;
import org.junit.jupiter.api.Test;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.DescriptiveResource;
import org.springframework.core.io.Resource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An export's segments in the object store: a restart on another instance goes on after
 * the last committed chunk, and what a chunk that never committed wrote is replaced,
 * never kept. (The store here is a map; the S3 store itself is tested against S3Proxy.)
 */
class SegmentWriterTests {

	final Map<String, byte[]> objects = new TreeMap<>();

	final FileStore files = new InMemory(this.objects);

	@Test
	void aRestartGoesOnAfterTheLastCommittedChunkAndReplacesWhatCameAfter() throws IOException {
		ExecutionContext committed = new ExecutionContext();
		SegmentWriter first = new SegmentWriter(this.files, "exports/acme/e1/rows.csv.segments", "\uFEFFID");
		first.open(committed);
		first.update(committed);
		first.write(Chunk.of("a", "b"));
		first.update(committed);
		// The next chunk is written, and the instance dies before its commit.
		first.write(Chunk.of("c", "d"));
		ExecutionContext saved = new ExecutionContext(committed);

		SegmentWriter second = new SegmentWriter(this.files, "exports/acme/e1/rows.csv.segments", "\uFEFFID");
		second.open(saved);
		second.write(Chunk.of("c", "d", "e"));
		second.update(saved);

		assertThat(saved.getInt(SegmentWriter.COUNT)).isEqualTo(3);
		assertThat(content(saved.getInt(SegmentWriter.COUNT))).isEqualTo("\uFEFFID\r\na\r\nb\r\nc\r\nd\r\ne\r\n");
	}

	@Test
	void aFreshStartClearsWhatAnEarlierRunLeftAndWritesTheHeader() throws IOException {
		this.objects.put("exports/acme/e1/rows.csv.segments/000000007", "stale".getBytes(StandardCharsets.UTF_8));
		ExecutionContext context = new ExecutionContext();
		SegmentWriter writer = new SegmentWriter(this.files, "exports/acme/e1/rows.csv.segments", "\uFEFFID");
		writer.open(context);
		writer.update(context);

		assertThat(this.objects.keySet()).containsExactly("exports/acme/e1/rows.csv.segments/000000000");
		assertThat(content(context.getInt(SegmentWriter.COUNT))).isEqualTo("\uFEFFID\r\n");
	}

	private String content(int count) throws IOException {
		try (InputStream in = SegmentWriter.concatenated(this.files, "exports/acme/e1/rows.csv.segments", count)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	private record InMemory(Map<String, byte[]> objects) implements FileStore {

		@Override
		public StoredFile write(String path, InputStream content, long maxBytes) throws IOException {
			byte[] bytes = content.readAllBytes();
			this.objects.put(path, bytes);
			return new StoredFile(bytes.length, "");
		}

		@Override
		public long put(String path, Path file) throws IOException {
			try (InputStream in = Files.newInputStream(file)) {
				return write(path, in, Long.MAX_VALUE).size();
			}
		}

		@Override
		public Resource resource(String path) {
			byte[] bytes = this.objects.get(path);
			return (bytes != null) ? new ByteArrayResource(bytes) : new DescriptiveResource(path);
		}

		@Override
		public boolean exists(String path) {
			return this.objects.containsKey(path);
		}

		@Override
		public boolean delete(String path) {
			return this.objects.remove(path) != null;
		}

		@Override
		public void deleteTree(String path) {
			this.objects.keySet().removeIf((key) -> key.startsWith(path + "/"));
		}

		@Override
		public int removeAbandonedWrites(String path) {
			return 0;
		}

		@Override
		public Optional<URI> downloadLink(String path, String fileName, String contentType) {
			return Optional.empty();
		}

		@Override
		public String location(String path) {
			return "memory:" + path;
		}

	}

}
