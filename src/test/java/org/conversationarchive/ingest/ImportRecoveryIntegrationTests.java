package org.conversationarchive.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.system.ArchiveSettings;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An import whose instance died after committing some of its chunks is taken up again by
 * the service, resumes after its last committed chunk and finishes with every line
 * counted once and every conversation stored once.
 */
@ArchiveIntegrationTest(
		properties = { "archive.elasticsearch.index-prefix=import-recovery", "archive.ingest.batch-size=3",
				"archive.jobs.stale-after=2s", "archive.jobs.recovery-interval=1s", "archive.exports.recovery=1s" })
class ImportRecoveryIntegrationTests {

	static final int LINES = 10;

	/** The refused line, in the part the dead instance committed. */
	static final int BAD_LINE = 5;

	static final int COMMITTED = 6;

	@Autowired
	RestTestClient http;

	@Autowired
	JsonMapper json;

	@Autowired
	JobRepository repository;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	ArchiveSettings settings;

	@Test
	void anImportLeftRunningByADeadInstanceResumesAfterItsLastChunkWithEveryLineOnce() throws IOException {
		String id = UUID.randomUUID().toString();
		String run = id.substring(0, 8);
		List<String> lines = new ArrayList<>();
		for (int i = 1; i <= LINES; i++) {
			lines.add((i == BAD_LINE)
					? "{\"id\": \"rec-bad-" + run
							+ "\", \"platform\": \"fax\", \"startedAt\": \"2025-01-01T00:00:00Z\"}"
					: IngestIntegrationTests.conversation("rec-" + i + "-" + run,
							"2025-03-0" + (i % 9 + 1) + "T00:00:00Z", null, null));
		}
		Path file = this.settings.dataDir().resolve("imports").resolve(id).resolve("input");
		Files.createDirectories(file.getParent());
		Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
		this.jdbc.update("insert into archive_import (id, org, file_name, format, created_at) values (?, ?, ?, ?, ?)",
				id, "default", "crashed.ndjson", "ndjson", Timestamp.from(Instant.now()));

		// What the dead instance had done: two chunks written and committed (their
		// conversations stored, their refused line reported), the third under way.
		this.http.post()
			.uri("/api/v1/conversations/_bulk?refresh=true")
			.contentType(MediaType.parseMediaType("application/x-ndjson"))
			.body(String.join("\n", lines.subList(0, COMMITTED)) + "\n")
			.exchange()
			.expectStatus()
			.isOk();
		this.jdbc.update(
				"insert into archive_import_error (import_id, line, conversation_id, error) values (?, ?, ?, ?)", id,
				BAD_LINE, "rec-bad-" + run, "platform: unknown platform 'fax'");
		JobParameters parameters = new JobParametersBuilder().addString("importId", id)
			.addString("org", "default", false)
			.addString("file", file.toString(), false)
			.addString("format", "ndjson", false)
			.toJobParameters();
		JobInstance instance = this.repository.createJobInstance("conversationImport", parameters);
		JobExecution execution = this.repository.createJobExecution(instance, parameters, new ExecutionContext());
		execution.setStatus(BatchStatus.STARTED);
		execution.setStartTime(LocalDateTime.now());
		this.repository.update(execution);
		StepExecution step = this.repository.createStepExecution("import", execution);
		step.setStatus(BatchStatus.STARTED);
		step.setStartTime(LocalDateTime.now());
		step.setReadCount(COMMITTED);
		step.setWriteCount(COMMITTED);
		step.setCommitCount(2);
		step.getExecutionContext().putInt("ndjson.read.count", COMMITTED);
		this.repository.update(step);
		this.repository.updateExecutionContext(step);

		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> importOf(id).get("status").asString().equals("completed"));
		JsonNode done = importOf(id);
		assertThat(done.get("read").asInt()).isEqualTo(LINES);
		assertThat(done.get("stored").asInt()).isEqualTo(LINES - 1);
		assertThat(done.get("failed").asInt()).isEqualTo(1);
		String errors = this.http.get()
			.uri(done.get("errorsUrl").asString())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(errors.strip().split("\n")).hasSize(1);
		JsonNode page = this.json.readTree(this.http.get()
			.uri("/api/v1/conversations?size=100")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody());
		List<String> ids = new ArrayList<>();
		page.get("items").forEach((row) -> ids.add(row.get("id").asString()));
		assertThat(ids.stream().filter((stored) -> stored.endsWith("-" + run))).hasSize(LINES - 1)
			.doesNotHaveDuplicates();
	}

	private JsonNode importOf(String id) {
		return this.json.readTree(this.http.get()
			.uri("/api/v1/imports/{id}", id)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody());
	}

}
