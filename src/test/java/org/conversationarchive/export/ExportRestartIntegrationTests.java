package org.conversationarchive.export;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.Jackson3JsonpMapper;
import org.apache.commons.csv.CSVRecord;
import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.TcpProxy;
import org.conversationarchive.TestElasticsearch;
import org.conversationarchive.elasticsearch.ArchiveIndices;
import org.conversationarchive.generator.ConversationGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An export interrupted half-way and then restarted, or whose point in time is lost under
 * it, finishes with exactly the right rows: none twice, none missing. One that cannot
 * read every shard fails with a reason instead of completing short.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ArchiveIntegrationTest(properties = { "archive.elasticsearch.index-prefix=export-restart",
		"archive.exports.chunk-size=5", "archive.exports.recovery=2s" })
class ExportRestartIntegrationTests {

	static final int CONVERSATIONS = 150;

	static final TcpProxy proxy = new TcpProxy(URI.create(TestElasticsearch.uri()));

	/**
	 * Straight to Elasticsearch, past the proxy: what an operator (or a crash) does.
	 */
	static final ElasticsearchClient direct = ElasticsearchClient.of((config) -> config.host(TestElasticsearch.uri())
		.jsonMapper(new Jackson3JsonpMapper(JsonMapper.builder().build())));

	@DynamicPropertySource
	static void throughProxy(DynamicPropertyRegistry registry) {
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
	JobRepository repository;

	@Autowired
	ArchiveIndices indices;

	@BeforeAll
	void conversations() {
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
			.jsonPath("$.errors")
			.isEqualTo(false);
	}

	@Test
	void anInterruptedExportWhosePointInTimeIsGoneResumesWithExactlyTheRightRows() throws IOException {
		// Slow enough to be cut off half-way.
		proxy.delay(Duration.ofMillis(60));
		String id = start();
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> job(id).get("progress").get("done").asInt() >= 20);
		proxy.close();
		await().atMost(Duration.ofSeconds(60)).until(() -> job(id).get("status").asString().equals("failed"));
		int doneBeforeRestart = job(id).get("progress").get("done").asInt();
		assertThat(doneBeforeRestart).isBetween(20, CONVERSATIONS - 1);
		// What a restart of the engine does to the points in time the export read.
		closePointsInTime(id);

		proxy.delay(Duration.ZERO);
		proxy.reopen();
		this.http.post().uri("/api/v1/exports/{id}/restart", id).exchange().expectStatus().isAccepted();
		await().atMost(Duration.ofSeconds(60)).until(() -> job(id).get("status").asString().equals("completed"));
		assertEveryRowOnce(id);
	}

	@Test
	void anExportWhosePointInTimeIsLostWhileItRunsFinishesWithEveryRowOnce() throws IOException {
		proxy.delay(Duration.ofMillis(30));
		try {
			String id = start();
			await().atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> job(id).get("progress").get("done").asInt() >= 20);
			closePointsInTime(id);
			await().atMost(Duration.ofSeconds(60)).until(() -> !job(id).get("status").asString().equals("running"));
			assertThat(job(id).get("status").asString()).isEqualTo("completed");
			assertEveryRowOnce(id);
		}
		finally {
			proxy.delay(Duration.ZERO);
		}
	}

	@Test
	void anExportThatCannotReadEveryShardFailsWithAReasonAndARestartFinishesIt() throws IOException {
		String older = this.indices.conversations(2024);
		long successes = successNotifications();
		proxy.delay(Duration.ofMillis(30));
		String id;
		try {
			id = start();
			await().atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> job(id).get("progress").get("done").asInt() >= 20);
			// One of the two yearly indices the snapshot covers stops answering.
			direct.indices().close((close) -> close.index(older));
			await().atMost(Duration.ofSeconds(60)).until(() -> !job(id).get("status").asString().equals("running"));
		}
		finally {
			proxy.delay(Duration.ZERO);
			direct.indices().open((open) -> open.index(older));
			direct.cluster()
				.health((health) -> health.index(older)
					.waitForStatus(co.elastic.clients.elasticsearch._types.HealthStatus.Yellow));
		}
		JsonNode failed = job(id);
		assertThat(failed.get("status").asString()).isEqualTo("failed");
		assertThat(failed.get("error").asString()).contains("Elasticsearch could not read the whole snapshot")
			.contains("nothing was published");
		assertThat(failed.hasNonNull("downloadUrl")).isFalse();
		assertThat(successNotifications()).isEqualTo(successes);

		this.http.post().uri("/api/v1/exports/{id}/restart", id).exchange().expectStatus().isAccepted();
		await().atMost(Duration.ofSeconds(60)).until(() -> job(id).get("status").asString().equals("completed"));
		assertEveryRowOnce(id);
		assertThat(successNotifications()).isEqualTo(successes + 1);
	}

	private String start() {
		return body(this.http.post()
			.uri("/api/v1/exports")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{}")
			.exchange()
			.expectStatus()
			.isAccepted()).get("id").asString();
	}

	private void assertEveryRowOnce(String id) throws IOException {
		JsonNode done = job(id);
		assertThat(done.get("rowCount").asInt()).isEqualTo(CONVERSATIONS);
		assertThat(done.get("progress").get("total").asInt()).isEqualTo(CONVERSATIONS);
		assertThat(done.get("progress").get("done").asInt()).isEqualTo(CONVERSATIONS);
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

	/**
	 * Closes every point in time the export's runs recorded, as a restart of the engine
	 * loses them.
	 */
	private void closePointsInTime(String exportId) throws IOException {
		JobInstance instance = this.repository.getJobInstance(TableExportJobConfiguration.JOB,
				new JobParametersBuilder().addString("exportId", exportId).toJobParameters());
		Set<String> pits = new HashSet<>();
		for (JobExecution execution : this.repository.getJobExecutions(instance)) {
			JobExecution stored = this.repository.getJobExecution(execution.getId());
			if (stored.getExecutionContext().containsKey("pit")) {
				pits.add(stored.getExecutionContext().getString("pit"));
			}
			for (StepExecution step : stored.getStepExecutions()) {
				if (step.getExecutionContext().containsKey("pit.id")) {
					pits.add(step.getExecutionContext().getString("pit.id"));
				}
			}
		}
		assertThat(pits).isNotEmpty();
		for (String pit : pits) {
			direct.closePointInTime((close) -> close.id(pit));
		}
	}

	private long successNotifications() {
		JsonNode list = body(this.http.get().uri("/api/v1/notifications").exchange().expectStatus().isOk());
		long count = 0;
		for (JsonNode item : list.get("items")) {
			if (item.toString().contains("export successful")) {
				count++;
			}
		}
		return count;
	}

	JsonNode job(String id) {
		return body(this.http.get().uri("/api/v1/exports/{id}", id).exchange().expectStatus().isOk());
	}

	JsonNode body(RestTestClient.ResponseSpec response) {
		return this.json.readTree(response.expectBody().returnResult().getResponseBody());
	}

}
