package org.conversationarchive.gateway;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One action on a live conversation, as it is sent to the org's agent platform.
 *
 * @param actionId the action's id, also its {@code Idempotency-Key}: the same action sent
 * again (a retry, a resend after a 503) is the same key, so the platform does it once
 * @param conversationId the conversation acted on
 * @param org its org
 * @param type {@code listen}, {@code take_over}, {@code hand_back}, {@code transfer},
 * {@code enqueue}, {@code end}, {@code coach} or {@code reply}
 * @param payload what the type needs besides: {@code to} for a transfer, {@code queue}
 * for enqueue, {@code text} for coach and reply; sent as fields of the body beside the
 * others
 * @param requestedBy who asked for it
 * @param requestedAt when
 */
public record GatewayAction(String actionId, String conversationId, String org, String type,
		Map<String, Object> payload, String requestedBy, Instant requestedAt) {

	/** The types of action, as the platform reads them. */
	public static final Set<String> TYPES = Set.of("listen", "take_over", "hand_back", "transfer", "enqueue", "end",
			"coach", "reply");

	private static final Set<String> FIELDS = Set.of("actionId", "conversationId", "org", "type", "requestedBy",
			"requestedAt");

	public GatewayAction {
		if (!TYPES.contains(type)) {
			throw new IllegalArgumentException("'" + type + "' is not an action type; expected one of " + TYPES);
		}
		for (String key : payload.keySet()) {
			if (FIELDS.contains(key)) {
				throw new IllegalArgumentException("the payload may not set the body's own field '" + key + "'");
			}
		}
		String needed = switch (type) {
			case "transfer" -> "to";
			case "enqueue" -> "queue";
			case "coach", "reply" -> "text";
			default -> null;
		};
		if (needed != null && !(payload.get(needed) instanceof String value && !value.isBlank())) {
			throw new IllegalArgumentException("a " + type + " action needs '" + needed + "' in its payload");
		}
		payload = Map.copyOf(payload);
	}

	/**
	 * The body as sent: the action's own fields, with the payload's between the type and
	 * who asked.
	 * @return the fields in order
	 */
	Map<String, Object> body() {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("actionId", this.actionId);
		body.put("conversationId", this.conversationId);
		body.put("org", this.org);
		body.put("type", this.type);
		new java.util.TreeMap<>(this.payload).forEach(body::put);
		body.put("requestedBy", this.requestedBy);
		body.put("requestedAt", this.requestedAt.toString());
		return body;
	}

}
