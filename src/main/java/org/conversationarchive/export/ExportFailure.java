package org.conversationarchive.export;

import org.conversationarchive.system.ExplainedFailure;

/**
 * Why an export cannot be finished as asked, in words for the person who asked: the job
 * fails with this message (and nothing is published), and a restart may finish it.
 */
class ExportFailure extends ExplainedFailure {

	ExportFailure(String message) {
		super(message);
	}

}
