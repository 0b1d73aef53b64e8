package org.conversationarchive.live;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.conversationarchive.gateway.PlatformRefusedException;
import org.conversationarchive.gateway.PlatformUnavailableException;
import org.conversationarchive.security.CurrentUser;
import org.conversationarchive.system.Problems;
import org.conversationarchive.system.StrictJson;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Actions on a live conversation, sent through the org's agent platform: {@code POST
 * /api/v1/conversations/{id}/actions} answers {@code 202} with the action once the
 * platform took it; what came of it follows when the platform reports it (a message
 * naming the action), and shows in the conversation's actions.
 */
@RestController
class ActionsController {

	private static final String EXAMPLE = "{\"type\": \"transfer\", \"to\": \"+14155550123\"} "
			+ "(types: listen, take_over, hand_back, transfer (to), enqueue (queue), end, coach (text), reply (text))";

	private final LiveActions actions;

	private final CurrentUser user;

	private final JsonMapper json;

	ActionsController(LiveActions actions, CurrentUser user, JsonMapper json) {
		this.actions = actions;
		this.user = user;
		this.json = json;
	}

	@PostMapping(path = "/api/v1/conversations/{id}/actions", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<LiveActions.Action> act(@PathVariable String id,
			@RequestHeader(name = "Idempotency-Key", required = false) @Nullable String key,
			@RequestBody(required = false) byte @Nullable [] body) throws IOException {
		LiveActions.ActionRequest request = StrictJson.read(this.json, body, LiveActions.ActionRequest.class, EXAMPLE);
		LiveActions.Taken taken = this.actions.act(this.user, id, request, key);
		return ResponseEntity.status(HttpStatus.ACCEPTED)
			.header(HttpHeaders.LOCATION, "/api/v1/conversations/" + id + "/actions/" + taken.action().id())
			.body(taken.action());
	}

	@GetMapping("/api/v1/conversations/{id}/actions")
	Map<String, List<LiveActions.Action>> list(@PathVariable String id) throws IOException {
		return Map.of("items", this.actions.actions(this.user.id(), id));
	}

	@GetMapping("/api/v1/conversations/{id}/actions/{actionId}")
	LiveActions.Action get(@PathVariable String id, @PathVariable String actionId) throws IOException {
		return this.actions.action(this.user.id(), id, actionId);
	}

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
