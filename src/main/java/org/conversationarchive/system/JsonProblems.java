package org.conversationarchive.system;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns a JSON reading failure into one sentence a client can act on: the field (as a
 * path like {@code messages[2].at}), the value, and what was expected.
 */
public final class JsonProblems {

	private JsonProblems() {
	}

	public static String describe(JacksonException ex) {
		if (ex instanceof StreamReadException && !(ex instanceof MismatchedInputException)) {
			return "malformed JSON: " + firstLine(ex.getOriginalMessage()) + location(ex);
		}
		String path = path(ex);
		if (ex instanceof UnrecognizedPropertyException unknown) {
			String parent = path.contains(".") ? path.substring(0, path.lastIndexOf('.')) + "." : "";
			return "unknown field '" + parent + unknown.getPropertyName() + "'";
		}
		Throwable cause = rootCause(ex);
		if (cause instanceof IllegalArgumentException && !(cause instanceof DateTimeParseException)
				&& cause.getMessage() != null) {
			// Our own enum and value parsers say exactly what is wrong.
			return prefix(path) + cause.getMessage();
		}
		if (ex instanceof InvalidFormatException invalid) {
			if (invalid.getTargetType() == Instant.class) {
				return prefix(path) + "'" + invalid.getValue()
						+ "' is not an ISO-8601 instant (such as 2025-03-01T10:15:30Z)";
			}
			return prefix(path) + "'" + invalid.getValue() + "' is not a valid "
					+ invalid.getTargetType().getSimpleName();
		}
		if (ex instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null) {
			return prefix(path) + "expected " + describeType(mismatched.getTargetType()) + ": "
					+ firstLine(ex.getOriginalMessage());
		}
		return prefix(path) + firstLine(ex.getOriginalMessage());
	}

	private static String describeType(Class<?> type) {
		if (type == Instant.class) {
			return "an ISO-8601 instant";
		}
		if (java.util.Collection.class.isAssignableFrom(type)) {
			return "an array";
		}
		if (java.util.Map.class.isAssignableFrom(type) || type.isRecord()) {
			return "an object";
		}
		if (type == String.class) {
			return "a string";
		}
		return type.getSimpleName();
	}

	/**
	 * The path of the failing field, e.g. {@code messages[2].at}; empty at the top.
	 * @param ex the failure
	 * @return the path
	 */
	public static String path(JacksonException ex) {
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference reference : ex.getPath()) {
			if (reference.getPropertyName() != null) {
				if (!path.isEmpty()) {
					path.append('.');
				}
				path.append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return path.toString();
	}

	private static String prefix(String path) {
		return path.isEmpty() ? "" : path + ": ";
	}

	private static String location(JacksonException ex) {
		return (ex.getLocation() != null && ex.getLocation().getLineNr() > 0)
				? " (at column " + ex.getLocation().getColumnNr() + ")" : "";
	}

	private static Throwable rootCause(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return cause;
	}

	private static String firstLine(String message) {
		if (message == null) {
			return "unreadable JSON";
		}
		int newline = message.indexOf('\n');
		return (newline < 0) ? message : message.substring(0, newline);
	}

}
