package org.conversationarchive.system;

import java.io.IOException;
import java.net.URI;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.transport.TransportException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error of the API as an RFC 9457 problem: bad input is a {@code 400} that names
 * the problem, a missing thing a {@code 404}, too much a {@code 413}, the wrong kind of
 * content a {@code 415}, Elasticsearch out of reach a {@code 503} with
 * {@code Retry-After}, and anything unexpected a {@code 500} without internals.
 */
@RestControllerAdvice
class ApiProblems extends ResponseEntityExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ApiProblems.class);

	static final String RETRY_AFTER_SECONDS = "5";

	@ExceptionHandler
	ResponseEntity<ProblemDetail> invalidInput(InvalidInputException ex) {
		return problem(HttpStatus.BAD_REQUEST, "Invalid input", ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> forbidden(ForbiddenException ex) {
		return problem(HttpStatus.FORBIDDEN, "Forbidden", ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> notFound(NotFoundException ex) {
		return problem(HttpStatus.NOT_FOUND, "Not found", ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> payloadTooLarge(PayloadTooLargeException ex) {
		return problem(HttpStatus.CONTENT_TOO_LARGE, "Content too large", ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unsupportedMediaType(UnsupportedMediaTypeException ex) {
		return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type", ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException ex) {
		Throwable cause = ex.getMostSpecificCause();
		String reason = (cause instanceof IllegalArgumentException && cause.getMessage() != null) ? cause.getMessage()
				: "'" + ex.getValue() + "' is not a valid value";
		return problem(HttpStatus.BAD_REQUEST, "Invalid input", "parameter " + ex.getName() + ": " + reason);
	}

	/**
	 * Elasticsearch out of reach or overloaded is a 503 to retry; any other refusal of
	 * its is a fault of this service (500). Which is which is
	 * {@link StorageUnavailableException#isUnavailability}'s to say, as for bulk lines.
	 */
	@ExceptionHandler({ StorageUnavailableException.class, TransportException.class, IOException.class,
			ElasticsearchException.class })
	ResponseEntity<ProblemDetail> storage(Exception ex) {
		if (StorageUnavailableException.isUnavailability(ex)) {
			logger.warn("Elasticsearch unavailable: {}", ex.toString());
			// One this service raised says what to wait for; a failure to reach
			// Elasticsearch says it in the words of the client library, not for clients.
			return unavailableProblem(
					(ex instanceof StorageUnavailableException unavailable && unavailable.getMessage() != null)
							? unavailable.getMessage()
							: "Elasticsearch is not reachable right now; nothing was stored. Retry later.");
		}
		logger.error("Elasticsearch refused a request", ex);
		return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
				"The search engine refused the request; the error is logged.");
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unexpected(RuntimeException ex) {
		logger.error("Unexpected error", ex);
		return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
				"An unexpected error occurred; it is logged.");
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		// A body cut off at the limit while it streamed: the parser that was reading it
		// wraps the refusal as bad JSON, but it is too much, not bad.
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof PayloadTooLargeException tooLarge) {
				return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(payloadTooLarge(tooLarge).getBody());
			}
		}
		String detail = (ex.getCause() instanceof JacksonException jackson) ? JsonProblems.describe(jackson)
				: "the request body is missing or unreadable";
		ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
		body.setTitle("Invalid input");
		return ResponseEntity.badRequest().body(body);
	}

	private static ResponseEntity<ProblemDetail> unavailableProblem(String detail) {
		ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail);
		body.setTitle("Storage unavailable");
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
			.body(body);
	}

	private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, String detail) {
		ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
		body.setTitle(title);
		body.setType(URI.create("about:blank"));
		return ResponseEntity.status(status).body(body);
	}

}
