package org.conversationarchive.export;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.UUID;

import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.search.SearchFixture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
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
@ArchiveIntegrationTest(properties = { "archive.elasticsearch.index-prefix=job-recovery", "archive.jobs.stale-after=2s",
		"archive.jobs.recovery-interval=1s" })
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

	@Test
	void anExportLeftRunningByADeadInstanceIsRestartedAndCompleted() {
		this.http.post()
			.uri("/api/v1/conversations/_bulk?refresh=true")
			.contentType(MediaType.parseMediaType("application/x-ndjson"))
			.body(String.join("\n", SearchFixture.conversations()) + "\n")
			.exchange()
			.expectStatus()
			.isOk();
		String id = UUID.randomUUID().toString();
		ExportPlan plan = new ExportPlan(java.util.List.of(org.conversationarchive.search.Filter.ALL),
				org.conversationarchive.search.Column.ALL, null, null, null, "http://localhost");
		this.jobs.insert(new ExportJobs.Export(id, "default", "api-key:bootstrap", Exports.TABLE, "Crashed export",
				this.json.writeValueAsString(plan), "crashed.csv", null, null, null, 0, null, null, Instant.now(), null,
				null, false));
		// What a dead instance leaves behind: an execution that started and never ended.
		JobParameters parameters = new JobParametersBuilder().addString("exportId", id).toJobParameters();
		JobInstance instance = this.repository.createJobInstance(TableExportJobConfiguration.JOB, parameters);
		JobExecution execution = this.repository.createJobExecution(instance, parameters, new ExecutionContext());
		execution.setStatus(BatchStatus.STARTED);
		execution.setStartTime(LocalDateTime.now());
		this.repository.update(execution);

		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			ExportJobs.Export export = this.jobs.find(id).orElseThrow();
			assertThat(export.rowCount()).isEqualTo(15);
		});
		assertThat(this.repository.getJobExecution(execution.getId()).getStatus()).isEqualTo(BatchStatus.FAILED);
	}

}
