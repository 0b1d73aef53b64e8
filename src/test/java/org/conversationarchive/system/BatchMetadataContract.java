package org.conversationarchive.system;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

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
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Batch metadata lands in the configured relational database: the schema comes from the
 * Flyway migrations, and a job's execution is recorded there.
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
	void theSchemaIsMigratedByFlyway() {
		assertThat(this.jdbc.queryForObject(
				"select count(*) from \"flyway_schema_history\" where \"success\" = true and \"version\" = '1'",
				Integer.class))
			.isEqualTo(1);
	}

}
