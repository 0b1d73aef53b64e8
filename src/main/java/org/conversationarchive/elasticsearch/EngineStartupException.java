package org.conversationarchive.elasticsearch;

/**
 * Elasticsearch cannot be used as configured. Carries what to change, which the start-up
 * failure report prints as its action.
 */
public class EngineStartupException extends RuntimeException {

	private final String action;

	public EngineStartupException(String description, String action) {
		super(description);
		this.action = action;
	}

	public String action() {
		return this.action;
	}

}
