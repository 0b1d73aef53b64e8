package org.conversationarchive.platform;

import java.time.Instant;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * An action the archive sends on a live conversation, as the contract describes it.
 * Fields a later version adds are ignored.
 *
 * @param actionId also the {@code Idempotency-Key}
 * @param to {@code transfer}: the E.164 number
 * @param queue {@code enqueue}: the human queue
 * @param text {@code coach} and {@code reply}
 * @param requestedBy the person who took it
 */
record Action(@Nullable String actionId, @Nullable String conversationId, @Nullable String org, @Nullable String type,
		@Nullable String to, @Nullable String queue, @Nullable String text, @Nullable String requestedBy,
		@Nullable Instant requestedAt) {

	static final Set<String> TYPES = Set.of("listen", "take_over", "hand_back", "transfer", "enqueue", "end", "coach",
			"reply");

	/**
	 * Why the action is malformed.
	 * @return why, or {@code null} when it is well formed
	 */
	@Nullable String problem() {
		if (blank(this.actionId) || blank(this.conversationId) || blank(this.org) || blank(this.type)
				|| blank(this.requestedBy) || this.requestedAt == null) {
			return "an action needs actionId, conversationId, org, type, requestedBy and requestedAt";
		}
		if (!TYPES.contains(this.type)) {
			return "unknown type '" + this.type + "'; one of " + String.join(", ", TYPES.stream().sorted().toList());
		}
		return switch (this.type) {
			case "transfer" -> (this.to == null || !this.to.matches("\\+[1-9][0-9]{1,14}"))
					? "transfer needs 'to', an E.164 number such as +14155550123" : null;
			case "enqueue" -> blank(this.queue) ? "enqueue needs a queue" : null;
			case "coach", "reply" -> blank(this.text) ? this.type + " needs a text" : null;
			default -> null;
		};
	}

	private static boolean blank(@Nullable String value) {
		return value == null || value.isBlank();
	}

}
