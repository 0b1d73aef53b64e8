package org.conversationarchive.analytics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Conversations whose every figure is known (see {@link AnalyticsIntegrationTests}),
 * around the change to summer time in Paris (Sunday 30 March 2025, 02:00 local).
 * <p>
 * The range: Paris 28 March 00:00 to 2 April 00:00 (2025-03-27T23:00Z to
 * 2025-04-01T22:00Z), a01 to a09; a10 starts at its end, outside. The previous period of
 * the same length: p01 and p02; p03 starts just before it. r01 to r11: contact c9's
 * eleven calls of 3 June 2024, an hour apart. Another org has o01 to o03 in the range.
 */
final class AnalyticsFixture {

	static final String OTHER_ORG = "analytics-other-org";

	private AnalyticsFixture() {
	}

	static List<String> conversations() {
		List<String> conversations = new ArrayList<>(List.of(conversation("a01", "2025-03-28T08:00:00Z", "voice",
				"completed", "production", "inbound", 20L, 1, List.of("issue_refund"),
				"""
						"contact": {"id": "c1", "name": "Ada Lovelace"}, "flow": {"id": "billing", "name": "Billing"},
						"agent": {"id": "ava", "name": "Ava"}, "flagged": true,
						"flags": [{"reason": "refund promised", "source": "review_agent"}],
						"tags": {"Call Reason": "billing"}, "parameters": {"account": "A-1"},
						"sentiment": [{"emotion": "gratitude", "score": 0.8}, {"emotion": "frustration", "score": 0.2}]"""),
				conversation("a02", "2025-03-28T12:00:00Z", "voice", "completed", "production", "inbound", 45L, 2,
						List.of(), """
								"contact": {"id": "c1"}, "flow": {"id": "billing"}, "agent": {"id": "ava"},
								"tags": {"Call Reason": "billing", "Language": ["en", "fr"]},
								"sentiment": [{"emotion": "gratitude", "score": 0.6}]"""),
				conversation("a03", "2025-03-29T10:00:00Z", "sms", "abandoned", "production", "outbound", 90L, 3,
						List.of(),
						"""
								"contact": {"id": "c2", "name": "Bo"}, "flow": {"id": "support"}, "agent": {"id": "max"},
								"flagged": true, "flags": [{"reason": "rude", "source": "rule"}, {"reason": "refund promised", "source": "user"}],
								"tags": {"Call Reason": "delivery"}, "sentiment": [{"emotion": "frustration", "score": 0.9}]"""),
				// Paris 30 March 00:30, still the 29th in UTC.
				conversation("a04", "2025-03-29T23:30:00Z", "web", "failed", "test", "inbound", 200L, 4, List.of(), """
						"contact": {"id": "c2"}, "flow": {"id": "support"}, "agent": {"id": "max"},
						"parameters": {"account": "A-2", "plan": "gold"}"""),
				// Paris 30 March 23:30 (summer time).
				conversation("a05", "2025-03-30T21:30:00Z", "email", "human_handoff", "production", "inbound", 700L, 6,
						List.of(),
						"""
								"contact": {"id": "c3"}, "flow": {"id": "support"}, "agent": {"id": "ava"},
								"liveAgents": [{"id": "h1", "name": "Hana"}], "tags": {"Issue": "login"},
								"sentiment": [{"emotion": "anger", "score": 0.7}, {"emotion": "frustration", "score": 0.5}]"""),
				// Paris 31 March 00:30, still the 30th in UTC.
				conversation("a06", "2025-03-30T22:30:00Z", "voice", "completed", "production", "inbound", 4000L, 12,
						List.of("issue_refund", "lookup_order"), """
								"contact": {"id": "c1"}, "flow": {"id": "billing"}, "agent": {"id": "ava"},
								"liveAgents": [{"id": "h1", "name": "Hana"}]"""),
				// Neither an end nor messages: no duration, no turns.
				conversation("a07", "2025-03-31T09:00:00Z", "whatsapp", "completed", "production", "inbound", null, 0,
						List.of(), """
								"contact": {"id": "c4"}, "agent": {"id": "ava"}"""),
				conversation("a08", "2025-04-01T10:00:00Z", "voice", "completed", "production", "inbound", 60L, 5,
						List.of(), """
								"contact": {"id": "c1"}, "flow": {"id": "orders"}, "agent": {"id": "max"}"""),
				// The last millisecond of the range, Paris 1 April 23:59:59.
				conversation("a09", "2025-04-01T21:59:59.999Z", "voice", "no_answer", "production", "outbound", 30L, 1,
						List.of(), """
								"contact": {"id": "c5"}"""),
				conversation("a10", "2025-04-01T22:00:00Z", "voice", "completed", "production", "inbound", 10L, 1,
						List.of(), """
								"contact": {"id": "c1"}"""),
				conversation("p01", "2025-03-24T10:00:00Z", "voice", "completed", "production", "inbound", 100L, 2,
						List.of(),
						"""
								"contact": {"id": "c1"}, "flagged": true, "flags": [{"reason": "rude", "source": "rule"}]"""),
				conversation("p02", "2025-03-27T22:59:59Z", "sms", "abandoned", "production", "inbound", 10L, 1,
						List.of(), """
								"contact": {"id": "c6"}"""),
				conversation("p03", "2025-03-22T23:59:59Z", "voice", "failed", "production", "inbound", 10L, 1,
						List.of(), """
								"contact": {"id": "c7"}""")));
		for (int i = 1; i <= 11; i++) {
			conversations.add(conversation("r%02d".formatted(i), "2024-06-03T%02d:00:00Z".formatted(7 + i), "voice",
					"completed", "production", "outbound", 60L, 2, List.of(), """
							"contact": {"id": "c9"}"""));
		}
		return conversations;
	}

