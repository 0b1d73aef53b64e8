package org.conversationarchive.conversation.index;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.json.JsonpMapper;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Request;
import co.elastic.clients.transport.rest5_client.low_level.Response;
import co.elastic.clients.transport.rest5_client.low_level.ResponseException;
import co.elastic.clients.util.NoCopyByteArrayOutputStream;
import jakarta.json.stream.JsonParser;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.AbstractHttpEntity;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.io.JsonStringEncoder;

/**
 * A {@code _bulk} request whose body is written here, line by line, into a few large
 * buffers, rather than the typed client's buffer per line, each a turn of its I/O thread.
 * A buffer stays below the size G1 allocates as a humongous object (half a region), and
 * the request goes with its length, not chunked, which Elasticsearch handles more cheaply
 * (see bench/README.md). The answer, read as the typed client's {@link BulkResponse},
 * leaves out what nobody reads.
 */
public final class BulkBody {

	/**
	 * What is read of the answer: not each write's version, sequence number and shards.
	 */
	private static final String FILTER_PATH = "took,errors,items.*._index,items.*._id,items.*.status,items.*.error";

	private static final ContentType NDJSON = ContentType.create("application/x-ndjson");

	/**
	 * A buffer is closed once an operation takes it past this size...
	 */
	private static final int CLOSE_AT = 192 * 1024;

	/**
	 * ... so that, allocated at this size, it grows only for an operation larger than the
	 * difference.
	 */
	private static final int CAPACITY = 256 * 1024;

	private static final JsonStringEncoder ENCODER = JsonStringEncoder.getInstance();

	private static final byte[] INDEX = ascii("{\"index\":{\"_index\":\"");

	private static final byte[] DELETE = ascii("{\"delete\":{\"_index\":\"");

	private static final byte[] CREATE = ascii("{\"create\":{\"_index\":\"");

	private static final byte[] ID = ascii("\",\"_id\":\"");

	private static final byte[] ROUTING = ascii("\",\"routing\":\"");

	private static final byte[] END = ascii("\"}}\n");

	private final List<NoCopyByteArrayOutputStream> closed = new ArrayList<>();

	private final boolean refresh;

	private @Nullable NoCopyByteArrayOutputStream out;

	/**
	 * An empty body.
	 * @param refresh whether the request waits until its writes are searchable
	 */
	public BulkBody(boolean refresh) {
		this.refresh = refresh;
	}

	/**
	 * Adds a document to index (created or replaced).
	 * @param index the index
	 * @param id the document id
	 * @param routing the routing
	 * @param source writes the document's JSON, on one line, to the stream it is given
	 */
	public void index(String index, String id, String routing, Consumer<OutputStream> source) {
		document(INDEX, index, id, routing, source);
	}

	/**
	 * Adds a document to create: it fails (409) if the index holds one with that id.
	 * @param index the index
	 * @param id the document id
	 * @param routing the routing
	 * @param source writes the document's JSON, on one line, to the stream it is given
	 */
	public void create(String index, String id, String routing, Consumer<OutputStream> source) {
		document(CREATE, index, id, routing, source);
	}

	private void document(byte[] operation, String index, String id, String routing, Consumer<OutputStream> source) {
		NoCopyByteArrayOutputStream out = action(operation, index, id, routing);
		source.accept(out);
		out.write('\n');
		closeIfFull(out);
	}

	/**
	 * Adds a document to delete.
	 * @param index the index
	 * @param id the document id
	 * @param routing the routing
	 */
	public void delete(String index, String id, String routing) {
		closeIfFull(action(DELETE, index, id, routing));
	}

	/**
	 * Sends the request.
	 * @param client the client, on the REST 5 client's transport
	 * @return Elasticsearch's answer, one item per operation in order
	 * @throws IOException when Elasticsearch cannot be reached or cannot take the request
	 * now (429, 502, 503, 504)
	 */
	public BulkResponse send(ElasticsearchClient client) throws IOException {
		if (!(client._transport() instanceof Rest5ClientTransport transport)) {
			throw new IllegalStateException(
					"bulk bodies go through the REST 5 client, not " + client._transport().getClass().getName());
		}
		Request request = new Request("POST", "/_bulk");
		request.addParameter("filter_path", FILTER_PATH);
		if (this.refresh) {
			request.addParameter("refresh", "wait_for");
		}
		request.setEntity(entity());
		Response response;
		try {
			response = transport.restClient().performRequest(request);
		}
		catch (ResponseException ex) {
			int status = ex.getResponse().getStatusCode();
			if (status == 429 || status == 502 || status == 503 || status == 504) {
				throw ex;
			}
			throw new IllegalStateException("Elasticsearch refused a bulk request: " + ex.getMessage(), ex);
		}
		JsonpMapper mapper = client._jsonpMapper();
		try (InputStream in = response.getEntity().getContent();
				JsonParser parser = mapper.jsonProvider().createParser(in)) {
			return BulkResponse._DESERIALIZER.deserialize(parser, mapper);
		}
	}

