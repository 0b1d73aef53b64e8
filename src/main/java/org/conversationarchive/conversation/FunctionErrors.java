package org.conversationarchive.conversation;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Whether a function call's result reports an error. Results are any JSON, shaped by
 * whatever the agent called, so the conventions of the common shapes are read: a text
 * that begins with the word {@code Error} (or {@code Exception}, {@code Failed},
 * {@code Failure}); an object with a non-empty {@code error} or {@code errors},
 * {@code isError: true} (MCP tool results), {@code success} or {@code ok} false, a
 * {@code status} of {@code error}, {@code failed} or {@code failure}, or a numeric
 * {@code status}/{@code statusCode} of 400 or more.
 */
final class FunctionErrors {

	private static final List<String> FAILED_TEXT = List.of("error", "exception", "failed", "failure");

	/**
	 * One of those words first ("Error: not found", "Failed to book"), not "Errors are
	 * logged".
	 */
	private static final Pattern FAILED_START = Pattern.compile("^\\s*(error|exception|failed|failure)\\b",
			Pattern.CASE_INSENSITIVE);

	private FunctionErrors() {
	}

	static boolean reportsError(@Nullable Object result) {
		return switch (result) {
			case null -> false;
			case String text -> failedText(text);
			case Map<?, ?> object -> failedObject(object);
			default -> false;
		};
	}

	private static boolean failedText(String text) {
		return FAILED_START.matcher(text).find();
	}

	private static boolean failedObject(Map<?, ?> object) {
		return present(object.get("error")) || present(object.get("errors"))
				|| Boolean.TRUE.equals(object.get("isError")) || Boolean.FALSE.equals(object.get("success"))
				|| Boolean.FALSE.equals(object.get("ok")) || failedStatus(object.get("status"))
				|| failedStatus(object.get("statusCode"));
	}

	private static boolean present(@Nullable Object value) {
		return switch (value) {
			case null -> false;
			case Boolean flag -> flag;
			case String text -> !text.isBlank();
			case List<?> list -> !list.isEmpty();
			case Map<?, ?> map -> !map.isEmpty();
			default -> true;
		};
	}

	private static boolean failedStatus(@Nullable Object status) {
		return switch (status) {
			case null -> false;
			case Number code -> code.intValue() >= 400;
			case String text -> FAILED_TEXT.contains(text.strip().toLowerCase(Locale.ROOT));
			default -> false;
		};
	}

}
