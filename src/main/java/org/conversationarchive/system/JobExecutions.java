package org.conversationarchive.system;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

/**
 * What the API shows of a batch job started for one thing (an import, a rule's run): its
 * executions, the latest first (each restart of a failed job is another execution of the
 * same instance), and its status in the API's words; why it failed is
 * {@link JobFailures#error(JobExecution)}.
 */
@Component
public class JobExecutions {

	/** How long a recovered execution waits for its restart before it reads failed. */
	static final Duration TAKE_OVER = Duration.ofMinutes(1);

	private final JobRepository repository;

	JobExecutions(JobRepository repository) {
		this.repository = repository;
	}

	/**
	 * The executions of the job instance that one identifying string parameter names.
	 * @param job the job's name
	 * @param parameter the name of the parameter
	 * @param value its value
	 * @return the executions, the latest first; none when the job was never started
	 */
	public List<JobExecution> latestFirst(String job, String parameter, String value) {
		JobParameters identifying = new JobParametersBuilder().addString(parameter, value).toJobParameters();
		JobInstance instance = this.repository.getJobInstance(job, identifying);
		if (instance == null) {
			return List.of();
		}
		return this.repository.getJobExecutions(instance)
			.stream()
			.sorted(Comparator.comparing(JobExecution::getId).reversed())
			.toList();
	}

	/**
	 * A job's status as the API shows it.
	 * @param latest its latest execution, or {@code null} before it has one
	 * @return {@code queued}, {@code running}, {@code completed} or {@code failed}
	 */
	public static String status(@Nullable JobExecution latest) {
		if (latest == null) {
			return "queued";
		}
		return switch (latest.getStatus()) {
			case STARTING -> "queued";
			case STARTED, STOPPING -> "running";
			case COMPLETED -> "completed";
			default -> beingTakenOver(latest, LocalDateTime.now()) ? "running" : "failed";
		};
	}

	/**
	 * Whether an execution is one that {@link JobRecovery} has just marked failed to
	 * start its job again: a dead instance's execution never ended, so it has no exit
	 * code of its own. Between that mark and the new execution a client polling the job
	 * must not read a failure it would give up on; a restart that does not come within
	 * {@link #TAKE_OVER} (or that failed, which JobRecovery records) reads failed.
	 * @param execution an execution
	 * @param now the time
	 * @return whether its job is being started again
	 */
	static boolean beingTakenOver(JobExecution execution, LocalDateTime now) {
		return execution.getStatus() == BatchStatus.FAILED
				&& ExitStatus.UNKNOWN.getExitCode().equals(execution.getExitStatus().getExitCode())
				&& execution.getEndTime() != null && execution.getEndTime().isAfter(now.minus(TAKE_OVER));
	}

}
