package org.conversationarchive.system;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.web.ErrorProperties;
import org.springframework.boot.webmvc.autoconfigure.error.BasicErrorController;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorViewResolver;
import org.springframework.boot.webmvc.error.ErrorAttributes;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
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

	private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
	};

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
		if (!Problems.isApi((String) request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI))) {
			return super.errorHtml(request, response);
		}
		ProblemDetail problem = problem(request);
		response.setStatus(problem.getStatus());
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
		ProblemDetail problem = problem(request);
		return ResponseEntity.status(problem.getStatus())
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(this.json.convertValue(problem, MAP));
	}

	private ProblemDetail problem(HttpServletRequest request) {
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		String path = (String) request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
		// Asked for directly, /error is no error of anything.
		HttpStatus status = (code == null) ? HttpStatus.NOT_FOUND : statusOf(code);
		ProblemDetail problem;
		if (status.is5xxServerError()) {
			problem = Problems.internalError("An unexpected error occurred", path,
					this.errorAttributes.getError(new ServletWebRequest(request)));
		}
		else {
			problem = Problems.of(status, status.getReasonPhrase(),
					detail(status, (String) request.getAttribute(RequestDispatcher.ERROR_MESSAGE)));
		}
		if (path != null) {
			try {
				problem.setInstance(URI.create(path));
			}
			catch (IllegalArgumentException ex) {
				// Not a URI as sent (an invalid escape): the problem is whole without it.
			}
		}
		return problem;
	}

	private static String detail(HttpStatus status, @Nullable String message) {
		if (status == HttpStatus.NOT_FOUND) {
			return "there is nothing at this path";
		}
		String shown = Problems.shown(message);
		return (shown != null) ? shown : Problems.refused(status.value(), null);
	}

	private static HttpStatus statusOf(Object code) {
		HttpStatus status = (code instanceof Integer value) ? HttpStatus.resolve(value) : null;
		return (status != null) ? status : HttpStatus.INTERNAL_SERVER_ERROR;
	}

}
