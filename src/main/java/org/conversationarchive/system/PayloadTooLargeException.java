package org.conversationarchive.system;

/**
 * The client sent more than the archive takes in one request: a {@code 413} problem whose
 * detail names the limit.
 */
public class PayloadTooLargeException extends RuntimeException {

	public PayloadTooLargeException(String detail) {
		super(detail);
	}

}
