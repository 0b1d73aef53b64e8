package org.conversationarchive.elasticsearch;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a bad Elasticsearch configuration into a start-up report that says what to set.
 */
class EngineStartupFailureAnalyzer extends AbstractFailureAnalyzer<EngineStartupException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, EngineStartupException cause) {
		return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
	}

}