	/**
	 * Another org's conversations in the range: counted for it, never for the fixture's.
	 */
	static List<String> otherOrgs() {
		return List.of(conversation("o01", "2025-03-29T10:00:00Z", "voice", "completed", "production", "inbound", 30L,
				2, List.of("issue_refund"), """
						"contact": {"id": "c1"}, "flagged": true, "flags": [{"reason": "rude", "source": "rule"}],
						"tags": {"Call Reason": "billing"}, "sentiment": [{"emotion": "gratitude", "score": 0.1}]"""),
				conversation("o02", "2025-03-30T10:00:00Z", "voice", "abandoned", "production", "inbound", 30L, 2,
						List.of(), """
								"contact": {"id": "c1"}"""),
				conversation("o03", "2025-03-31T10:00:00Z", "sms", "completed", "production", "inbound", 30L, 2,
						List.of(), """
								"contact": {"id": "c1"}"""));
	}

	/**
	 * A conversation's NDJSON line: it ends {@code duration} seconds after its start
	 * (none: no end), and has {@code messages} messages a second apart, the first ones
	 * calling the functions.
	 */
	private static String conversation(String id, String startedAt, String platform, String status, String environment,
			String direction, @Nullable Long duration, int messages, List<String> functions, String more) {
		Instant start = Instant.parse(startedAt);
		StringBuilder line = new StringBuilder();
		line.append("{\"id\": \"").append(id).append("\", \"platform\": \"").append(platform);
		line.append("\", \"status\": \"").append(status).append("\", \"environment\": \"").append(environment);
		line.append("\", \"direction\": \"").append(direction).append("\", \"startedAt\": \"").append(startedAt);
		line.append('"');
		if (duration != null) {
			line.append(", \"endedAt\": \"").append(start.plusSeconds(duration)).append('"');
		}
		if (messages > 0) {
			line.append(", \"messages\": [");
			for (int i = 0; i < messages; i++) {
				line.append((i > 0) ? ", " : "").append("{\"at\": \"").append(start.plusSeconds(i));
				line.append("\", \"senderType\": \"").append((i % 2 == 0) ? "user" : "agent");
				line.append("\", \"text\": \"turn ").append(i).append('"');
				if (i < functions.size()) {
					line.append(", \"function\": {\"name\": \"").append(functions.get(i)).append("\"}");
				}
				line.append('}');
			}
			line.append(']');
		}
		line.append(", ").append(more).append('}');
		return line.toString().replace('\n', ' ');
	}

}
