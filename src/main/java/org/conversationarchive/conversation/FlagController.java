package org.conversationarchive.conversation;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.conversationarchive.conversation.Conversation.Flag;
import org.conversationarchive.conversation.Conversation.FlagEvent;
import org.conversationarchive.security.AuditEvent;
import org.conversationarchive.security.CurrentUser;
import org.conversationarchive.security.Role;
import org.conversationarchive.system.InvalidInputException;
import org.conversationarchive.system.NotFoundException;
import org.conversationarchive.system.StrictJson;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * People's flags: an analyst (or above) flags a conversation for review with a reason, or
 * removes every flag with one; anyone who reads it reads its flags and their history.
 * Each change goes through {@link ConversationFlags} and into the audit log.
 */
@RestController
@RequestMapping("/api/v1/conversations/{id}/flags")
class FlagController {

	/** The longest reason a person gives: a sentence or two, not a report. */
	static final int MAX_REASON = 1000;

	private static final List<String> FIELDS = List.of("flagged", "flags", "flagHistory");

	private final ConversationFlags flags;

	private final Conversations conversations;

	private final CurrentUser user;

	private final JsonMapper json;

	private final ApplicationEventPublisher events;

	FlagController(ConversationFlags flags, Conversations conversations, CurrentUser user, JsonMapper json,
			ApplicationEventPublisher events) {
		this.flags = flags;
		this.conversations = conversations;
		this.user = user;
		this.json = json;
		this.events = events;
	}

	@GetMapping
	FlagState flags(@PathVariable String id) throws IOException {
		return state(this.user.id(), id, null);
	}

	/**
	 * Flags the conversation as the caller: {@code {"reason", "severity"?}}.
	 */
	@PostMapping
	FlagState flag(@PathVariable String id, @RequestBody(required = false) byte @Nullable [] body) throws IOException {
		this.user.require(Role.ANALYST, "flag conversations");
		FlagRequest request = StrictJson.read(this.json, body, FlagRequest.class,
				"{\"reason\": \"Promised a refund it cannot give\", \"severity\": \"high\"}");
		String reason = reason(request.reason());
		if (request.severity() != null && !Flag.SEVERITIES.contains(request.severity())) {
			throw new InvalidInputException(
					"severity: '" + request.severity() + "' is not one of " + String.join(", ", Flag.SEVERITIES));
		}
		String org = this.user.id();
		this.flags.flag(org, id,
				List.of(new Flag(reason, FlagSource.USER, request.severity(), null, null, this.user.userId(), null)),
				Map.of());
		this.events.publishEvent(new AuditEvent(org, "conversation.flagged", id, reason));
		return state(org, id, null);
	}

	/**
	 * Removes every flag of the conversation, whatever set it: {@code {"reason"}} or
	 * {@code ?reason=}.
	 */
	@DeleteMapping
	FlagState unflag(@PathVariable String id, @RequestParam(name = "reason", required = false) @Nullable String given,
			@RequestBody(required = false) byte @Nullable [] body) throws IOException {
		this.user.require(Role.ANALYST, "unflag conversations");
		boolean inBody = body != null && body.length > 0;
		if (inBody && given != null) {
			throw new InvalidInputException("reason: give it in the body or as ?reason=, not both");
		}
		String reason = reason(inBody
				? StrictJson.read(this.json, body, UnflagRequest.class, "{\"reason\": \"Checked: handled well\"}")
					.reason()
				: given);
		String org = this.user.id();
		int removed = this.flags.unflag(org, id, (flag) -> true, reason, this.user.userId());
		if (removed > 0) {
			this.events.publishEvent(new AuditEvent(org, "conversation.unflagged", id,
					removed + ((removed == 1) ? " flag: " : " flags: ") + reason));
		}
		return state(org, id, removed);
	}

	private static String reason(@Nullable String reason) {
		if (reason == null || reason.isBlank()) {
			throw new InvalidInputException("reason is required: say why, in a sentence");
		}
		String trimmed = reason.strip();
		if (trimmed.length() > MAX_REASON) {
			throw new InvalidInputException(
					"reason is " + trimmed.length() + " characters long; at most " + MAX_REASON + " are allowed");
		}
		return trimmed;
	}

	private FlagState state(String org, String id, @Nullable Integer removed) throws IOException {
		StoredConversation stored = this.conversations.findAll(org, List.of(id), FIELDS)
			.values()
			.stream()
			.findFirst()
			.orElseThrow(() -> new NotFoundException("no conversation '" + id + "'"));
		ConversationDocument document = stored.document();
		return new FlagState(Boolean.TRUE.equals(document.flagged()),
				(document.flags() != null) ? document.flags() : List.of(),
				(document.flagHistory() != null) ? document.flagHistory() : List.of(), removed);
	}

	/**
	 * A person's flag.
	 *
	 * @param reason why, required
	 * @param severity one of {@link Flag#SEVERITIES}, optional
	 */
	record FlagRequest(@Nullable String reason, @Nullable String severity) {
	}

	/**
	 * Why the flags are removed.
	 *
	 * @param reason why, required
	 */
	record UnflagRequest(@Nullable String reason) {
	}

	/**
	 * A conversation's flags.
	 *
	 * @param flagged whether it is flagged
	 * @param flags its flags now
	 * @param history every flag rules and people set or removed, oldest first
	 * @param removed how many flags a removal removed (only in its answer)
	 */
	record FlagState(boolean flagged, List<Flag> flags, List<FlagEvent> history, @Nullable Integer removed) {
	}

}
