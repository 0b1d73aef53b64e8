package org.conversationarchive.storage;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.HealthStatus;
import co.elastic.clients.json.jackson.Jackson3JsonpMapper;
import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.TcpProxy;
import org.conversationarchive.TestElasticsearch;
import org.conversationarchive.TestS3;
import org.conversationarchive.elasticsearch.ArchiveIndices;
import org.conversationarchive.generator.ConversationGenerator;
import org.conversationarchive.system.ArchiveSettings;
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
 * An export on object storage that fails half-way resumes from the chunks it committed to
 * the bucket, with nothing of it on this instance's disk (so any instance could resume
 * it), and ends with every row once.
 */
@ArchiveIntegrationTest(properties = { "archive.elasticsearch.index-prefix=object-storage-restart",
		"archive.exports.chunk-size=5", "archive.exports.recovery=2s" })
class ObjectStorageRestartIntegrationTests {

	static final String BUCKET = "object-storage-restart-tests";

	static final int CONVERSATIONS = 120;

	static final TcpProxy proxy = new TcpProxy(URI.create(TestElasticsearch.uri()));

	/**
	 * Straight to Elasticsearch, past the proxy: what an operator does.
	 */
	static final ElasticsearchClient direct = ElasticsearchClient.of((config) -> config.host(TestElasticsearch.uri())
		.jsonMapper(new Jackson3JsonpMapper(JsonMapper.builder().build())));

	@DynamicPropertySource
	static void inTheBucketThroughTheProxy(DynamicPropertyRegistry registry) {
		TestS3.bucket(BUCKET);
		for (String property : TestS3.properties(BUCKET)) {
			String[] pair = property.split("=", 2);
			registry.add(pair[0], () -> pair[1]);
		}
		registry.add("spring.elasticsearch.uris", proxy::uri);
	}

	@AfterAll
	static void closeProxy() throws IOException {
		proxy.close();
		direct.close();
	}

	@Autowired
	RestTestClient http;

	@Autowired
	JsonMapper json;

	@Autowired
	ArchiveIndices indices;

	@Autowired
	ArchiveSettings archive;

	@Test
	void anExportThatFailedHalfWayResumesFromTheChunksInTheBucket() throws IOException {
		StringBuilder ndjson = new StringBuilder();
		new ConversationGenerator(7, ConversationGenerator.Options.of(CONVERSATIONS)).stream()
			.forEach((conversation) -> ndjson.append(this.json.writeValueAsString(conversation)).append('\n'));
		this.http.post()
			.uri("/api/v1/conversations/_bulk?refresh=true")
			.contentType(MediaType.parseMediaType("application/x-ndjson"))
			.body(ndjson.toString())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.errors")
			.isEqualTo(false);
		String older = this.indices.conversations(2024);
		proxy.delay(Duration.ofMillis(30));
		String id;
		try {
			id = body(this.http.post()
				.uri("/api/v1/exports")
				.contentType(MediaType.APPLICATION_JSON)
				.body("{\"columns\": [\"id\"]}")
				.exchange()
				.expectStatus()
				.isAccepted()).get("id").asString();
			await().atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> job(id).get("progress").get("done").asInt() >= 20);
			direct.indices().close((close) -> close.index(older));
			await().atMost(Duration.ofSeconds(60)).until(() -> !job(id).get("status").asString().equals("running"));
		}
		finally {
			proxy.delay(Duration.ZERO);
			direct.indices().open((open) -> open.index(older));
			direct.cluster().health((health) -> health.index(older).waitForStatus(HealthStatus.Yellow));
		}
		assertThat(job(id).get("status").asString()).isEqualTo("failed");
		String folder = "exports/default/" + id + "/";
		// What it committed is in the bucket, a segment per chunk after the header; none
		// of it on this instance's disk.
		List<String> committed = TestS3.keys(BUCKET, folder);
		assertThat(committed).hasSizeGreaterThanOrEqualTo(1 + 20 / 5).allMatch((key) -> key.contains(".segments/"));
		assertThat(this.archive.dataDir().resolve(folder)).doesNotExist();

		this.http.post().uri("/api/v1/exports/{id}/restart", id).exchange().expectStatus().isAccepted();
		await().atMost(Duration.ofSeconds(60)).until(() -> job(id).get("status").asString().equals("completed"));

		JsonNode done = job(id);
		assertThat(done.get("rowCount").asInt()).isEqualTo(CONVERSATIONS);
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
		String[] lines = new String(file, StandardCharsets.UTF_8).split("\r\n");
		assertThat(lines[0]).isEqualTo("\uFEFFID");
		Set<String> ids = new HashSet<>(List.of(lines).subList(1, lines.length));
		assertThat(lines).hasSize(CONVERSATIONS + 1);
		assertThat(ids).hasSize(CONVERSATIONS);
		// The segments made the file and are gone.
		assertThat(TestS3.keys(BUCKET, folder)).singleElement().asString().endsWith(".csv");
	}

	private JsonNode job(String id) {
		return body(this.http.get().uri("/api/v1/exports/{id}", id).exchange().expectStatus().isOk());
	}

	private JsonNode body(RestTestClient.ResponseSpec response) {
		return this.json.readTree(response.expectBody().returnResult().getResponseBody());
	}

}
