package org.conversationarchive.system;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.io.JsonStringEncoder;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * What Tomcat answers itself, before the application sees the request (a path with an
 * encoded {@code /} or NUL, a request line or headers larger than it reads, a request it
 * cannot parse): an RFC 9457 problem like every other error of the service, with the
 * status Tomcat chose, instead of its HTML page.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

	private static final Logger logger = LoggerFactory.getLogger(ProblemErrorReportValve.class);

	@Override
	protected void report(Request request, Response response, @Nullable Throwable throwable) {
		int status = response.getStatus();
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		AtomicBoolean ioAllowed = new AtomicBoolean(false);
		response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
		if (!ioAllowed.get()) {
			return;
		}
		HttpStatus known = HttpStatus.resolve(status);
		String title = (known != null) ? known.getReasonPhrase() : "Error";
		String reference = null;
		String detail;
		if (status >= 500) {
			reference = UUID.randomUUID().toString();
			logger.error("Request failed before the application answered (reference {})", reference, throwable);
			detail = "An unexpected error occurred; it is logged under reference " + reference + ".";
		}
		else {
			detail = detail(status, response.getMessage());
		}
		StringBuilder json = new StringBuilder(256).append("{\"type\":\"about:blank\",\"title\":")
			.append(quoted(title))
			.append(",\"status\":")
			.append(status)
			.append(",\"detail\":")
			.append(quoted(detail));
		if (reference != null) {
			json.append(",\"reference\":").append(quoted(reference));
		}
		json.append('}');
		try {
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			response.setCharacterEncoding(StandardCharsets.UTF_8.name());
			Writer writer = response.getReporter();
			if (writer != null) {
				writer.write(json.toString());
				response.finishResponse();
			}
		}
		catch (IOException | IllegalStateException ex) {
			// The client is gone, or the answer is under way: nothing more to say.
		}
	}

	/**
	 * Says what Tomcat refused, in its own words where it gave some.
	 */
	static String detail(int status, @Nullable String message) {
		String given = (message != null && !message.isBlank() && message.length() <= 300 && !message.contains("\n")
				&& !message.contains("Exception")) ? message.strip() : null;
		return switch (status) {
			case 400 -> "the request could not be read" + ((given != null) ? " (" + given + ")" : "")
					+ ": its path, query string or headers are malformed, for example an encoded / or NUL in the path, "
					+ "an invalid %-escape, or a line or header longer than the server reads";
			case 414 -> "the URL is longer than the server reads; send the filter as JSON (POST) instead";
			case 431 -> "the request's headers are larger than the server reads";
			case 413 -> "the request is larger than the server reads";
			default -> (given != null) ? given : "the request was refused";
		};
	}

	private static String quoted(String text) {
		StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
		JsonStringEncoder.getInstance().quoteAsString(text, quoted);
		return quoted.append('"').toString();
	}

}
