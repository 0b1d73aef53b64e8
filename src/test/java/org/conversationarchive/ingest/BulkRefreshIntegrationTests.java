package org.conversationarchive.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.elasticsearch.ArchiveIndices;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ?refresh=true} keeps its word: when the answer comes, every line it accepted is
 * searchable, whichever batch and yearly index it went to. Indices here refresh only when
 * asked (an hour apart), so nothing is searchable by luck.
 */
@ArchiveIntegrationTest(properties = { "archive.elasticsearch.index-prefix=bulk-refresh",
		"archive.elasticsearch.refresh-interval=1h", "archive.ingest.batch-size=20" })
class BulkRefreshIntegrationTests {

	@Autowired
	RestTestClient http;

	@Autowired
	ElasticsearchClient elasticsearch;

	@Autowired
	ArchiveIndices indices;

	@Autowired
	JsonMapper json;

	final String run = UUID.randomUUID().toString().substring(0, 8);

	@Test
	void everyLineOfABulkOfManyBatchesIsSearchableWhenItIsAnswered() throws IOException {
		// In time order, as backfills come: the last batches write only the last year's
		// index, the first ones only the earlier years'.
		List<String> ids = new ArrayList<>();
		StringBuilder ndjson = new StringBuilder();
		for (int year = 2022; year <= 2025; year++) {
			for (int i = 0; i < 60; i++) {
				String id = "refreshed-" + year + "-" + i + "-" + this.run;
				ids.add(id);
				ndjson.append(IngestIntegrationTests.conversation(id, year + "-03-01T10:00:00Z", null,
						"\"flow\": {\"id\": \"flow-" + this.run + "\", \"name\": \"Refreshed\"}"))
					.append('\n');
			}
		}
		JsonNode answer = bulk(ndjson.toString());
		assertThat(answer.get("created").asInt()).isEqualTo(ids.size());
		assertThat(searchable(ids)).isEqualTo(ids.size());
		assertThat(searchTotal()).isEqualTo(ids.size());
	}

	@Test
	void aConversationMovedToAnotherYearIsFoundOnceWhenItIsAnswered() throws IOException {
		String moved = "moved-" + this.run;
		bulk(IngestIntegrationTests.conversation(moved, "2021-06-01T00:00:00Z", null, null) + "\n");
		// The move is in the first batch; the later ones write only 2025's index.
		StringBuilder ndjson = new StringBuilder(
				IngestIntegrationTests.conversation(moved, "2025-06-01T00:00:00Z", null, null) + "\n");
		for (int i = 0; i < 60; i++) {
			ndjson
				.append(IngestIntegrationTests.conversation("after-move-" + i + "-" + this.run, "2025-06-02T00:00:00Z",
						null, null))
				.append('\n');
		}
		bulk(ndjson.toString());
		assertThat(searchable(List.of(moved))).isEqualTo(1);
	}

	private JsonNode bulk(String ndjson) {
		return this.json.readTree(this.http.post()
			.uri("/api/v1/conversations/_bulk?refresh=true")
			.contentType(MediaType.parseMediaType("application/x-ndjson"))
			.body(ndjson)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody());
	}

	/**
	 * What a search sees now, without refreshing first.
	 */
	private long searchable(List<String> ids) throws IOException {
		return this.elasticsearch
			.count((count) -> count.index(this.indices.conversations())
				.query((query) -> query.ids((q) -> q.values(ids.stream().map((id) -> "default:" + id).toList()))))
			.count();
	}

	/**
	 * What the API's search counts now (its total: exports count the same way).
	 */
	private long searchTotal() {
		JsonNode page = this.json.readTree(this.http.get()
			.uri("/api/v1/conversations?flow={flow}&size=1", "flow-" + this.run)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody());
		return page.get("total").asLong();
	}

}
