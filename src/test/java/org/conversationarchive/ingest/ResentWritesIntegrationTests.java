package org.conversationarchive.ingest;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.HttpForwarder;
import org.conversationarchive.TestElasticsearch;
import org.conversationarchive.elasticsearch.ArchiveIndices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Writes that reach Elasticsearch and lose their answer, as when the node the service
 * talks to dies once the cluster took them: the client sends them again to another node,
 * where they are refused (409) as done already. The service talks to the engine through
 * two forwarders (two "nodes"), which lose the answer of a request a test picks, once.
 * What the resent write made is answered as what it made, and made once.
 */
@ArchiveIntegrationTest(properties = { "archive.elasticsearch.index-prefix=resent", "archive.ingest.batch-size=25",
		"archive.conversations.exact-contact-count-limit=30" })
class ResentWritesIntegrationTests {

	static final HttpForwarder.Losses losses = new HttpForwarder.Losses();

	static final HttpForwarder one = new HttpForwarder(URI.create(TestElasticsearch.uri()), losses);

	static final HttpForwarder other = new HttpForwarder(URI.create(TestElasticsearch.uri()), losses);

	@DynamicPropertySource
	static void throughTwoNodes(DynamicPropertyRegistry registry) {
		registry.add("spring.elasticsearch.uris", () -> one.uri() + "," + other.uri());
	}

	@AfterAll
	static void closeForwarders() {
		one.close();
		other.close();
	}

	@Autowired
	RestTestClient http;

	@Autowired
	ElasticsearchClient elasticsearch;

	@Autowired
	ArchiveIndices indices;

	@Autowired
	JsonMapper json;

	private final String run = UUID.randomUUID().toString().substring(0, 8);

	/**
	 * Both "nodes" alive again: the client leaves one whose connection failed aside for a
	 * minute, and with the other one left alone it would have nowhere to send a request
	 * again.
	 */
	@BeforeEach
	void reviveNodes() {
		Rest5Client client = ((Rest5ClientTransport) this.elasticsearch._transport()).restClient();
		client.setNodes(client.getNodes());
	}

