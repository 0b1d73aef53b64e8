package org.conversationarchive.conversation.index;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bulk body produces the very bytes it holds to a connection that takes a little at a
 * time, and again from the start when a request is retried.
 */
class BulkBodyTests {

	@Test
	void producesEveryBufferInOrderToAConnectionThatTakesALittleAtATime() throws IOException {
		BulkBody.Body body = body(3000);
		ByteArrayOutputStream written = new ByteArrayOutputStream();
		body.writeTo(written);
		assertThat(written.size()).isEqualTo(body.getContentLength()).isGreaterThan(3 * 256 * 1024);

		Connection connection = new Connection(1000);
		produceAll(body, connection);
		assertThat(connection.received.toByteArray()).isEqualTo(written.toByteArray());
	}

	@Test
	void producesTheWholeBodyAgainWhenSentAgainBeforeItsResourcesAreReleased() throws IOException {
		BulkBody.Body body = body(500);
		// Sent whole to a node that dropped the connection without answering; the client
		// sends it to another before it releases the first try's resources.
		produceAll(body, new Connection(64 * 1024));
		assertThat(body.available()).isEqualTo(body.getContentLength());
		Connection retry = new Connection(64 * 1024);
		produceAll(body, retry);
		ByteArrayOutputStream written = new ByteArrayOutputStream();
		body.writeTo(written);
		assertThat(retry.received.toByteArray()).isEqualTo(written.toByteArray());
	}

	@Test
	void producesTheWholeBodyAgainAfterItsResourcesAreReleased() throws IOException {
		BulkBody.Body body = body(500);
		Connection first = new Connection(7000);
		// A connection that fails halfway: the retry starts over.
		body.produce(first);
		body.produce(first);
		body.releaseResources();
		assertThat(body.available()).isEqualTo(body.getContentLength());
		Connection retry = new Connection(64 * 1024);
		produceAll(body, retry);
		ByteArrayOutputStream written = new ByteArrayOutputStream();
		body.writeTo(written);
		assertThat(retry.received.toByteArray()).isEqualTo(written.toByteArray());
	}

	private static BulkBody.Body body(int documents) {
		BulkBody bulk = new BulkBody(false);
		for (int i = 0; i < documents; i++) {
			String source = "{\"id\":\"c-" + i + "\",\"text\":\"" + "x".repeat(i % 700) + "\"}";
			bulk.create("archive-conversations-2025", "org:c-" + i, "org", (out) -> {
				try {
					out.write(source.getBytes(StandardCharsets.UTF_8));
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			});
		}
		bulk.delete("archive-conversations-2024", "org:c-0", "org");
		return bulk.entity();
	}

	private static void produceAll(BulkBody.Body body, Connection connection) throws IOException {
		for (int calls = 0; !connection.ended; calls++) {
			assertThat(calls).as("produce calls").isLessThan(100_000);
			body.produce(connection);
		}
	}

	/**
	 * Takes at most so many bytes a write, and a write a produce call, as a busy socket.
	 */
	private static final class Connection implements DataStreamChannel {

		private final int perWrite;

		final ByteArrayOutputStream received = new ByteArrayOutputStream();

		boolean ended;

		private boolean wroteThisTurn;

		Connection(int perWrite) {
			this.perWrite = perWrite;
		}

		@Override
		public int write(ByteBuffer source) {
			if (this.wroteThisTurn) {
				this.wroteThisTurn = false;
				return 0;
			}
			this.wroteThisTurn = true;
			int n = Math.min(this.perWrite, source.remaining());
			byte[] bytes = new byte[n];
			source.get(bytes);
			this.received.writeBytes(bytes);
			return n;
		}

		@Override
		public void requestOutput() {
		}

		@Override
		public void endStream(List<? extends Header> trailers) {
			this.ended = true;
		}

		@Override
		public void endStream() {
			this.ended = true;
		}

	}

}
