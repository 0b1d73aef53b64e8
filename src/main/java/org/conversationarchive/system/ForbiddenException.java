package org.conversationarchive.system;

/**
 * The caller is known but may not do this: a {@code 403} problem.
 */
public class ForbiddenException extends RuntimeException {

	public ForbiddenException(String detail) {
		super(detail);
	}

}
