package org.conversationarchive.system;

/**
 * The client sent content of a type the endpoint does not take, or bytes that are not
 * what its declared type says: a {@code 415} problem whose detail says what was expected.
 */
public class UnsupportedMediaTypeException extends RuntimeException {

	public UnsupportedMediaTypeException(String detail) {
		super(detail);
	}

}
