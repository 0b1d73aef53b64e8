package org.conversationarchive.export;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.NoSuchElementException;

import org.conversationarchive.storage.FileStore;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;

/**
 * Writes an export's lines to the object store as one segment per chunk
 * ({@code <file>.segments/000000000}, the header first), and counts the segments with the
 * chunk's commit. A restart, on any instance, goes on with the segment after the last one
 * committed, overwriting what a chunk that failed before its commit left; the finished
 * file is the committed segments in order ({@link #concatenated}). Object stores take no
 * appends, and a multipart upload's parts must be 5 MB (a chunk is seldom that) and
 * cannot outlive the instance that holds its upload.
 */
class SegmentWriter implements ItemStreamWriter<String> {

	static final String COUNT = "segments.count";

	private static final byte[] LINE_END = { '\r', '\n' };

	private final FileStore files;

	private final String folder;

	private final String header;

	private int count;

	/**
	 * A writer into a folder of segments.
	 * @param files the store
	 * @param folder the folder of the segments
	 * @param header the file's first line (without its end)
	 */
	SegmentWriter(FileStore files, String folder, String header) {
		this.files = files;
		this.folder = folder;
		this.header = header;
	}

	static String folder(String file) {
		return file + ".segments";
	}

	static String segment(String folder, int number) {
		return folder + "/" + String.format("%09d", number);
	}

	@Override
	public void open(ExecutionContext context) {
		if (context.containsKey(COUNT)) {
			this.count = context.getInt(COUNT);
			return;
		}
		try {
			this.files.deleteTree(this.folder);
		}
		catch (IOException ex) {
			throw new ItemStreamException("Could not clear " + this.files.location(this.folder), ex);
		}
		ByteArrayOutputStream first = new ByteArrayOutputStream();
		first.writeBytes(this.header.getBytes(StandardCharsets.UTF_8));
		first.writeBytes(LINE_END);
		store(first);
	}

	@Override
	public void write(Chunk<? extends String> lines) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		for (String line : lines) {
			bytes.writeBytes(line.getBytes(StandardCharsets.UTF_8));
			bytes.writeBytes(LINE_END);
		}
		store(bytes);
	}

	@Override
	public void update(ExecutionContext context) {
		context.putInt(COUNT, this.count);
	}

	private void store(ByteArrayOutputStream bytes) {
		try {
			this.files.write(segment(this.folder, this.count), new ByteArrayInputStream(bytes.toByteArray()),
					Long.MAX_VALUE);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.count++;
	}

	/**
	 * The file the committed segments make, read one segment after the other.
	 * @param files the store
	 * @param folder the folder of the segments
	 * @param count how many were committed
	 * @return the file's content
	 */
	static InputStream concatenated(FileStore files, String folder, int count) {
		return new SequenceInputStream(new Enumeration<InputStream>() {

			private int next;

			@Override
			public boolean hasMoreElements() {
				return this.next < count;
			}

			@Override
			public InputStream nextElement() {
				if (this.next >= count) {
					throw new NoSuchElementException();
				}
				try {
					return files.resource(segment(folder, this.next++)).getInputStream();
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}

		});
	}

}
