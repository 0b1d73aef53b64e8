package org.conversationarchive.ingest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.transport.ElasticsearchTransportBase;
import co.elastic.clients.transport.endpoints.SimpleEndpoint;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.NoCopyByteArrayOutputStream;
import tools.jackson.core.io.JsonStringEncoder;

/**
 * A {@code _bulk} request whose body is written here, line by line, into one buffer.
 * <p>
 * The typed client sends a bulk request as a list of buffers, one per action line and per
 * document, and its HTTP client hands them to the socket one at a time: a turn of the I/O
 * thread, a chunk header and often a write to the socket each, three or four for every
 * conversation. One buffer is sent in as few writes as the socket takes. The answer, read
 * as the typed client's {@link BulkResponse} (errors are its errors too), leaves out what
 * nobody reads.
 */
final class BulkBody {

	/**
	 * What is read of the answer: not each write's version, sequence number and shards.
	 */
	private static final String FILTER_PATH = "took,errors,items.*._index,items.*._id,items.*.status,items.*.error";

	private static final SimpleEndpoint<BulkBody, BulkResponse> ENDPOINT = new SimpleEndpoint<>("archive.bulk",
			(body) -> "POST", (body) -> "/_bulk", (body) -> Map.of(),
			(body) -> body.refresh ? Map.of("filter_path", FILTER_PATH, "refresh", "wait_for")
					: Map.of("filter_path", FILTER_PATH),
			(body) -> Map.of(),
			(body) -> BinaryData.of(body.out.array(), 0, body.out.size(), ElasticsearchTransportBase.JSON_CONTENT_TYPE),
			BulkResponse._DESERIALIZER);

	private static final JsonStringEncoder ENCODER = JsonStringEncoder.getInstance();

	private static final byte[] INDEX = ascii("{\"index\":{\"_index\":\"");

	private static final byte[] DELETE = ascii("{\"delete\":{\"_index\":\"");

	private static final byte[] ID = ascii("\",\"_id\":\"");

	private static final byte[] ROUTING = ascii("\",\"routing\":\"");

	private static final byte[] END = ascii("\"}}\n");

	private final NoCopyByteArrayOutputStream out;

	private final boolean refresh;

	/**
	 * A body for about this many bytes of documents.
	 * @param expectedBytes what the documents are expected to take, to size the buffer
	 * @param refresh whether the request waits until its writes are searchable
	 */
	BulkBody(int expectedBytes, boolean refresh) {
		this.out = new NoCopyByteArrayOutputStream(Math.max(1024, expectedBytes));
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
		action(INDEX, index, id, routing);
		source.accept(this.out);
		this.out.write('\n');
	}

	/**
	 * Adds a document to delete.
	 * @param index the index
	 * @param id the document id
	 * @param routing the routing
	 */
	void delete(String index, String id, String routing) {
		action(DELETE, index, id, routing);
	}

	/**
	 * Sends the request.
	 * @param client the client
	 * @return Elasticsearch's answer, one item per operation in order
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	BulkResponse send(ElasticsearchClient client) throws IOException {
		return client._transport().performRequest(this, ENDPOINT, client._transportOptions());
	}

	private void action(byte[] start, String index, String id, String routing) {
		this.out.writeBytes(start);
		this.out.writeBytes(ENCODER.quoteAsUTF8(index));
		this.out.writeBytes(ID);
		this.out.writeBytes(ENCODER.quoteAsUTF8(id));
		this.out.writeBytes(ROUTING);
		this.out.writeBytes(ENCODER.quoteAsUTF8(routing));
		this.out.writeBytes(END);
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

}
