package org.conversationarchive.system;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.transport.TransportException;
import org.apache.coyote.BadRequestException;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.apache.tomcat.util.http.fileupload.FileUploadException;
import org.apache.tomcat.util.http.fileupload.MultipartStream;
import org.apache.tomcat.util.http.fileupload.impl.SizeException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Every error of the API as an RFC 9457 problem: bad input is a {@code 400} that names
 * the problem, a missing thing a {@code 404}, too much a {@code 413}, the wrong kind of
 * content a {@code 415}, Elasticsearch out of reach a {@code 503} with
 * {@code Retry-After}, and anything unexpected a {@code 500} without internals: its
 * details go to the log under a {@code reference} the problem gives the client.
 */
@RestControllerAdvice
class ApiProblems extends ResponseEntityExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ApiProblems.class);

	static final String RETRY_AFTER_SECONDS = "5";

	/**
	 * The parameter Tomcat names when it cannot decode one: its exception carries only a
	 * status, so its message is the one place that names the parameter.
	 */
	private static final Pattern PARAMETER = Pattern.compile("Parameter \\[([^\\]]{1,100})\\]");

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
	ResponseEntity<ProblemDetail> conflict(ConflictException ex) {
		return problem(HttpStatus.CONFLICT, "Conflict", ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> payloadTooLarge(PayloadTooLargeException ex) {
		return problem(HttpStatus.CONTENT_TOO_LARGE, "Content too large", ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unsupportedMediaType(UnsupportedMediaTypeException ex) {
		return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type", ex.getMessage());
	}

	/**
	 * A body that is not whole multipart (cut short, no closing boundary, not multipart
	 * at all) is the client's; one the service could not store while reading it (no room
	 * for its temporary file) is the service's.
	 */
	@ExceptionHandler
	ResponseEntity<ProblemDetail> multipart(MultipartException ex) {
		if (!failedToStore(ex)) {
			logger.debug("Unreadable multipart request", ex);
			return problem(HttpStatus.BAD_REQUEST, "Invalid input",
					"the multipart body is incomplete or malformed (cut short, or without its closing boundary); "
							+ "send the whole request again");
		}
		return unexpected(ex);
	}

	/**
	 * Tomcat refuses the query string or form parameters it cannot decode (an invalid
	 * %-escape or character encoding, too many parameters) when they are first read.
	 */
	@ExceptionHandler
	ResponseEntity<ProblemDetail> unreadableParameters(InvalidParameterException ex) {
		HttpStatus status = HttpStatus.resolve(ex.getErrorCode());
		Matcher parameter = PARAMETER.matcher(String.valueOf(ex.getMessage()));
		String which = parameter.find() ? "parameter " + parameter.group(1) + ": " : "";
		logger.debug("Unreadable request parameters", ex);
		if (status == HttpStatus.CONTENT_TOO_LARGE) {
			return problem(status, "Content too large", "the request has more parameters or parts than are allowed");
		}
		return problem(HttpStatus.BAD_REQUEST, "Invalid input", which
				+ "the query string or form could not be decoded: each % must start a valid escape (%20, %2F, …) of UTF-8");
	}

	/**
	 * The security firewall checks some parts of a request only when they are first read
	 * (a parameter's name with a control character), in the middle of a controller.
	 */
	@ExceptionHandler
	ResponseEntity<ProblemDetail> rejected(RequestRejectedException ex) {
		return problem(HttpStatus.BAD_REQUEST, "Invalid input", "the request was refused: " + ex.getMessage());
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
			if (ex instanceof ElasticsearchException refused && refused.error() != null
					&& StorageUnavailableException.isWriteBlocked(refused.error())) {
				return unavailableProblem(StorageUnavailableException.REBUILDING);
			}
			return unavailableProblem(
					(ex instanceof StorageUnavailableException unavailable && unavailable.getMessage() != null)
							? unavailable.getMessage()
							: "Elasticsearch is not reachable right now; nothing was stored. Retry later.");
		}
		return internalError(Problems.internalError("The search engine refused the request", null, ex));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unexpected(RuntimeException ex) {
		return internalError(Problems.internalError("An unexpected error occurred", null, ex));
	}

	/**
	 * A request parameter (or path variable) of the wrong type, for every endpoint: a
	 * {@code 400} naming the parameter, its value and what it should be, in words rather
	 * than Java types.
	 */
	@Override
	protected @Nullable ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		String name = (ex.getPropertyName() != null) ? ex.getPropertyName() : "a parameter";
		Class<?> type = ex.getRequiredType();
		String expected = (type != null) ? JsonProblems.describeType(type) : "a valid value";
		Object value = ex.getValue();
		String given = String.valueOf((value instanceof Object[] values && values.length == 1) ? values[0] : value);
		// A whole number too large for its parameter is one, just not of this range.
		String range = given.matches("[+-]?\\d{1,1000}") ? " in range" : "";
		String detail = (value instanceof Object[] values && values.length != 1)
				? "parameter " + name + ": given " + values.length + " times; give it once, as " + expected
				: "parameter " + name + ": '" + abbreviate(given) + "' is not " + expected + range;
		return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, "Invalid input", detail).getBody());
	}

	/**
	 * A multipart upload over the container's limits (a file, or the whole body), found
	 * while it streamed.
	 */
	@Override
	protected @Nullable ResponseEntity<Object> handleMaxUploadSizeExceededException(MaxUploadSizeExceededException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		long permitted = ex.getMaxUploadSize();
		for (Throwable cause = ex; cause != null && permitted < 0; cause = cause.getCause()) {
			if (cause instanceof SizeException size) {
				permitted = size.getPermittedSize();
			}
		}
		return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
			.body(problem(HttpStatus.CONTENT_TOO_LARGE, "Content too large",
					"the upload is larger than allowed: at most "
							+ ((permitted >= 0) ? permitted + " bytes" : "what the service takes")
							+ " (archive.security.max-upload-size)")
				.getBody());
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		String header = request.getHeader(HttpHeaders.CONTENT_TYPE);
		String given = (ex.getContentType() != null) ? "not " + ex.getContentType()
				: (header == null || header.isBlank()) ? "none was given"
						: "not '" + ((header.length() <= 100) ? header : header.substring(0, 100) + "…")
								+ "', which is not a media type that can be read";
		String accepted = ex.getSupportedMediaTypes()
			.stream()
			.map(Object::toString)
			.collect(Collectors.joining(" or "));
		ResponseEntity<ProblemDetail> answer = problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type",
				"send the body as " + (accepted.isEmpty() ? "another type" : accepted) + " (Content-Type); " + given);
		return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE).headers(headers).body(answer.getBody());
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		return ResponseEntity.status(HttpStatus.NOT_FOUND)
			.body(problem(HttpStatus.NOT_FOUND, "Not found", "there is nothing at /" + ex.getResourcePath()).getBody());
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
		return ResponseEntity.badRequest().body(Problems.of(HttpStatus.BAD_REQUEST, "Invalid input", detail));
	}

	private static ResponseEntity<ProblemDetail> unavailableProblem(String detail) {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
			.body(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "Storage unavailable", detail));
	}

	private static String abbreviate(String text) {
		return (text.length() <= 100) ? text : text.substring(0, 100) + "…";
	}

	private static ResponseEntity<ProblemDetail> internalError(ProblemDetail problem) {
		return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(problem);
	}

	/**
	 * Whether reading failed on this side: an I/O error other than the upload's own
	 * (malformed, cut short, too slow, abandoned by the client).
	 */
	private static boolean failedToStore(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof IOException && !(cause instanceof FileUploadException
					|| cause instanceof MultipartStream.MalformedStreamException || cause instanceof EOFException
					|| cause instanceof SocketTimeoutException || cause instanceof BadRequestException)) {
				return true;
			}
		}
		return false;
	}

	private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, String detail) {
		return ResponseEntity.status(status).body(Problems.of(status, title, detail));
	}

}
