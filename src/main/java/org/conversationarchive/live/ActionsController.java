package org.conversationarchive.live;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.conversationarchive.security.CurrentUser;
import org.conversationarchive.system.StrictJson;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
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

}
