package org.conversationarchive.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * Reads NDJSON line by line from a stream of any size, holding one line at a time and
 * never more than the line limit of it: a longer line is skipped to its end and reported
 * as oversized, so one bad line cannot exhaust memory.
 */
final class NdjsonLines {

	private final InputStream in;

	private final int maxLineBytes;

	private final ByteArrayOutputStream line = new ByteArrayOutputStream(8192);

	private final byte[] buffer = new byte[64 * 1024];

	private int position;

	private int limit;

	private long number;

	NdjsonLines(InputStream in, long maxLineBytes) {
		this.in = in;
		this.maxLineBytes = (int) Math.min(Integer.MAX_VALUE - 16, maxLineBytes);
	}

	/**
	 * One line of the input.
	 *
	 * @param number 1-based line number
	 * @param bytes the line without its line break, or {@code null} when oversized
	 * @param size the line's length in bytes
	 */
	record Line(long number, byte @Nullable [] bytes, long size) {

		boolean oversized() {
			return this.bytes == null;
		}

		boolean blank() {
			if (this.bytes == null) {
				return false;
			}
			for (byte b : this.bytes) {
				if (b != ' ' && b != '\t' && b != '\r') {
					return false;
				}
			}
			return true;
		}

	}

	/**
	 * The next line.
	 * @return the line, or {@code null} at the end of the input
	 * @throws IOException when the input cannot be read
	 */
	@Nullable Line next() throws IOException {
		this.line.reset();
		long size = 0;
		boolean ended = false;
		while (!ended) {
			if (this.position == this.limit) {
				this.limit = this.in.read(this.buffer);
				this.position = 0;
				if (this.limit <= 0) {
					this.limit = 0;
					if (size == 0) {
						return null;
					}
					break;
				}
			}
			int end = this.position;
			while (end < this.limit && this.buffer[end] != '\n') {
				end++;
			}
			int length = end - this.position;
			if (size + length <= this.maxLineBytes) {
				this.line.write(this.buffer, this.position, length);
			}
			size += length;
			ended = end < this.limit;
			this.position = ended ? end + 1 : end;
			if (ended && size == 0) {
				// An empty line: still a line, so numbers match the client's.
				break;
			}
		}
		this.number++;
		if (size > this.maxLineBytes) {
			return new Line(this.number, null, size);
		}
		byte[] bytes = this.line.toByteArray();
		if (bytes.length > 0 && bytes[bytes.length - 1] == '\r') {
			bytes = Arrays.copyOf(bytes, bytes.length - 1);
		}
		return new Line(this.number, bytes, size);
	}

}
