package org.conversationarchive.live;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.conversationarchive.conversation.ConversationDocument;
import org.conversationarchive.conversation.Conversations;
import org.conversationarchive.gateway.GatewayAction;
import org.conversationarchive.gateway.GatewayClient;
import org.conversationarchive.gateway.PlatformRefusedException;
import org.conversationarchive.gateway.PlatformUnavailableException;
import org.conversationarchive.security.AuditEvent;
import org.conversationarchive.security.CurrentUser;
import org.conversationarchive.security.Role;
import org.conversationarchive.system.InvalidInputException;
import org.conversationarchive.system.NotFoundException;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * People's actions on live conversations: who may take which, when it applies, sending it
 * through the gateway, and the record of it (the conversation's actions, the audit log,
 * who holds it).
 * <p>
 * Roles: listening needs an analyst (it is hearing a recording, live); the monitoring
 * actions that change a call (take over, transfer, enqueue, end, coach) need a manager;
 * the person who holds a conversation (took it over, claimed or was assigned it: an
 * analyst at least) replies, hands it back and ends it.
 */
@Component
class LiveActions {

	static final int MAX_TEXT = 4000;

	private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");

	private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,200}");

	/**
	 * Longer than any send takes (attempts of connect and read timeouts with backoffs at
	 * the defaults: about 22 s): an action still sending after it is one its instance
	 * dropped.
	 */
	static final java.time.Duration STUCK = java.time.Duration.ofMinutes(2);

	/** What the AI agent's conversation takes. */
	private static final Set<String> MONITORING = Set.of("listen", "take_over", "transfer", "enqueue", "end", "coach");

	/** What the holder does. */
	private static final Set<String> HOLDERS = Set.of("reply", "hand_back", "end");

	private final Conversations conversations;

	private final GatewayClient gateway;

	private final ActionLog log;

	private final Holds holds;

	private final LiveEvents live;

	private final ApplicationEventPublisher events;

	LiveActions(Conversations conversations, GatewayClient gateway, ActionLog log, Holds holds, LiveEvents live,
			ApplicationEventPublisher events) {
		this.conversations = conversations;
		this.gateway = gateway;
		this.log = log;
		this.holds = holds;
		this.live = live;
		this.events = events;
	}

	/**
	 * What a person asks for.
	 */
	record ActionRequest(@Nullable String type, @Nullable String to, @Nullable String queue, @Nullable String text) {
	}

	/**
	 * An action as the API shows it.
	 *
	 * @param id its id
	 * @param conversationId the conversation
	 * @param type its type
	 * @param to a transfer's number
	 * @param queue an enqueue's queue
	 * @param text a coaching note's or reply's text
	 * @param requestedBy who
	 * @param requestedAt when
	 * @param state {@code sending}, {@code sent} (the platform took it), {@code done} or
	 * {@code failed} (the platform reported its outcome), {@code unavailable} (resend it
	 * with the same {@code Idempotency-Key}) or {@code refused}
	 * @param detail the platform's answer, its reported reason or why it failed
	 */
	record Action(String id, String conversationId, String type, @Nullable String to, @Nullable String queue,
			@Nullable String text, String requestedBy, Instant requestedAt, String state, @Nullable String detail) {

		static Action of(ActionLog.Recorded recorded, @Nullable Outcome outcome) {
			Map<String, Object> payload = recorded.payload();
			String state = recorded.state();
			String detail = recorded.detail();
			// A timeout leaves an action the platform took as unavailable: what it
			// reports
			// settles it.
			if (outcome != null && !ActionLog.REFUSED.equals(state)) {
				state = outcome.failed() ? "failed" : "done";
				// Done needs no words; a failure says why, as the platform put it.
				detail = outcome.failed() ? outcome.reason() : null;
			}
			if ("listen".equals(recorded.type())) {
				// The platform's listen address is the service's to use, not the
				// browser's.
				detail = null;
			}
			return new Action(recorded.id(), recorded.conversationId(), recorded.type(), (String) payload.get("to"),
					(String) payload.get("queue"), (String) payload.get("text"), recorded.requestedBy(),
					recorded.requestedAt(), state, detail);
		}

	}

	/**
	 * What the platform reported of an action: a message whose {@code data} names it
	 * ({@code actionId}) and, when it could not be done, {@code "outcome": "failed"} with
	 * a {@code reason}.
	 */
	record Outcome(boolean failed, @Nullable String reason) {
	}

	/**
	 * What became of an action asked for.
	 *
	 * @param action the action
	 * @param fresh whether this request sent it (not a resend of one taken already)
	 */
	record Taken(Action action, boolean fresh) {
	}

	/**
	 * Takes an action on a conversation.
	 * @param user who asks
	 * @param conversationId the conversation
	 * @param request what they ask
	 * @param key their idempotency key: the same key again is the same action, resent
	 * only if the platform could not be reached the first time
	 * @return the action, sent
	 * @throws InvalidInputException when the request is malformed
	 * @throws NotFoundException when the org has no such conversation
	 * @throws ActionConflictException when it does not apply now
	 * @throws PlatformUnavailableException when the platform cannot take it now
	 * @throws PlatformRefusedException when the platform will not
	 */
	Taken act(CurrentUser user, String conversationId, ActionRequest request, @Nullable String key) throws IOException {
		String org = user.id();
		String type = request.type();
		Map<String, Object> payload = payload(request);
		user.require(("listen".equals(type) || HOLDERS.contains(type)) ? Role.ANALYST : Role.MANAGER,
				"take the " + type + " action");
		String id = actionId(org, user.userId(), conversationId, key);
		ActionLog.Recorded before = this.log.find(org, id).orElse(null);
		if (before != null) {
			if (!before.conversationId().equals(conversationId) || !before.type().equals(type)
					|| !before.payload().equals(payload)) {
				throw new ActionConflictException("the Idempotency-Key '" + key
						+ "' was used for another action; use a new key for a new action");
			}
			if (ActionLog.SENDING.equals(before.state()) && before.requestedAt().isBefore(Instant.now().minus(STUCK))) {
				// Its instance stopped while sending it: as good as unavailable.
				this.log.finish(org, id, ActionLog.SENDING, ActionLog.UNAVAILABLE, "the sending instance stopped");
				if ("take_over".equals(type)) {
					this.holds.release(org, conversationId, user.userId());
				}
				before = this.log.find(org, id).orElseThrow();
			}
			if (!ActionLog.UNAVAILABLE.equals(before.state())) {
				return new Taken(Action.of(before, null), false);
			}
		}
		ConversationDocument conversation = find(org, conversationId);
		Holds.Hold hold = this.holds.find(org, conversationId).orElse(null);
		LiveState state = LiveState.of(conversation, hold);
		check(user, conversation, state, type);
		if ("end".equals(type) && state.kind() != LiveState.Kind.HELD) {
			user.require(Role.MANAGER, "end a conversation the AI agent has");
		}
		boolean tookHold = false;
		if ("take_over".equals(type)) {
			Holds.Hold now = this.holds.take(org, conversationId, user.userId(), Holds.TAKE_OVER);
			if (!now.holder().equals(user.userId())) {
				throw ActionConflictException.held(now);
			}
			tookHold = true;
		}
		Instant at = Instant.now();
		ActionLog.Recorded recorded = new ActionLog.Recorded(id, conversationId, type, payload, user.userId(), at,
				ActionLog.SENDING, null);
		if (before == null && !this.log.start(org, recorded)) {
			// The same key at the same time, from another request: that one sends it.
			return new Taken(Action.of(this.log.find(org, id).orElseThrow(), null), false);
		}
		if (before != null) {
			recorded = before;
			if (!this.log.finish(org, id, ActionLog.UNAVAILABLE, ActionLog.SENDING, null)) {
				return new Taken(Action.of(this.log.find(org, id).orElseThrow(), null), false);
			}
		}
		try {
			GatewayClient.Sent sent = this.gateway
				.send(new GatewayAction(id, conversationId, org, type, payload, user.userId(), recorded.requestedAt()));
			this.log.finish(org, id, ActionLog.SENDING, ActionLog.SENT, sent.answer());
			if (state.kind() == LiveState.Kind.HELD && ("hand_back".equals(type) || "end".equals(type))) {
				// The holder's own: a hold someone took meanwhile is not theirs to end.
				this.holds.release(org, conversationId, user.userId());
			}
		}
		catch (PlatformUnavailableException ex) {
			this.log.finish(org, id, ActionLog.SENDING, ActionLog.UNAVAILABLE, ex.getMessage());
			if (tookHold) {
				this.holds.release(org, conversationId, user.userId());
			}
			audit(org, conversationId, type, payload, "unavailable");
			this.live.changed(org, conversationId);
			throw ex;
		}
		catch (PlatformRefusedException ex) {
			this.log.finish(org, id, ActionLog.SENDING, ActionLog.REFUSED, ex.getMessage());
			if (tookHold) {
				this.holds.release(org, conversationId, user.userId());
			}
			audit(org, conversationId, type, payload, "refused " + ex.status());
			this.live.changed(org, conversationId);
			throw ex;
		}
		catch (RuntimeException ex) {
			this.log.finish(org, id, ActionLog.SENDING, ActionLog.UNAVAILABLE, "the action could not be sent");
			if (tookHold) {
				this.holds.release(org, conversationId, user.userId());
			}
			this.live.changed(org, conversationId);
			throw ex;
		}
		audit(org, conversationId, type, payload, "sent");
		this.live.changed(org, conversationId);
		return new Taken(Action.of(this.log.find(org, id).orElseThrow(), null), true);
	}

	/**
	 * A conversation's actions, oldest first, with the outcomes the platform reported.
	 */
	List<Action> actions(String org, String conversationId) throws IOException {
		ConversationDocument conversation = find(org, conversationId);
		Map<String, Outcome> outcomes = outcomes(conversation);
		return this.log.of(org, conversationId)
			.stream()
			.map((recorded) -> Action.of(recorded, outcomes.get(recorded.id())))
			.toList();
	}

	Action action(String org, String conversationId, String actionId) throws IOException {
		ActionLog.Recorded recorded = this.log.find(org, actionId)
			.filter((found) -> found.conversationId().equals(conversationId))
			.orElseThrow(() -> new NotFoundException(
					"no action '" + actionId + "' on conversation '" + conversationId + "'"));
		return Action.of(recorded, outcomes(find(org, conversationId)).get(actionId));
	}

	/**
	 * The outcomes the platform reported in a conversation's messages.
	 */
	static Map<String, Outcome> outcomes(ConversationDocument conversation) {
		Map<String, Outcome> outcomes = new LinkedHashMap<>();
		if (conversation.messages() == null) {
			return outcomes;
		}
		for (var message : conversation.messages()) {
			if (message != null && message.data() instanceof Map<?, ?> data
					&& data.get("actionId") instanceof String actionId) {
				boolean failed = "failed".equals(data.get("outcome"));
				Object reason = data.get("reason");
				outcomes.put(actionId, new Outcome(failed, (reason instanceof String text) ? text : null));
			}
		}
		return outcomes;
	}

	private ConversationDocument find(String org, String conversationId) throws IOException {
		return this.conversations.find(org, conversationId)
			.orElseThrow(() -> new NotFoundException("no conversation '" + conversationId + "'"))
			.document();
	}

	/**
	 * Refuses an action that does not apply to the conversation as it is now.
	 */
	static void check(CurrentUser user, ConversationDocument conversation, LiveState state, String type) {
		switch (state.kind()) {
			case OVER -> throw new ActionConflictException("the conversation is not in progress (its status is "
					+ ((conversation.status() != null) ? conversation.status().json() : "not set")
					+ ((conversation.endedAt() != null) ? ", it ended at " + conversation.endedAt() : "")
					+ "): actions apply only while it is");
			case QUEUED -> throw new ActionConflictException("the conversation is queued for a human"
					+ ((conversation.queue() != null) ? " (queue '" + conversation.queue() + "')" : "")
					+ ": the monitoring actions apply only while the AI agent has it; claim it in the inbox "
					+ "to reply");
			case HELD -> {
				Holds.Hold hold = state.hold();
				if (!hold.holder().equals(user.userId())) {
					throw ActionConflictException.held(hold);
				}
				if (!HOLDERS.contains(type)) {
					throw new ActionConflictException("you hold the conversation: only reply, hand_back and end apply "
							+ "until you hand it back");
				}
			}
			case AI -> {
				if (!MONITORING.contains(type)) {
					throw new ActionConflictException("the AI agent has the conversation: take it over (or claim it) "
							+ "before you " + (("reply".equals(type)) ? "reply" : "hand it back"));
				}
			}
		}
	}

	/**
	 * The action's fields its type needs, checked.
	 */
	static Map<String, Object> payload(ActionRequest request) {
		String type = request.type();
		if (type == null || !GatewayAction.TYPES.contains(type)) {
			throw new InvalidInputException(
					"type: " + ((type == null) ? "required" : "'" + abbreviate(type) + "' is not an action")
							+ "; one of listen, take_over, hand_back, transfer, enqueue, end, " + "coach, reply");
		}
		Map<String, Object> payload = new LinkedHashMap<>();
		String to = only(request.to(), "to", type, "transfer");
		String queue = only(request.queue(), "queue", type, "enqueue");
		String text = only(request.text(), "text", type, "coach", "reply");
		switch (type) {
			case "transfer" -> {
				if (to == null || !E164.matcher(to).matches()) {
					throw new InvalidInputException("to: a transfer needs an E.164 phone number (a + and 2 to 15 "
							+ "digits, the first not 0, e.g. +14155550123)"
							+ ((to == null) ? "" : "; '" + abbreviate(to) + "' is not one"));
				}
				payload.put("to", to);
			}
			case "enqueue" -> {
				if (queue == null || queue.isBlank() || queue.length() > 200 || !queue.equals(queue.strip())) {
					throw new InvalidInputException(
							"queue: enqueue needs the human queue's name, 1 to 200 characters without surrounding spaces");
				}
				payload.put("queue", queue);
			}
			case "coach", "reply" -> {
				if (text == null || text.isBlank() || text.length() > MAX_TEXT) {
					throw new InvalidInputException("text: " + type + " needs a text of 1 to " + MAX_TEXT
							+ " characters" + ((text != null && !text.isBlank()) ? "; it has " + text.length() : ""));
				}
				payload.put("text", text);
			}
			default -> {
			}
		}
		return payload;
	}

	private static @Nullable String only(@Nullable String value, String field, String type, String... types) {
		if (value != null && !List.of(types).contains(type)) {
			throw new InvalidInputException(field + ": only for " + String.join(" and ", types) + ", not " + type);
		}
		return value;
	}

	/**
	 * The action's id: the caller's key, made the org's, user's and conversation's, so
	 * that a key reused by someone else is another action; a random one without a key.
	 */
	static String actionId(String org, String userId, String conversationId, @Nullable String key) {
		if (key == null) {
			return UUID.randomUUID().toString();
		}
		if (!KEY.matcher(key).matches()) {
			throw new InvalidInputException("Idempotency-Key: 1 to 200 visible ASCII characters");
		}
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			for (String part : new String[] { org, userId, conversationId, key }) {
				digest.update(part.getBytes(StandardCharsets.UTF_8));
				digest.update((byte) 0);
			}
			return HexFormat.of().formatHex(digest.digest(), 0, 16);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void audit(String org, String conversationId, String type, Map<String, Object> payload, String result) {
		StringBuilder detail = new StringBuilder(result);
		if (payload.get("to") != null) {
			detail.append(", to ").append(payload.get("to"));
		}
		if (payload.get("queue") != null) {
			detail.append(", queue ").append(payload.get("queue"));
		}
		this.events.publishEvent(new AuditEvent(org, "conversation.action." + type, conversationId, detail.toString()));
	}

	static String abbreviate(String value) {
		return (value.length() > 40) ? value.substring(0, 40) + "…" : value;
	}

}
