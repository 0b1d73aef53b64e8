package org.conversationarchive.system;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.LocalDateTime;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;

/**
 * What a failed job tells the client who watches it: one short sentence, and a reference
 * under which the log holds the details. Spring Batch stores a failure as its whole stack
 * trace, which named the service's internals to every client; this replaces it when the
 * job ends (for every job: {@link SystemConfiguration} registers it), and what the API
 * shows of a job's failure is {@link #error(JobExecution)}.
 */
public final class JobFailures implements JobExecutionListener {

	private static final Logger logger = LoggerFactory.getLogger(JobFailures.class);

	private static final Pattern REPORTED = Pattern.compile("[^\\n]{1,600} \\(reference [0-9a-f-]{36}\\)");

	@Override
	public void afterJob(JobExecution execution) {
		List<Throwable> failures = execution.getAllFailureExceptions();
		if (execution.getStatus() != BatchStatus.FAILED || failures.isEmpty()) {
			return;
		}
		String reference = UUID.randomUUID().toString();
		for (Throwable failure : failures) {
			logger.error("Job {} execution {} failed (reference {})", execution.getJobInstance().getJobName(),
					execution.getId(), reference, failure);
		}
		execution.setExitStatus(new ExitStatus(execution.getExitStatus().getExitCode(),
				sentence(failures.get(0)) + " (reference " + reference + ")"));
	}

	/**
	 * Why a job failed or stopped, as the API shows it.
	 * @param execution the job's last run
	 * @return the reason, or {@code null} when it did not fail
	 */
	public static @Nullable String error(JobExecution execution) {
		BatchStatus status = execution.getStatus();
		if (status != BatchStatus.FAILED && status != BatchStatus.STOPPED
				|| JobExecutions.beingTakenOver(execution, LocalDateTime.now())) {
			return null;
		}
		String description = execution.getExitStatus().getExitDescription();
		if (description != null && REPORTED.matcher(description).matches()) {
			return description;
		}
		// Stopped, recovered after its instance died, or stored before failures were
		// reported this way (a stack trace): nothing of it is for the client.
		return (status == BatchStatus.STOPPED) ? "stopped; restart it to resume" : "failed; restart it to resume";
	}

	/**
	 * The client's words for a failure: the message of one raised for the client (bad
	 * input, a thing that is gone, a job's own explanation), or what kind of failure it
	 * was.
	 */
	static String sentence(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if ((cause instanceof InvalidInputException || cause instanceof NotFoundException
					|| cause instanceof ExplainedFailure) && cause.getMessage() != null) {
				return firstLine(cause.getMessage());
			}
		}
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			boolean network = cause instanceof SocketException || cause instanceof SocketTimeoutException;
			if (network || (!(cause instanceof IOException) && StorageUnavailableException.isUnavailability(cause))) {
				return "Elasticsearch was not reachable; restart it to resume";
			}
		}
		return "an unexpected error stopped it; restart it to resume";
	}

	private static String firstLine(String message) {
		String line = message.lines().findFirst().orElse("").strip();
		return (line.length() <= 500) ? line : line.substring(0, 500) + "…";
	}

}
