package org.conversationarchive.system;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns a JSON reading failure into one sentence a client can act on: the field (as a
 * path like {@code messages[2].at}), the value, and what was expected, in words: never
 * the names of the service's Java types, which Jackson's own messages carry.
 */
public final class JsonProblems {

	private JsonProblems() {
	}

	public static String describe(JacksonException ex) {
		if (ex instanceof JacksonIOException) {
			return "the JSON could not be read whole; send it again";
		}
		String path = path(ex);
		if (ex instanceof InputCoercionException coercion) {
			// A number the parser read but that does not fit the field's type.
			return prefix(path) + "out of range; expected " + describeType(coercion.getTargetType())
					+ range(coercion.getTargetType());
		}
		if (ex instanceof StreamConstraintsException beyond) {
			return prefix(path) + beyondLimits(beyond);
		}
		if (!(ex instanceof DatabindException)) {
			// The parser's own: not JSON.
			return "malformed JSON: " + plain(ex.getOriginalMessage()) + location(ex);
		}
		if (ex instanceof UnrecognizedPropertyException unknown) {
			String parent = path.contains(".") ? path.substring(0, path.lastIndexOf('.')) + "." : "";
			return "unknown field '" + parent + unknown.getPropertyName() + "'";
		}
		Throwable cause = rootCause(ex);
		if (cause instanceof IllegalArgumentException && !(cause instanceof DateTimeParseException)
				&& !(cause instanceof NumberFormatException) && cause.getMessage() != null) {
			// Our own enum and value parsers say exactly what is wrong.
			return prefix(path) + cause.getMessage();
		}
		Class<?> target = (ex instanceof MismatchedInputException mismatched) ? mismatched.getTargetType() : null;
		if (target == null) {
			return prefix(path) + "is not a valid value here";
		}
		if (ex instanceof InvalidFormatException invalid && invalid.getValue() != null) {
			return prefix(path) + shown(invalid.getValue()) + " is not " + describeType(target);
		}
		return prefix(path) + "expected " + describeType(target);
	}

	/**
	 * What a value of this type is, for a client: "a whole number", "a string", "an
	 * array"…
	 * @param type the Java type
	 * @return its description
	 */
	static String describeType(Class<?> type) {
		if (type == Instant.class) {
			return "an ISO-8601 instant (such as 2025-03-01T10:15:30Z)";
		}
		if (type == String.class || type == Character.class || type == char.class) {
			return "a string";
		}
		if (type == Integer.class || type == int.class || type == Long.class || type == long.class
				|| type == Short.class || type == short.class || type == BigInteger.class) {
			return "a whole number";
		}
		if (type == Double.class || type == double.class || type == Float.class || type == float.class
				|| type == BigDecimal.class) {
			return "a number";
		}
		if (type == Boolean.class || type == boolean.class) {
			return "true or false";
		}
		if (Collection.class.isAssignableFrom(type) || type.isArray()) {
			return "an array";
		}
		if (type.isEnum()) {
			return "one of its named values";
		}
		if (Map.class.isAssignableFrom(type) || type.isRecord() || !type.getName().startsWith("java.")) {
			return "an object";
		}
		return "a valid value";
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

	private static String shown(Object value) {
		return (value instanceof String text) ? "'" + abbreviate(text) + "'" : abbreviate(String.valueOf(value));
	}

	private static String abbreviate(String text) {
		return (text.length() <= 60) ? text : text.substring(0, 60) + "…";
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

	/**
	 * The first line of a parser's message up to where it names the parser's own settings
	 * or types (in backquotes: "Non-standard token 'NaN': enable `JsonReadFeature…`") or
	 * where a marker started in the source.
	 */
	private static String plain(String message) {
		if (message == null) {
			return "unreadable JSON";
		}
		int newline = message.indexOf('\n');
		String line = (newline < 0) ? message : message.substring(0, newline);
		int marker = line.indexOf(" (start marker at");
		if (marker >= 0) {
			line = line.substring(0, marker);
		}
		int internal = line.indexOf('`');
		if (internal >= 0) {
			line = line.substring(0, internal);
			int open = line.lastIndexOf('(');
			int clause = Math.max(line.lastIndexOf(':'), (open > line.lastIndexOf(')')) ? open : -1);
			if (clause > 0) {
				line = line.substring(0, clause);
			}
		}
		return line.strip();
	}

	/**
	 * Which of the parser's limits a value went beyond. The exception is thrown while the
	 * parser reads a token, with neither the parser, the place nor the field; its message
	 * names the limit by the getter of {@link StreamReadConstraints} that holds it.
	 */
	private static String beyondLimits(StreamConstraintsException ex) {
		StreamReadConstraints limits = StreamReadConstraints.defaults();
		String message = String.valueOf(ex.getOriginalMessage());
		if (message.contains("getMaxNumberLength")) {
			return "a number has more than the " + limits.getMaxNumberLength() + " digits the service reads";
		}
		if (message.contains("getMaxNestingDepth")) {
			return "the JSON nests deeper than the " + limits.getMaxNestingDepth() + " levels the service reads";
		}
		if (message.contains("getMaxStringLength")) {
			return "a string is longer than the " + limits.getMaxStringLength() + " characters the service reads";
		}
		if (message.contains("getMaxNameLength")) {
			return "a field name is longer than the " + limits.getMaxNameLength() + " characters the service reads";
		}
		return "the JSON is larger than the service reads";
	}

	private static String range(Class<?> type) {
		if (type == Integer.class || type == int.class) {
			return " from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
		}
		if (type == Long.class || type == long.class) {
			return " from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
		}
		if (type == Short.class || type == short.class) {
			return " from " + Short.MIN_VALUE + " to " + Short.MAX_VALUE;
		}
		return " in range";
	}

}
