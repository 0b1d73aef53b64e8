package org.conversationarchive.system;

/**
 * What the request asks does not apply to the thing as it is now: a {@code 409} problem
 * naming why.
 */
public class ConflictException extends RuntimeException {

	public ConflictException(String detail) {
		super(detail);
	}

}
