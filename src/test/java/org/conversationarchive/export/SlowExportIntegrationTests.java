package org.conversationarchive.export;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.zip.ZipInputStream;

import org.apache.commons.csv.CSVRecord;
import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.TcpProxy;
import org.conversationarchive.TestElasticsearch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An export that runs far longer than a job may go without recorded progress
 * ({@code archive.jobs.stale-after}) is alive, not dead: an agent history, written in one
 * go with no commit before its end, is never restarted beside itself, and completes once.
 * Elasticsearch answers through a slow proxy here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ArchiveIntegrationTest(properties = { "archive.elasticsearch.index-prefix=slow-export", "archive.jobs.stale-after=4s",
		"archive.jobs.recovery-interval=500ms", "archive.exports.recovery=2s" })
class SlowExportIntegrationTests {

	static final Duration STALE_AFTER = Duration.ofSeconds(4);

	static final int CONVERSATIONS = 4000;

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

	@Autowired
	JobRepository repository;

	@Autowired
	ExportJobs jobs;

	@BeforeAll
	void conversations() {
		StringBuilder ndjson = new StringBuilder();
		Instant start = Instant.parse("2024-01-01T00:00:00Z");
		for (int i = 0; i < CONVERSATIONS; i++) {
			Instant at = start.plus(Duration.ofMinutes(10L * i));
			ndjson.append("""
					{"id": "slow-%1$d", "platform": "sms", "startedAt": "%2$s", "agent": {"id": "slow-agent"},
					 "messages": [{"at": "%2$s", "senderType": "user", "text": "Where is parcel %1$d?"},
					              {"at": "%3$s", "senderType": "agent", "text": "On its way, %1$d."}]}
					""".formatted(i, at, at.plusSeconds(30)).replace("\n", " ").strip()).append('\n');
		}
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
	}

	@Test
	void anAgentHistorySlowerThanStaleAfterIsNotRestartedAndCompletesOnce() throws IOException {
		long successes = successNotifications();
		Instant started = Instant.now();
		String id;
		proxy.delay(Duration.ofMillis(40));
		try {
			id = body(this.http.post()
				.uri("/api/v1/agents/slow-agent/history-exports")
				.contentType(MediaType.APPLICATION_JSON)
				.body("{\"year\": 2024}")
				.exchange()
				.expectStatus()
				.isAccepted()).get("id").asString();
			await().atMost(Duration.ofSeconds(120))
				.pollInterval(Duration.ofMillis(250))
				.until(() -> !job(id).get("status").asString().equals("running"));
		}
		finally {
			proxy.delay(Duration.ZERO);
		}
		Duration took = Duration.between(started, Instant.now());
		JobInstance instance = this.repository.getJobInstance(AgentHistoryJobConfiguration.JOB,
				new JobParametersBuilder().addString("exportId", id).toJobParameters());
		assertThat(this.repository.getJobExecutions(instance)).hasSize(1);
		assertThat(job(id).get("status").asString()).isEqualTo("completed");
		assertThat(successNotifications()).isEqualTo(successes + 1);
		// Long enough for a job that says nothing to be taken for dead, twice over.
		assertThat(took).isGreaterThan(STALE_AFTER.multipliedBy(2));

		ExportJobs.Export export = this.jobs.find(id).orElseThrow();
		assertThat(export.rowCount()).isEqualTo(2L * CONVERSATIONS);
		assertThat(export.done()).isEqualTo(CONVERSATIONS);
		try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(Path.of(export.filePath())))) {
			zip.getNextEntry();
			List<CSVRecord> rows = ExportIntegrationTests.csv(zip.readAllBytes());
			assertThat(rows).hasSize(2 * CONVERSATIONS + 1);
			assertThat(rows.subList(1, rows.size())).extracting((row) -> row.get(4)).doesNotHaveDuplicates();
		}
	}

	private long successNotifications() {
		long count = 0;
		for (JsonNode item : body(this.http.get().uri("/api/v1/notifications").exchange().expectStatus().isOk())
			.get("items")) {
			if (item.toString().contains("export successful")) {
				count++;
			}
		}
		return count;
	}

	private JsonNode job(String id) {
		return body(this.http.get().uri("/api/v1/exports/{id}", id).exchange().expectStatus().isOk());
	}

	private JsonNode body(RestTestClient.ResponseSpec response) {
		return this.json.readTree(response.expectBody().returnResult().getResponseBody());
	}

}
