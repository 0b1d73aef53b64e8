package org.conversationarchive.system;

import java.net.URI;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * What every error answer has in common, whoever writes it (the controllers' advice, the
 * container's error page, Tomcat's own refusals): the problem's shape, a failure of the
 * service's own as one sentence and a reference, and which of the server's messages may
 * be shown to a client.
 */
public final class Problems {

	private static final Logger logger = LoggerFactory.getLogger(Problems.class);

	private Problems() {
	}

	public static ProblemDetail of(HttpStatusCode status, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		problem.setType(URI.create("about:blank"));
		return problem;
	}

	/**
	 * A failure of the service's own: the client gets one sentence and a reference, the
	 * log the details under that reference.
	 * @param what what happened, the start of the client's sentence and of the log line
	 * @param path the request's path, for the log, when known
	 * @param cause what failed, for the log
	 * @return a {@code 500} problem with a {@code reference}
	 */
	static ProblemDetail internalError(String what, @Nullable String path, @Nullable Throwable cause) {
		String reference = UUID.randomUUID().toString();
		logger.error("{}{} (reference {})", what, (path != null) ? " at " + path : "", reference, cause);
		ProblemDetail problem = of(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
				what + "; it is logged under reference " + reference + ".");
		problem.setProperty("reference", reference);
		return problem;
	}

	/**
	 * Says what the server refused, in its own words where they may be shown.
	 * @param status the status it answered
	 * @param message its message, if any
	 * @return the problem's detail
	 */
	static String refused(int status, @Nullable String message) {
		String shown = shown(message);
		return switch (status) {
			case 400 -> "the request could not be read" + ((shown != null) ? " (" + shown + ")" : "")
					+ ": its path, query string or headers are malformed, for example an encoded / or NUL in the path, "
					+ "an invalid %-escape, or a line or header longer than the server reads";
			case 414 -> "the URL is longer than the server reads; send the filter as JSON (POST) instead";
			case 431 -> "the request's headers are larger than the server reads";
			case 413 -> "the request is larger than the server reads";
			default -> (shown != null) ? shown : "the request was refused";
		};
	}

	/**
	 * A message of the server's (the container's, a filter's {@code sendError}) that may
	 * be shown as it is: one short line that names no exception.
	 * @param message the message
	 * @return it, stripped, or {@code null} when it may not be shown
	 */
	static @Nullable String shown(@Nullable String message) {
		return (message != null && !message.isBlank() && message.length() <= 300 && !message.contains("\n")
				&& !message.contains("Exception")) ? message.strip() : null;
	}

	/**
	 * Whether a path is the API's, whose errors are problems; the pages' are HTML.
	 * @param path the request's path as sent; unknown when the request line was
	 * unreadable
	 * @return whether errors there are answered as problems
	 */
	static boolean isApi(@Nullable String path) {
		return path == null || path.startsWith("/api/");
	}

}
