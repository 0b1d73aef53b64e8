package org.conversationarchive.system;

/**
 * What the request names does not exist (in the caller's org): a {@code 404} problem.
 */
public class NotFoundException extends RuntimeException {

	public NotFoundException(String detail) {
		super(detail);
	}

}
