package org.conversationarchive.system;

import java.time.LocalDateTime;

import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job's status in the API's words, the same for imports and rule runs: queued until it
 * runs, failed however it stopped short.
 */
class JobExecutionsTests {

	@Test
	void eachBatchStatusIsOneOfTheApisFour() {
		assertThat(JobExecutions.status(null)).isEqualTo("queued");
		assertThat(JobExecutions.status(execution(BatchStatus.STARTING))).isEqualTo("queued");
		assertThat(JobExecutions.status(execution(BatchStatus.STARTED))).isEqualTo("running");
		assertThat(JobExecutions.status(execution(BatchStatus.STOPPING))).isEqualTo("running");
		assertThat(JobExecutions.status(execution(BatchStatus.COMPLETED))).isEqualTo("completed");
		for (BatchStatus stoppedShort : new BatchStatus[] { BatchStatus.FAILED, BatchStatus.STOPPED,
				BatchStatus.ABANDONED, BatchStatus.UNKNOWN }) {
			assertThat(JobExecutions.status(execution(stoppedShort))).as("%s", stoppedShort).isEqualTo("failed");
		}
	}

	@Test
	void aDeadInstancesExecutionJustMarkedFailedToBeStartedAgainReadsRunningForAWhile() {
		LocalDateTime now = LocalDateTime.now();
		// What JobRecovery's recover leaves: failed, ended now, no exit code of its own.
		JobExecution recovered = execution(BatchStatus.FAILED);
		recovered.setEndTime(now.minusSeconds(1));
		assertThat(JobExecutions.status(recovered)).isEqualTo("running");
		assertThat(JobFailures.error(recovered)).isNull();
		// Its restart never came: a failure after all.
		recovered.setEndTime(now.minus(JobExecutions.TAKE_OVER).minusSeconds(1));
		assertThat(JobExecutions.status(recovered)).isEqualTo("failed");
		assertThat(JobFailures.error(recovered)).isEqualTo("failed; restart it to resume");
		// A job that failed on its own has its exit code.
		JobExecution failed = execution(BatchStatus.FAILED);
		failed.setEndTime(now);
		failed.setExitStatus(ExitStatus.FAILED);
		assertThat(JobExecutions.status(failed)).isEqualTo("failed");
	}

	private static JobExecution execution(BatchStatus status) {
		JobExecution execution = new JobExecution(1L, new JobInstance(1L, "reviewRuleRun"), new JobParameters());
		execution.setStatus(status);
		return execution;
	}

}
