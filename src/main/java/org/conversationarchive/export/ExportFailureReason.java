package org.conversationarchive.export;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;

/**
 * Keeps the reason an export failed for ({@link ExportFailure}) as its job's exit
 * description: the job repository keeps no exception, only that description, and a stack
 * trace there is no reason for people.
 */
class ExportFailureReason implements JobExecutionListener {

	@Override
	public void afterJob(JobExecution job) {
		if (job.getStatus() != BatchStatus.FAILED) {
			return;
		}
		for (Throwable failure : job.getAllFailureExceptions()) {
			for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
				if (cause instanceof ExportFailure reason) {
					job.setExitStatus(new ExitStatus(ExitStatus.FAILED.getExitCode(), reason.getMessage()));
					return;
				}
			}
		}
	}

}
