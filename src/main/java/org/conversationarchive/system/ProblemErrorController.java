package org.conversationarchive.system;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.web.ErrorProperties;
import org.springframework.boot.webmvc.autoconfigure.error.BasicErrorController;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorViewResolver;
import org.springframework.boot.webmvc.error.ErrorAttributes;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.servlet.ModelAndView;

/**
 * Errors that reach the servlet container's error page rather than a controller (a
 * request the security firewall rejects, an error raised in a filter, a
 * {@code sendError}): for the API an RFC 9457 problem, whatever the client accepts, never
 * a stack trace; the pages keep their HTML error page.
 */
class ProblemErrorController extends BasicErrorController {

	private static final Logger logger = LoggerFactory.getLogger(ProblemErrorController.class);

	private final ErrorAttributes errorAttributes;

	private final JsonMapper json;

	ProblemErrorController(ErrorAttributes errorAttributes, ErrorProperties properties,
			List<ErrorViewResolver> resolvers, JsonMapper json) {
		super(errorAttributes, properties, resolvers);
		this.errorAttributes = errorAttributes;
		this.json = json;
	}

	@Override
	@RequestMapping(produces = MediaType.TEXT_HTML_VALUE)
	public @Nullable ModelAndView errorHtml(HttpServletRequest request, HttpServletResponse response) {
		if (!isApi(request)) {
			return super.errorHtml(request, response);
		}
		Map<String, Object> problem = problem(request);
		response.setStatus((int) problem.get("status"));
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		try {
			response.getOutputStream().write(this.json.writeValueAsBytes(problem));
		}
		catch (IOException ex) {
			// The client is gone.
		}
		return null;
	}

	@Override
	@RequestMapping
	public ResponseEntity<Map<String, Object>> error(HttpServletRequest request) {
		Map<String, Object> problem = problem(request);
		return ResponseEntity.status((int) problem.get("status"))
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem);
	}

	private Map<String, Object> problem(HttpServletRequest request) {
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		String path = (String) request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
		// Asked for directly, /error is no error of anything.
		HttpStatus status = (code == null) ? HttpStatus.NOT_FOUND : statusOf(code);
		Throwable error = this.errorAttributes.getError(new ServletWebRequest(request));
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("type", "about:blank");
		problem.put("title", status.getReasonPhrase());
		problem.put("status", status.value());
		if (status.is5xxServerError()) {
			String reference = UUID.randomUUID().toString();
			logger.error("Request to {} failed (reference {})", path, reference, error);
			problem.put("detail", "An unexpected error occurred; it is logged under reference " + reference + ".");
			problem.put("reference", reference);
		}
		else {
			problem.put("detail",
					detail(status, error, (String) request.getAttribute(RequestDispatcher.ERROR_MESSAGE)));
		}
		if (path != null) {
			problem.put("instance", path);
		}
		return problem;
	}

	private static String detail(HttpStatus status, @Nullable Throwable error, @Nullable String message) {
		if (error instanceof RequestRejectedException rejected && rejected.getMessage() != null) {
			return "the request was refused: " + rejected.getMessage();
		}
		if (status == HttpStatus.NOT_FOUND) {
			return "there is nothing at this path";
		}
		if (message != null && !message.isBlank() && message.length() <= 300 && !message.contains("\n")
				&& !message.contains("Exception")) {
			return message;
		}
		return ProblemErrorReportValve.detail(status.value(), null);
	}

	private static HttpStatus statusOf(Object code) {
		HttpStatus status = (code instanceof Integer value) ? HttpStatus.resolve(value) : null;
		return (status != null) ? status : HttpStatus.INTERNAL_SERVER_ERROR;
	}

	private static boolean isApi(HttpServletRequest request) {
		Object path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
		return (path == null) || path.toString().startsWith("/api/");
	}

}
