package org.conversationarchive.system;

/**
 * The client sent something the archive cannot take: answered as a {@code 400} problem
 * whose detail names the field or parameter and the value.
 */
public class InvalidInputException extends RuntimeException {

	public InvalidInputException(String detail) {
		super(detail);
	}

}
