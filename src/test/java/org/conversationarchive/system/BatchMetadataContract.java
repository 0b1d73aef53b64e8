package org.conversationarchive.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Batch metadata lands in the configured relational database: the schema comes from the
 * Flyway migrations (which also move what older versions stored), and a job's execution
 * is recorded there.
 */
abstract class BatchMetadataContract {

	@Autowired
	JobRepository jobRepository;

	@Autowired
	JobOperator jobOperator;

	@Autowired
	PlatformTransactionManager transactionManager;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void aJobRunIsRecordedInTheJobRepository() throws Exception {
		Job job = new JobBuilder("metadata-check", this.jobRepository)
			.start(new StepBuilder("only-step", this.jobRepository)
				.tasklet((contribution, context) -> RepeatStatus.FINISHED, this.transactionManager)
				.build())
			.build();
		String run = UUID.randomUUID().toString();

		JobExecution started = this.jobOperator.start(job,
				new JobParametersBuilder().addString("run", run).toJobParameters());

		// Jobs run in the background.
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.jobRepository.getJobExecution(started.getId()).getStatus() == BatchStatus.COMPLETED);
		assertThat(this.jdbc.queryForObject("""
				select e.status from batch_job_execution e
				join batch_job_execution_params p on p.job_execution_id = e.job_execution_id
				where p.parameter_name = 'run' and p.parameter_value = ?""", String.class, run)).isEqualTo("COMPLETED");
	}

	@Test
	void scheduledExportsPlannedBeforeDestinationsMovedIntoOrgFoldersAreDeliveredThere() throws IOException {
		String run = UUID.randomUUID().toString().substring(0, 8);
		String queued = plannedExport("queued-" + run, "nightly-" + run, "exports/scheduled/nightly-" + run, false);
		String done = plannedExport("done-" + run, "nightly-" + run, "exports/scheduled/nightly-" + run, true);
		String chosen = plannedExport("chosen-" + run, "bi-" + run, "bi/flagged", false);

		// What upgrading a database that had them does.
		this.jdbc.execute(new String(
				new ClassPathResource("db/migration/" + vendor() + "/V7__scheduled_export_plans_in_org_folders.sql")
					.getContentAsByteArray(),
				StandardCharsets.UTF_8));

		assertThat(destination(queued)).isEqualTo("nightly-" + run);
		assertThat(destination(done)).as("a completed export stays as it ran")
			.isEqualTo("exports/scheduled/nightly-" + run);
		assertThat(destination(chosen)).isEqualTo("bi/flagged");
	}

	/**
	 * The migrations' folder of this database.
	 * @return {@code h2} or {@code postgresql}
	 */
	abstract String vendor();

	private String plannedExport(String id, String scheduleId, String destination, boolean completed) {
		String plan = "{\"filters\":[],\"columns\":[\"id\"],\"agentId\":null,\"year\":null,\"destination\":\""
				+ destination + "\",\"baseUrl\":\"\"}";
		this.jdbc.update("insert into archive_export (id, org, user_id, kind, request_json, file_name, schedule_id, "
				+ "created_at, completed_at) values (?, 'default', 'system', 'scheduled-export', ?, 'x.csv', ?, ?, ?)",
				id, plan, scheduleId, Timestamp.from(Instant.now()), completed ? Timestamp.from(Instant.now()) : null);
		return id;
	}

	private String destination(String exportId) {
		String plan = this.jdbc.queryForObject("select request_json from archive_export where id = ?", String.class,
				exportId);
		return JsonMapper.builder().build().readTree(plan).get("destination").asString();
	}

	@Test
	void theSchemaIsMigratedByFlyway() {
		assertThat(this.jdbc.queryForObject(
				"select count(*) from \"flyway_schema_history\" where \"success\" = true and \"version\" = '1'",
				Integer.class))
			.isEqualTo(1);
	}

}
