package org.conversationarchive.live;

import org.conversationarchive.gateway.PlatformRefusedException;
import org.conversationarchive.gateway.PlatformUnavailableException;
import org.conversationarchive.system.Problems;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The agent platform's failures as the live API answers them, for actions and listening
 * alike.
 */
@RestControllerAdvice(assignableTypes = { ActionsController.class, LiveController.class, InboxController.class })
class LiveProblems {

	/**
	 * The platform cannot take actions now: a {@code 503} with the reason and, when
	 * waiting helps, {@code Retry-After}. The action is kept; sent again with the same
	 * {@code Idempotency-Key} it is the same action.
	 */
	@ExceptionHandler
	ResponseEntity<ProblemDetail> unavailable(PlatformUnavailableException ex) {
		ResponseEntity.BodyBuilder answer = ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE);
		Long seconds = ex.retryAfterSeconds();
		if (seconds != null) {
			answer.header(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
		}
		return answer.body(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "Agent platform unavailable", ex.getMessage()
				+ "; nothing was done. Send the action again (with the same Idempotency-Key) " + "once it is back"));
	}

	/**
	 * The platform will not do it: it does not know the conversation or the action does
	 * not apply there now ({@code 409}), or it refused the archive's request, which is a
	 * fault between the two ({@code 502}).
	 */
	@ExceptionHandler
	ResponseEntity<ProblemDetail> refused(PlatformRefusedException ex) {
		boolean notNow = ex.status() == 404 || ex.status() == 409 || ex.status() == 410 || ex.status() == 422;
		HttpStatus status = notNow ? HttpStatus.CONFLICT : HttpStatus.BAD_GATEWAY;
		return ResponseEntity.status(status)
			.body(Problems.of(status, notNow ? "Conflict" : "Agent platform refused", ex.getMessage()));
	}

}
