package org.conversationarchive.ingest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.json.NdJsonpSerializable;
import co.elastic.clients.transport.ElasticsearchTransportBase;
import co.elastic.clients.transport.endpoints.SimpleEndpoint;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.NoCopyByteArrayOutputStream;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.io.JsonStringEncoder;

/**
 * A {@code _bulk} request whose body is written here, line by line, into a few large
 * buffers.
 * <p>
 * The typed client sends a bulk request as a list of buffers, one per action line and per
 * document, and its HTTP client hands them to the socket one at a time: a turn of the I/O
 * thread, a chunk header and often a write to the socket each, three or four for every
 * conversation. Here a buffer holds the lines of many operations, and stays below the
 * size the garbage collector allocates as a humongous object (half a region, 512 KB at
 * the least): those go straight to the old generation, and a stream of them started a
 * concurrent collection every few hundred milliseconds. The answer, read as the typed
 * client's {@link BulkResponse} (errors are its errors too), leaves out what nobody
 * reads.
 */
final class BulkBody implements NdJsonpSerializable {

	/**
	 * What is read of the answer: not each write's version, sequence number and shards.
	 */
	private static final String FILTER_PATH = "took,errors,items.*._index,items.*._id,items.*.status,items.*.error";

	private static final SimpleEndpoint<BulkBody, BulkResponse> ENDPOINT = new SimpleEndpoint<>("archive.bulk",
			(body) -> "POST", (body) -> "/_bulk", (body) -> Map.of(),
			(body) -> body.refresh ? Map.of("filter_path", FILTER_PATH, "refresh", "wait_for")
					: Map.of("filter_path", FILTER_PATH),
			(body) -> Map.of(), (body) -> body, BulkResponse._DESERIALIZER);

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

	private final List<BinaryData> closed = new ArrayList<>();

	private final boolean refresh;

	private @Nullable NoCopyByteArrayOutputStream out;

	/**
	 * An empty body.
	 * @param refresh whether the request waits until its writes are searchable
	 */
	BulkBody(boolean refresh) {
		this.refresh = refresh;
	}

	/**
	 * Adds a document to index (created or replaced).
	 * @param index the index
	 * @param id the document id
	 * @param routing the routing
	 * @param source writes the document's JSON, on one line, to the stream it is given
	 */
	void index(String index, String id, String routing, Consumer<OutputStream> source) {
		document(INDEX, index, id, routing, source);
	}

	/**
	 * Adds a document to create: it fails (409) if the index holds one with that id.
	 * @param index the index
	 * @param id the document id
	 * @param routing the routing
	 * @param source writes the document's JSON, on one line, to the stream it is given
	 */
	void create(String index, String id, String routing, Consumer<OutputStream> source) {
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
	void delete(String index, String id, String routing) {
		closeIfFull(action(DELETE, index, id, routing));
	}

	/**
	 * Sends the request.
	 * @param client the client
	 * @return Elasticsearch's answer, one item per operation in order
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	BulkResponse send(ElasticsearchClient client) throws IOException {
		if (this.out != null) {
			close(this.out);
		}
		return client._transport().performRequest(this, ENDPOINT, client._transportOptions());
	}

	/**
	 * The body's buffers, each of whole lines but the last line's end, which the client
	 * adds after each.
	 */
	@Override
	public Iterator<?> _serializables() {
		return this.closed.iterator();
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
		this.closed.add(BinaryData.of(out.array(), 0, out.size() - 1, ElasticsearchTransportBase.JSON_CONTENT_TYPE));
		this.out = null;
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

}
