package org.conversationarchive.web;

import java.io.IOException;
import java.util.Set;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.transport.TransportException;
import jakarta.servlet.http.HttpServletResponse;
import org.conversationarchive.flows.Flows;
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

	private final PageSettings settings;

	private final Flows flows;

	PageAdvice(CurrentUser user, Formats formats, PageSettings settings, Flows flows) {
		this.user = user;
		this.formats = formats;
		this.settings = settings;
		this.flows = flows;
	}

	@ModelAttribute("formats")
	Formats formats() {
		return this.formats;
	}

	@ModelAttribute("links")
	Links links() {
		return new Links(this.settings, this.user, this.flows);
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
		return problem(Problem.forbidden(ex.getMessage()), model, response);
	}

	@ExceptionHandler({ IOException.class, TransportException.class, ElasticsearchException.class })
	String unavailable(Exception ex, Model model, HttpServletResponse response) {
		logger.warn("A page could not reach Elasticsearch: {}", ex.toString());
		response.setHeader("Retry-After", "5");
		return problem(Problem.unavailable(), model, response);
	}

	private String problem(Problem problem, Model model, HttpServletResponse response) {
		response.setStatus(problem.status());
		model.addAttribute("problem", problem);
		model.addAttribute("me", me());
		return "problem";
	}

	/**
	 * Links out of the archive, for the signed-in user's org, and to the archive's own
	 * flow pages where it has the flow's graph.
	 */
	static final class Links {

		private final PageSettings settings;

		private final CurrentUser user;

		private final Flows flows;

		/** The org's published flows, read once a page, only by a page that asks. */
		private @Nullable Set<String> published;

		Links(PageSettings settings, CurrentUser user, Flows flows) {
			this.settings = settings;
			this.user = user;
			this.flows = flows;
		}

		/**
		 * "View Flow": the flow in the agent platform's flow editor.
		 * @param flowId the flow's id
		 * @return the URL, or {@code null} when none is configured
		 */
		public @Nullable String flow(@Nullable String flowId) {
			return (flowId != null && this.settings.flowLink() != null) ? this.settings.flow(this.user.id(), flowId)
					: null;
		}

		/**
		 * Whether the archive has a graph of the flow, so that "View Flow" opens its own
		 * page of it.
		 * @param flowId the flow's id
		 * @return whether a version of it is published
		 */
		public boolean archived(@Nullable String flowId) {
			if (flowId == null) {
				return false;
			}
			Set<String> published = this.published;
			if (published == null) {
				published = this.flows.ids(this.user.id());
				this.published = published;
			}
			return published.contains(flowId);
		}

	}

}
