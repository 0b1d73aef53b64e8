package org.conversationarchive.gateway;

/**
 * The org's agent platform answered an action with a 4xx other than 429: it will not do
 * it (the call is over, the number is not one it transfers to…). Final, never retried.
 */
public class PlatformRefusedException extends RuntimeException {

	private final int status;

	private final String answer;

	PlatformRefusedException(int status, String answer) {
		super("the agent platform refused the action with " + status + (answer.isBlank() ? "" : ": " + answer));
		this.status = status;
		this.answer = answer;
	}

	public int status() {
		return this.status;
	}

	/**
	 * The start of the platform's answer.
	 * @return its text, at most 1000 characters
	 */
	public String answer() {
		return this.answer;
	}

}
