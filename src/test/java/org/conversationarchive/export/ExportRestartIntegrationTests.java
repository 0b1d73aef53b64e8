package org.conversationarchive.export;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.commons.csv.CSVRecord;
import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.TcpProxy;
import org.conversationarchive.TestElasticsearch;
import org.conversationarchive.ingest.generator.ConversationGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An export interrupted half-way (Elasticsearch cut off under it) and then restarted
 * resumes from its last committed chunk and produces exactly the right rows: none twice,
 * none missing.
 */
@ArchiveIntegrationTest(
		properties = { "archive.elasticsearch.index-prefix=export-restart", "archive.exports.chunk-size=5" })
class ExportRestartIntegrationTests {

	static final int CONVERSATIONS = 150;

	static final TcpProxy proxy = new TcpProxy(URI.create(TestElasticsearch.uri()));

	@DynamicPropertySource
	static void throughProxy(DynamicPropertyRegistry registry) {
		registry.add("spring.elasticsearch.uris", proxy::uri);
	}

	@AfterAll
	static void closeProxy() {
		proxy.close();
	}

	@Autowired
	RestTestClient http;

	@Autowired
	JsonMapper json;

	@Test
	void anInterruptedExportResumesWithExactlyTheRightRows() throws IOException {
		StringBuilder ndjson = new StringBuilder();
		new ConversationGenerator(42, ConversationGenerator.Options.of(CONVERSATIONS)).stream()
			.forEach((conversation) -> ndjson.append(this.json.writeValueAsString(conversation)).append('\n'));
		this.http.post()
			.uri("/api/v1/conversations/_bulk?refresh=true")
			.contentType(MediaType.parseMediaType("application/x-ndjson"))
			.body(ndjson.toString())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.created")
			.isEqualTo(CONVERSATIONS);

		// Slow enough to be cut off half-way.
		proxy.delay(Duration.ofMillis(60));
		String id = body(this.http.post()
			.uri("/api/v1/exports")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{}")
			.exchange()
			.expectStatus()
			.isAccepted()).get("id").asString();
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> job(id).get("progress").get("done").asInt() >= 20);
		proxy.close();
		await().atMost(Duration.ofSeconds(60)).until(() -> job(id).get("status").asString().equals("failed"));
		int doneBeforeRestart = job(id).get("progress").get("done").asInt();
		assertThat(doneBeforeRestart).isBetween(20, CONVERSATIONS - 1);

		proxy.delay(Duration.ZERO);
		proxy.reopen();
		this.http.post().uri("/api/v1/exports/{id}/restart", id).exchange().expectStatus().isAccepted();
		await().atMost(Duration.ofSeconds(60)).until(() -> job(id).get("status").asString().equals("completed"));

		JsonNode done = job(id);
		assertThat(done.get("rowCount").asInt()).isEqualTo(CONVERSATIONS);
		assertThat(done.get("progress").get("total").asInt()).isEqualTo(CONVERSATIONS);
		byte[] file = RestTestClient.bindToServer()
			.build()
			.get()
			.uri(done.get("downloadUrl").asString())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody();
		List<CSVRecord> records = ExportIntegrationTests.csv(file);
		assertThat(records.get(0).get(0)).isEqualTo("ID");
		Set<String> ids = new HashSet<>();
		records.subList(1, records.size()).forEach((record) -> ids.add(record.get(0)));
		assertThat(records).hasSize(CONVERSATIONS + 1);
		assertThat(ids).hasSize(CONVERSATIONS);
	}

	JsonNode job(String id) {
		return body(this.http.get().uri("/api/v1/exports/{id}", id).exchange().expectStatus().isOk());
	}

	JsonNode body(RestTestClient.ResponseSpec response) {
		return this.json.readTree(response.expectBody().returnResult().getResponseBody());
	}

}
