package org.conversationarchive.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.UUID;
import java.util.zip.ZipInputStream;

import org.apache.commons.csv.CSVRecord;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.elasticsearch.ArchiveIndices;
import org.conversationarchive.search.SearchFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
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
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An export whose instance died while it ran (its execution left "started", no progress
 * recorded since) is taken up again by the service and finishes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ArchiveIntegrationTest(properties = { "archive.elasticsearch.index-prefix=job-recovery", "archive.jobs.stale-after=2s",
		"archive.exports.recovery=1s", "archive.jobs.recovery-interval=1s" })
class JobRecoveryIntegrationTests {

	@Autowired
	RestTestClient http;

	@Autowired
	JobRepository repository;

	@Autowired
	ExportJobs jobs;

	@Autowired
	ExportRuns runs;

	@Autowired
	JsonMapper json;

	@Autowired
	ElasticsearchClient client;

	@Autowired
	ArchiveIndices indices;

	@BeforeAll
	void conversations() {
		this.http.post()
			.uri("/api/v1/conversations/_bulk?refresh=true")
			.contentType(MediaType.parseMediaType("application/x-ndjson"))
			.body(String.join("\n", SearchFixture.conversations()) + "\n")
			.exchange()
			.expectStatus()
			.isOk();
	}

	@Test
	void anExportLeftRunningByADeadInstanceIsRestartedAndCompleted() {
		String id = UUID.randomUUID().toString();
		ExportPlan plan = new ExportPlan(java.util.List.of(org.conversationarchive.search.Filter.ALL),
				org.conversationarchive.conversation.Column.ALL, null, null, null, "http://localhost");
		JobExecution execution = leftRunning(id, Exports.TABLE, plan, TableExportJobConfiguration.JOB, "crashed.csv");

		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			ExportJobs.Export export = this.jobs.find(id).orElseThrow();
			assertThat(export.rowCount()).isEqualTo(15);
		});
		assertThat(this.repository.getJobExecution(execution.getId()).getStatus()).isEqualTo(BatchStatus.FAILED);
	}

	@Test
	void anExportLeftRunningOnAPointInTimeThatIsGoneResumesOnAFreshOne() throws IOException {
		String id = UUID.randomUUID().toString();
		ExportPlan plan = new ExportPlan(java.util.List.of(org.conversationarchive.search.Filter.ALL),
				org.conversationarchive.conversation.Column.ALL, null, null, null, "http://localhost");
		this.jobs.insert(new ExportJobs.Export(id, "default", "api-key:bootstrap", Exports.TABLE, "Crashed export",
				this.json.writeValueAsString(plan), "crashed-later.csv", null, null, null, 0, null, null, Instant.now(),
				null, null, false));
		// A dead instance that had prepared its snapshot, in an engine that died with it:
		// the point in time it recorded is no longer known.
		JobParameters parameters = new JobParametersBuilder().addString("exportId", id).toJobParameters();
		JobInstance instance = this.repository.createJobInstance(TableExportJobConfiguration.JOB, parameters);
		ExecutionContext context = new ExecutionContext();
		context.putString("pit", gonePointInTime());
		context.putLong("total", 15);
		JobExecution execution = this.repository.createJobExecution(instance, parameters, context);
		execution.setStatus(BatchStatus.STARTED);
		execution.setStartTime(LocalDateTime.now());
		this.repository.update(execution);
		this.repository.updateExecutionContext(execution);
		StepExecution prepare = this.repository.createStepExecution("prepare", execution);
		prepare.setStatus(BatchStatus.COMPLETED);
		prepare.setExitStatus(org.springframework.batch.core.ExitStatus.COMPLETED);
		prepare.setEndTime(LocalDateTime.now());
		this.repository.update(prepare);

		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			ExportJobs.Export export = this.jobs.find(id).orElseThrow();
			assertThat(export.rowCount()).isEqualTo(15);
			assertThat(export.total()).isEqualTo(15);
		});
	}

	@Test
	void anAgentHistoryLeftRunningByADeadInstanceIsWrittenAgainWhole() throws IOException {
		String id = UUID.randomUUID().toString();
		ExportPlan plan = new ExportPlan(java.util.List.of(), java.util.List.of(), "ava", 2025, null,
				"http://localhost");
		leftRunning(id, Exports.HISTORY, plan, AgentHistoryJobConfiguration.JOB, "ava-2025-conversation-history.zip");

		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(500))
			.untilAsserted(() -> assertThat(this.jobs.find(id).orElseThrow().rowCount()).isEqualTo(10));
		ExportJobs.Export export = this.jobs.find(id).orElseThrow();
		assertThat(export.done()).isEqualTo(export.total());
		try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(Path.of(export.filePath())))) {
			zip.getNextEntry();
			List<CSVRecord> rows = ExportIntegrationTests.csv(zip.readAllBytes());
			assertThat(rows).hasSize(11);
			assertThat(rows.subList(1, rows.size())).extracting((row) -> row.get(3) + row.get(4))
				.doesNotHaveDuplicates();
		}
	}

	/**
	 * A point in time that is no longer known, as one of an engine that died.
	 */
	private String gonePointInTime() throws IOException {
		String pit = this.client
			.openPointInTime((open) -> open.index(this.indices.conversations())
				.routing("default")
				.keepAlive((time) -> time.time("1m")))
			.id();
		this.client.closePointInTime((close) -> close.id(pit));
		return pit;
	}

	/**
	 * What a dead instance leaves behind: an export whose execution started and never
	 * ended.
	 */
	private JobExecution leftRunning(String id, String kind, ExportPlan plan, String job, String fileName) {
		this.jobs.insert(new ExportJobs.Export(id, "default", "api-key:bootstrap", kind, "Crashed export",
				this.json.writeValueAsString(plan), fileName, null, null, null, 0, null, null, Instant.now(), null,
				null, false));
		JobParameters parameters = new JobParametersBuilder().addString("exportId", id).toJobParameters();
		JobInstance instance = this.repository.createJobInstance(job, parameters);
		JobExecution execution = this.repository.createJobExecution(instance, parameters, new ExecutionContext());
		execution.setStatus(BatchStatus.STARTED);
		execution.setStartTime(LocalDateTime.now());
		this.repository.update(execution);
		return execution;
	}

}