	@Test
	void aBulkSentTwiceAnswersEveryConversationItCreatedAsCreatedAndStoresItOnce() throws IOException {
		List<String> ids = new ArrayList<>();
		StringBuilder ndjson = new StringBuilder();
		for (int contact = 1; contact <= 3; contact++) {
			for (int i = 1; i <= 20; i++) {
				String id = "bulk-" + contact + "-" + i + "-" + this.run;
				ids.add(id);
				ndjson.append(IngestIntegrationTests.conversation(id, "2025-02-%02dT10:00:00Z".formatted(i),
						IngestIntegrationTests.contact("contact-" + contact + "-" + this.run), null))
					.append('\n');
			}
		}
		int lost = losses.lost();
		losses.loseNext(bulkThatCreates());

		JsonNode answer = bulk(ndjson.toString());

		assertThat(losses.lost()).as("answers lost").isEqualTo(lost + 1);
		assertThat(answer.get("created").asInt()).isEqualTo(60);
		assertThat(answer.get("replaced").asInt()).isZero();
		assertThat(answer.get("failed").asInt()).isZero();
		assertThat(answer.get("items")).hasSize(60)
			.allSatisfy((item) -> assertThat(item.get("status").asInt()).as("%s", item).isEqualTo(201));
		assertThat(stored(ids)).isEqualTo(60);
		// Each contact has its 20 conversations, as the API and every document say.
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
			for (String id : List.of(ids.get(0), ids.get(19), ids.get(20), ids.get(59))) {
				assertThat(get(id).path("contactConversationCount").asInt(-1)).as("count of %s", id).isEqualTo(20);
			}
			assertThat(storedCounts(ids)).as("stored counts").containsOnly(20);
		});
	}

	@Test
	void aConversationThatWasThereBeforeIsReplacedEvenWhenTheBulkIsSentTwice() {
		String before = IngestIntegrationTests.conversation("again-1-" + this.run, "2025-03-01T10:00:00Z", null, null);
		assertThat(bulk(before + "\n").get("created").asInt()).isEqualTo(1);
		int lost = losses.lost();
		losses.loseNext(bulkThatCreates());

		JsonNode answer = bulk(IngestIntegrationTests.conversation("again-1-" + this.run, "2025-03-01T10:00:00Z", null,
				"\"summary\": \"the second\"") + "\n"
				+ IngestIntegrationTests.conversation("again-2-" + this.run, "2025-03-02T10:00:00Z", null, null)
				+ "\n");

		assertThat(losses.lost()).as("answers lost").isEqualTo(lost + 1);
		assertThat(answer.get("items").get(0).get("status").asInt()).isEqualTo(200);
		assertThat(answer.get("items").get(1).get("status").asInt()).isEqualTo(201);
		assertThat(answer.get("replaced").asInt()).isEqualTo(1);
		assertThat(answer.get("created").asInt()).isEqualTo(1);
		assertThat(get("again-1-" + this.run).path("summary").asString()).isEqualTo("the second");
	}

	@Test
	void aSecondIngestOfTheSameConversationsReplacesThem() {
		String ndjson = IngestIntegrationTests.conversation("twice-1-" + this.run, "2025-04-01T10:00:00Z", null, null)
				+ "\n" + IngestIntegrationTests.conversation("twice-2-" + this.run, "2025-04-02T10:00:00Z", null, null)
				+ "\n";
		assertThat(bulk(ndjson).get("created").asInt()).isEqualTo(2);

		JsonNode again = bulk(ndjson);

		assertThat(again.get("replaced").asInt()).isEqualTo(2);
		assertThat(again.get("created").asInt()).isZero();
	}

	@Test
	void anUpsertSentTwiceAnswersCreated() throws IOException {
		String id = "upsert-" + this.run;
		int lost = losses.lost();
		losses.loseNext(bulkThatCreates());

		this.http.post()
			.uri("/api/v1/conversations")
			.contentType(MediaType.APPLICATION_JSON)
			.body(IngestIntegrationTests.conversation(id, "2025-05-01T10:00:00Z", null, null))
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.CREATED);

		assertThat(losses.lost()).as("answers lost").isEqualTo(lost + 1);
		assertThat(stored(List.of(id))).isEqualTo(1);
	}

	private Predicate<HttpForwarder.Request> bulkThatCreates() {
		return (request) -> request.bulkThatCreates(this.indices.conversations());
	}

	private JsonNode bulk(String ndjson) {
		return this.json.readTree(this.http.post()
			.uri("/api/v1/conversations/_bulk?refresh=true")
			.contentType(IngestIntegrationTests.NDJSON)
			.body(ndjson)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody());
	}

	private JsonNode get(String id) {
		return this.json.readTree(this.http.get()
			.uri("/api/v1/conversations/{id}", id)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody());
	}

	/**
	 * How many documents the ids have, in every year.
	 */
	private long stored(List<String> ids) throws IOException {
		this.elasticsearch.indices().refresh((refresh) -> refresh.index(this.indices.conversations()));
		return this.elasticsearch
			.count((count) -> count.index(this.indices.conversations())
				.query((query) -> query.ids((q) -> q.values(ids.stream().map((id) -> "default:" + id).toList()))))
			.count();
	}

	private List<Object> storedCounts(List<String> ids) throws IOException {
		this.elasticsearch.indices().refresh((refresh) -> refresh.index(this.indices.conversations()));
		return this.elasticsearch
			.search((search) -> search.index(this.indices.conversations())
				.size(ids.size())
				.query((query) -> query.ids((q) -> q.values(ids.stream().map((id) -> "default:" + id).toList())))
				.source((source) -> source.filter((filter) -> filter.includes("contactConversationCount"))), Map.class)
			.hits()
			.hits()
			.stream()
			.map((hit) -> hit.source().get("contactConversationCount"))
			.toList();
	}

}
