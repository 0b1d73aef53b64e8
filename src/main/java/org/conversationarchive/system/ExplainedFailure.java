package org.conversationarchive.system;

/**
 * A job failure whose message is written for the people who watch the job (why it could
 * not finish, and what to do): {@link JobFailures} shows it as it is.
 */
public class ExplainedFailure extends RuntimeException {

	public ExplainedFailure(String message) {
		super(message);
	}

}
