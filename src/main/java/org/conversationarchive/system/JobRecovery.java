package org.conversationarchive.system;

import java.time.LocalDateTime;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Restarts batch jobs whose instance died under them. A running job records its progress
 * at every chunk, and long work between commits beats its heartbeat
 * ({@link JobHeartbeats}); one that has done neither for {@link JobSettings#staleAfter()}
 * is marked failed and restarted, and continues from its last committed chunk.
 */
@Component
class JobRecovery {

	private static final Logger logger = LoggerFactory.getLogger(JobRecovery.class);

	private final JobRepository repository;

	private final JobOperator operator;

	private final JobSettings settings;

	JobRecovery(JobRepository repository, JobOperator operator, JobSettings settings) {
		this.repository = repository;
		this.operator = operator;
		this.settings = settings;
	}

	@Scheduled(initialDelayString = "${archive.jobs.recovery-interval:30s}",
			fixedDelayString = "${archive.jobs.recovery-interval:30s}")
	void restartStaleJobs() {
		LocalDateTime staleBefore = LocalDateTime.now().minus(this.settings.staleAfter());
		for (String jobName : this.repository.getJobNames()) {
			Set<JobExecution> runningExecutions = this.repository.findRunningJobExecutions(jobName);
			for (JobExecution running : runningExecutions) {
				JobExecution execution = this.repository.getJobExecution(running.getId());
				if (execution != null && lastProgress(execution).isBefore(staleBefore)) {
					restart(execution);
				}
			}
		}
	}

	/**
	 * When the job last recorded progress: steps record it at every committed chunk and
	 * every heartbeat.
	 */
	private static LocalDateTime lastProgress(JobExecution execution) {
		LocalDateTime last = (execution.getLastUpdated() != null) ? execution.getLastUpdated()
				: execution.getCreateTime();
		for (StepExecution step : execution.getStepExecutions()) {
			if (step.getLastUpdated() != null && (last == null || step.getLastUpdated().isAfter(last))) {
				last = step.getLastUpdated();
			}
		}
		return (last != null) ? last : LocalDateTime.MIN;
	}

	private void restart(JobExecution execution) {
		try {
			logger.warn("Job {} execution {} stopped making progress at {}; restarting it from its last commit",
					execution.getJobInstance().getJobName(), execution.getId(), execution.getLastUpdated());
			JobExecution failed = this.operator.recover(execution);
			if (failed.getStatus() == BatchStatus.FAILED) {
				try {
					this.operator.restart(failed);
				}
				catch (Exception ex) {
					// Not started again: it reads failed at once, not "being taken over".
					failed.setExitStatus(ExitStatus.FAILED.addExitDescription(ex));
					this.repository.update(failed);
					throw ex;
				}
			}
		}
		catch (Exception ex) {
			logger.error("Could not restart job execution {}", execution.getId(), ex);
		}
	}

}