	/**
	 * The body as it is sent: every operation added so far.
	 */
	Body entity() {
		if (this.out != null) {
			close(this.out);
		}
		return new Body(this.closed);
	}

	private NoCopyByteArrayOutputStream action(byte[] start, String index, String id, String routing) {
		NoCopyByteArrayOutputStream out = this.out;
		if (out == null) {
			out = new NoCopyByteArrayOutputStream(CAPACITY);
			this.out = out;
		}
		out.writeBytes(start);
		out.writeBytes(ENCODER.quoteAsUTF8(index));
		out.writeBytes(ID);
		out.writeBytes(ENCODER.quoteAsUTF8(id));
		out.writeBytes(ROUTING);
		out.writeBytes(ENCODER.quoteAsUTF8(routing));
		out.writeBytes(END);
		return out;
	}

	private void closeIfFull(NoCopyByteArrayOutputStream out) {
		if (out.size() >= CLOSE_AT) {
			close(out);
		}
	}

	private void close(NoCopyByteArrayOutputStream out) {
		this.closed.add(out);
		this.out = null;
	}

	/**
	 * The buffers as one request body of a known length, read in order. It is also the
	 * producer the asynchronous HTTP client writes to the connection from, buffer by
	 * buffer, so that the body is not copied out of a stream in small pieces.
	 */
	static final class Body extends AbstractHttpEntity implements AsyncEntityProducer {

		private final List<NoCopyByteArrayOutputStream> buffers;

		private final long length;

		/** The buffer the connection takes next. */
		private int current;

		/**
		 * What the connection has not taken yet of that buffer, once it started on it.
		 */
		private @Nullable ByteBuffer producing;

		Body(List<NoCopyByteArrayOutputStream> buffers) {
			super(NDJSON, null, false);
			this.buffers = buffers;
			this.length = buffers.stream().mapToLong(NoCopyByteArrayOutputStream::size).sum();
		}

		@Override
		public long getContentLength() {
			return this.length;
		}

		@Override
		public InputStream getContent() {
			return new SequenceInputStream(Collections.enumeration(this.buffers.stream()
				.map((buffer) -> (InputStream) new ByteArrayInputStream(buffer.array(), 0, buffer.size()))
				.toList()));
		}

		@Override
		public void writeTo(OutputStream out) throws IOException {
			for (NoCopyByteArrayOutputStream buffer : this.buffers) {
				out.write(buffer.array(), 0, buffer.size());
			}
		}

		@Override
		public boolean isRepeatable() {
			return true;
		}

		@Override
		public boolean isStreaming() {
			return false;
		}

		@Override
		public synchronized int available() {
			long left = (this.producing != null) ? this.producing.remaining() : 0;
			for (int i = this.current + ((this.producing != null) ? 1 : 0); i < this.buffers.size(); i++) {
				left += this.buffers.get(i).size();
			}
			return (int) Math.min(Integer.MAX_VALUE, left);
		}

		@Override
		public synchronized void produce(DataStreamChannel channel) throws IOException {
			while (this.current < this.buffers.size()) {
				if (this.producing == null) {
					NoCopyByteArrayOutputStream buffer = this.buffers.get(this.current);
					this.producing = ByteBuffer.wrap(buffer.array(), 0, buffer.size());
				}
				channel.write(this.producing);
				if (this.producing.hasRemaining()) {
					// The connection takes no more now; it asks again when it can.
					return;
				}
				this.producing = null;
				this.current++;
			}
			channel.endStream();
			// Sent whole: the client may send the request again to another node (this one
			// dropped the connection before answering), and releaseResources may come
			// only
			// after that try began, which would then send no body under its length and
			// wait.
			this.current = 0;
		}

		@Override
		public void failed(Exception cause) {
			releaseResources();
		}

		/**
		 * Starts over: a retried request produces the body again from its start.
		 */
		@Override
		public synchronized void releaseResources() {
			this.current = 0;
			this.producing = null;
		}

		@Override
		public void close() {
		}

	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

}
