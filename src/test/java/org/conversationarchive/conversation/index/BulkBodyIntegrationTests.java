package org.conversationarchive.conversation.index;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.bulk.OperationType;
import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.elasticsearch.ArchiveIndices;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A bulk body against the real engine: every operation arrives as written, and each
 * failed one answers with its error.
 */
@ArchiveIntegrationTest
class BulkBodyIntegrationTests {

	@Autowired
	ElasticsearchClient elasticsearch;

	@Autowired
	ArchiveIndices indices;

	final String run = UUID.randomUUID().toString().substring(0, 8);

	@Test
	void aBulkBodyCarriesEveryOperationAsWritten() throws IOException {
		String index = this.indices.prefix() + "-bulk-body-" + this.run;
		String tricky = "quote\" backslash\\ tab\t é " + this.run;
		String plain = "plain-" + this.run;
		BulkBody body = new BulkBody(true);
		body.index(index, tricky, "org \"x\"", source("{\"text\":\"one é\"}"));
		body.index(index, plain, "r", source("{\"text\":\"two\"}"));
		body.delete(index, plain, "r");
		// Enough to fill several of the body's buffers: every line arrives whole.
		String text = "x".repeat(1000);
		for (int i = 0; i < 600; i++) {
			body.index(index, "many-" + i, "r", source("{\"text\":\"" + text + "\",\"n\":" + i + "}"));
		}
		try {
			BulkResponse response = body.send(this.elasticsearch);
			assertThat(response.errors()).isFalse();
			assertThat(response.items()).hasSize(603);
			assertThat(response.items().subList(0, 3))
				.extracting(BulkResponseItem::operationType, BulkResponseItem::index, BulkResponseItem::id,
						BulkResponseItem::status)
				.containsExactly(tuple(OperationType.Index, index, tricky, 201),
						tuple(OperationType.Index, index, plain, 201), tuple(OperationType.Delete, index, plain, 200));
			assertThat(response.items().get(602).id()).isEqualTo("many-599");
			// Sent with refresh=wait_for: searchable as soon as it is answered.
			assertThat(this.elasticsearch.count((count) -> count.index(index)).count()).isEqualTo(601);
			assertThat(this.elasticsearch
				.count((count) -> count.index(index)
					.query((query) -> query
						.range((range) -> range.number((number) -> number.field("n").gte(0.0).lte(599.0)))))
				.count()).isEqualTo(600);
			assertThat(this.elasticsearch.get((get) -> get.index(index).id(tricky).routing("org \"x\""), Map.class)
				.source()).isEqualTo(Map.of("text", "one é"));
		}
		finally {
			this.elasticsearch.indices().delete((delete) -> delete.index(index).ignoreUnavailable(true));
		}
	}

	@Test
	void aBulkBodyAnswersEachFailedOperationWithItsError() throws IOException {
		String index = this.indices.prefix() + "-bulk-body-errors-" + this.run;
		BulkBody body = new BulkBody(false);
		body.index(index, "number", "r", source("{\"n\":1}"));
		body.index(index, "not-a-number", "r", source("{\"n\":\"many\"}"));
		try {
			BulkResponse response = body.send(this.elasticsearch);
			assertThat(response.errors()).isTrue();
			assertThat(response.items().get(0).error()).isNull();
			assertThat(response.items().get(1).status()).isEqualTo(400);
			assertThat(response.items().get(1).error().type()).isEqualTo("document_parsing_exception");
			assertThat(response.items().get(1).error().reason()).contains("[n]");
		}
		finally {
			this.elasticsearch.indices().delete((delete) -> delete.index(index).ignoreUnavailable(true));
		}
	}

	private static Consumer<OutputStream> source(String json) {
		return (out) -> {
			try {
				out.write(json.getBytes(StandardCharsets.UTF_8));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		};
	}

}
