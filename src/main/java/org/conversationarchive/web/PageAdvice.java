package org.conversationarchive.web;

import java.io.IOException;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.transport.TransportException;
import jakarta.servlet.http.HttpServletResponse;
import org.conversationarchive.security.CurrentUser;
import org.conversationarchive.system.ForbiddenException;
import org.conversationarchive.system.InvalidInputException;
import org.conversationarchive.system.NotFoundException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * What every page has (who is signed in), and errors of the pages as a page that says
 * what went wrong, never a stack trace or the API's JSON. Ordered before the API's
 * handlers, which would answer the pages in JSON.
 */
@ControllerAdvice(basePackageClasses = PageAdvice.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class PageAdvice {

	private static final Logger logger = LoggerFactory.getLogger(PageAdvice.class);

	private final CurrentUser user;

	private final Formats formats;

	PageAdvice(CurrentUser user, Formats formats) {
		this.user = user;
		this.formats = formats;
	}

	@ModelAttribute("formats")
	Formats formats() {
		return this.formats;
	}

	@ModelAttribute("me")
	@Nullable SignedIn me() {
		return SignedIn.of(this.user);
	}

	@ExceptionHandler
	String invalid(InvalidInputException ex, Model model, HttpServletResponse response) {
		return problem(Problem.invalid(ex.getMessage()), model, response);
	}

	@ExceptionHandler
	String notFound(NotFoundException ex, Model model, HttpServletResponse response) {
		return problem(Problem.notFound(ex.getMessage()), model, response);
	}

	@ExceptionHandler
	String forbidden(ForbiddenException ex, Model model, HttpServletResponse response) {
		return problem(new Problem(403, "Forbidden", ex.getMessage()), model, response);
	}

	@ExceptionHandler({ IOException.class, TransportException.class, ElasticsearchException.class })
	String unavailable(Exception ex, Model model, HttpServletResponse response) {
		logger.warn("A page could not reach Elasticsearch: {}", ex.toString());
		response.setHeader("Retry-After", "5");
		return problem(new Problem(503, "Storage unavailable",
				"Elasticsearch is not reachable right now. Reload the page in a moment."), model, response);
	}

	private String problem(Problem problem, Model model, HttpServletResponse response) {
		response.setStatus(problem.status());
		model.addAttribute("problem", problem);
		model.addAttribute("me", me());
		return "problem";
	}

}
