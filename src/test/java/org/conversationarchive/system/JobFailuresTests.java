package org.conversationarchive.system;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A failed job tells its client one sentence with a reference, never a stack trace; the
 * log holds the details under that reference.
 */
@ExtendWith(OutputCaptureExtension.class)
class JobFailuresTests {

	private final JobFailures failures = new JobFailures();

	@Test
	void anUnexpectedFailureIsASentenceWithTheReferenceTheLogHolds(CapturedOutput log) {
		JobExecution execution = failed(new IllegalStateException("Cannot invoke \"org.conversationarchive.x.Y.z()\"",
				new NullPointerException("internal")));
		this.failures.afterJob(execution);
		String error = JobFailures.error(execution);
		assertThat(error).matches("an unexpected error stopped it; restart it to resume \\(reference [0-9a-f-]{36}\\)");
		String reference = error.substring(error.lastIndexOf(' ') + 1, error.length() - 1);
		assertThat(log.getAll()).contains("(reference " + reference + ")")
			.contains("java.lang.IllegalStateException")
			.contains("at org.conversationarchive.system.JobFailuresTests");
	}

	@Test
	void aFailureMeantForTheClientKeepsItsWords() {
		JobExecution execution = failed(new ItemStreamException("Failed to initialize the reader",
				new InvalidInputException("the history CSV has no 'Sender type' column")));
		this.failures.afterJob(execution);
		assertThat(JobFailures.error(execution)).startsWith("the history CSV has no 'Sender type' column (reference ");
		JobExecution unreachable = failed(new StorageUnavailableException("down", new IOException("refused")));
		this.failures.afterJob(unreachable);
		assertThat(JobFailures.error(unreachable)).startsWith("Elasticsearch was not reachable; restart it to resume");
	}

	@Test
	void aStackTraceStoredAsTheExitDescriptionIsNeverShown() {
		// As read back from the job repository: no failure exceptions, the trace stored.
		JobExecution execution = new JobExecution(8L, new JobInstance(4L, "conversationImport"), new JobParameters());
		execution.setStatus(BatchStatus.FAILED);
		StringWriter trace = new StringWriter();
		new IllegalStateException("boom").printStackTrace(new PrintWriter(trace));
		execution.setExitStatus(ExitStatus.FAILED.addExitDescription(trace.toString()));
		assertThat(JobFailures.error(execution)).isEqualTo("failed; restart it to resume");
		execution.setStatus(BatchStatus.STOPPED);
		assertThat(JobFailures.error(execution)).isEqualTo("stopped; restart it to resume");
		execution.setStatus(BatchStatus.COMPLETED);
		assertThat(JobFailures.error(execution)).isNull();
	}

	private static JobExecution failed(Throwable failure) {
		JobExecution execution = new JobExecution(7L, new JobInstance(3L, "tableExport"), new JobParameters());
		execution.setStatus(BatchStatus.FAILED);
		execution.setExitStatus(ExitStatus.FAILED.addExitDescription(failure));
		execution.addFailureException(failure);
		return execution;
	}

}
