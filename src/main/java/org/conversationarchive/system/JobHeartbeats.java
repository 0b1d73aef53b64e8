package org.conversationarchive.system;

import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Heartbeats of running steps. A beat records the step execution as updated, which is
 * what {@link JobRecovery} reads, in a transaction of its own: the step's own transaction
 * commits only at the end of its chunk (a tasklet's, at the end of its work). At most a
 * quarter of {@link JobSettings#staleAfter()} apart, so a step that beats is never taken
 * for dead. Only the step's last-updated time and counts as of its last commit are
 * written, never its saved position.
 */
@Component
public class JobHeartbeats {

	private final JobRepository repository;

	private final TransactionTemplate ownTransaction;

	private final long intervalNanos;

	JobHeartbeats(JobRepository repository, PlatformTransactionManager transactions, JobSettings settings) {
		this.repository = repository;
		this.ownTransaction = new TransactionTemplate(transactions);
		this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.intervalNanos = settings.staleAfter().toNanos() / 4;
	}

	/**
	 * The heartbeat of a running step, to be beaten on the step's own thread.
	 * @param step the step's execution
	 * @return its heartbeat
	 */
	public Heartbeat of(StepExecution step) {
		return new Heartbeat() {

			private long last = System.nanoTime();

			@Override
			public void beat() {
				long now = System.nanoTime();
				if (now - this.last >= JobHeartbeats.this.intervalNanos) {
					this.last = now;
					// A step taken over by another instance meanwhile fails here
					// (optimistic locking), and stops rather than write beside it.
					JobHeartbeats.this.ownTransaction
						.executeWithoutResult((status) -> JobHeartbeats.this.repository.update(step));
				}
			}

		};
	}

}
