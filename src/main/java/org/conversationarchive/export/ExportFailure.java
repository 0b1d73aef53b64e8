package org.conversationarchive.export;

/**
 * Why an export cannot be finished as asked, in words for the person who asked: the job
 * fails with this message (and nothing is published), and a restart may finish it.
 */
class ExportFailure extends RuntimeException {

	ExportFailure(String message) {
		super(message);
	}

}
