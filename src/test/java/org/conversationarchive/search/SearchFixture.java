package org.conversationarchive.search;

import java.util.List;

/**
 * Fifteen conversations whose every filter count is known (see
 * {@link SearchIntegrationTests}). Flagged: s01 by the review agent, s11 by a rule.
 * Sentiment: s01 anger 0.7 and joy 0.2, s02 anger 0.4, s05 joy 0.9, s11 anger 0.9 and
 * confusion 0.6. Contacts: c1 has four conversations, c3 three, c2 two, c4 to c8 one
 * each, s12 has no contact.
 */
public final class SearchFixture {

	private SearchFixture() {
	}

	public static List<String> conversations() {
		return List.of(conversation("s01", "voice", "completed", "production", "inbound", "2025-01-10T10:00:00Z",
				"2025-01-10T10:05:00Z",
				"""
						"contact": {"id": "c1", "name": "Ada", "phone": "+15550001"},
						"flow": {"id": "billing", "name": "Billing"}, "agent": {"id": "ava", "name": "Ava"},
						"flagged": true, "flags": [{"reason": "refund promised", "source": "review_agent"}],
						"tags": {"Call Reason": "billing", "Language": ["en", "fr"]}, "parameters": {"account": "A-1"},
						"sentiment": [{"emotion": "anger", "score": 0.7}, {"emotion": "joy", "score": 0.2}],
						"messages": [
						  {"at": "2025-01-10T10:00:30Z", "senderType": "user", "senderName": "Ada", "text": "I want a refund for my last invoice"},
						  {"at": "2025-01-10T10:01:00Z", "senderType": "agent", "text": "I can help with that refund"},
						  {"at": "2025-01-10T10:02:00Z", "senderType": "function", "text": "",
						   "function": {"name": "issue_refund", "arguments": {"amount": 42}, "result": {"status": "refunded"}}}]"""),
				conversation("s02", "sms", "abandoned", "production", "outbound", "2025-01-11T09:00:00Z",
						"2025-01-11T09:01:00Z",
						"""
								"contact": {"id": "c1"}, "flow": {"id": "billing", "name": "Billing"},
								"agent": {"id": "ava"}, "flagged": false,
								"tags": {"Call Reason": "billing", "Language": "en"},
								"sentiment": [{"emotion": "anger", "score": 0.4}],
								"messages": [
								  {"at": "2025-01-11T09:00:10Z", "senderType": "user", "text": "Do you offer refunds on annual plans?"},
								  {"at": "2025-01-11T09:00:20Z", "senderType": "agent", "text": "Yes we do"}]"""),
				conversation("s03", "web", "failed", "test", "inbound", "2025-02-01T08:00:00Z", "2025-02-01T08:02:00Z",
						"""
								"contact": {"id": "c2"}, "flow": {"id": "support", "name": "Tech support"},
								"agent": {"id": "max"}, "tags": {"Issue": "login"},
								"messages": [
								  {"at": "2025-02-01T08:00:10Z", "senderType": "user", "text": "my password reset link expired"},
								  {"at": "2025-02-01T08:00:40Z", "senderType": "agent", "text": "I will send a new link",
								   "function": {"name": "reset_password", "arguments": {}, "result": {"sent": true}}}]"""),
				conversation("s04", "email", "human_handoff", "production", "inbound", "2025-02-02T08:00:00Z",
						"2025-02-02T09:00:00Z",
						"""
								"contact": {"id": "c2"}, "flow": {"id": "support", "name": "Tech support"},
								"agent": {"id": "max"}, "liveAgents": [{"id": "h1", "name": "Hana"}],
								"messages": [
								  {"at": "2025-02-02T08:00:10Z", "senderType": "user", "text": "I need to speak to a human"},
								  {"at": "2025-02-02T08:10:00Z", "senderType": "human_agent", "senderName": "Hana", "text": "Hello, this is Hana"}]"""),
				conversation("s05", "whatsapp", "completed", "production", "inbound", "2025-03-05T12:00:00Z",
						"2025-03-05T12:03:00Z",
						"""
								"contact": {"id": "c3"}, "flow": {"id": "orders", "name": "Order status"},
								"agent": {"id": "ava"}, "tags": {"Call Reason": "delivery"},
								"parameters": {"account": "A-2", "plan": "gold"},
								"sentiment": [{"emotion": "joy", "score": 0.9}],
								"messages": [
								  {"at": "2025-03-05T12:00:10Z", "senderType": "user", "text": "where is my order"},
								  {"at": "2025-03-05T12:00:30Z", "senderType": "agent", "text": "Your order shipped yesterday",
								   "function": {"name": "lookup_order", "arguments": {"order": "O-9"}, "result": {"status": "shipped"}}}]"""),
				conversation("s06", "slack", "in_progress", "test", "inbound", "2025-03-06T12:00:00Z", null,
						"""
								"contact": {"id": "c3"}, "flow": {"id": "orders", "name": "Order status"}, "agent": {"id": "ava"},
								"messages": [
								  {"at": "2025-03-06T12:00:10Z", "senderType": "agent", "text": "Would you like a refund or a replacement?"},
								  {"at": "2025-03-06T12:00:50Z", "senderType": "user", "text": "replacement please"}]"""),
				conversation("s07", "human_phone", "no_answer", "production", "outbound", "2024-12-31T23:00:00Z",
						"2024-12-31T23:00:30Z", """
								"contact": {"id": "c3"}, "flow": {"id": "billing", "name": "Billing"}"""),
				conversation("s08", "voice", "voicemail_message_left", "production", "outbound", "2025-04-01T10:00:00Z",
						"2025-04-01T10:01:00Z",
						"""
								"contact": {"id": "c4"},
								"messages": [{"at": "2025-04-01T10:00:20Z", "senderType": "agent", "text": "Please call us back about your refund"}]"""),
				conversation("s09", "voice", "completed", "production", "inbound", "2025-04-02T10:00:00Z",
						"2025-04-02T10:02:00Z", """
								"contact": {"id": "c5"},
								"messages": [
								  {"at": "2025-04-02T10:00:10Z", "senderType": "user", "text": "I want a"},
								  {"at": "2025-04-02T10:00:20Z", "senderType": "user", "text": "refund now"}]"""),
				conversation("s10", "web", "completed", "production", "inbound", "2025-04-03T10:00:00Z",
						"2025-04-03T10:01:00Z",
						"""
								"contact": {"id": "c6"},
								"messages": [{"at": "2025-04-03T10:00:10Z", "senderType": "user", "text": "the refund was processed quickly and the voucher arrived"}]"""),
				conversation("s11", "web", "reported", "production", "inbound", "2025-04-04T10:00:00Z",
						"2025-04-04T10:01:00Z",
						"""
								"contact": {"id": "c7"}, "flagged": true,
								"flags": [{"reason": "reported by the customer", "source": "rule"}],
								"sentiment": [{"emotion": "anger", "score": 0.9}, {"emotion": "confusion", "score": 0.6}],
								"messages": [{"at": "2025-04-04T10:00:10Z", "senderType": "user", "text": "Refunding is slow"}]"""),
				conversation("s12", "sms", "restarted", "production", "inbound", "2025-05-01T00:00:00Z",
						"2025-05-01T00:01:00Z",
						"""
								"messages": [{"at": "2025-05-01T00:00:10Z", "senderType": "user", "text": "I asked for a refund of the order twice"}]"""),
				conversation("s13", "email", "unsubscribed", "production", "inbound", "2025-05-02T00:00:00Z",
						"2025-05-02T00:01:00Z",
						"""
								"contact": {"id": "c1"},
								"messages": [{"at": "2025-05-02T00:00:10Z", "senderType": "user", "text": "please unsubscribe me"}]"""),
				conversation("s14", "whatsapp", "voicemail_no_message_left", "test", "inbound", "2025-05-03T00:00:00Z",
						"2025-05-03T00:00:20Z", """
								"contact": {"id": "c8"}"""),
				conversation("s15", "voice", "completed", "production", "inbound", "2025-05-04T00:00:00Z",
						"2025-05-04T00:01:00Z",
						"""
								"contact": {"id": "c1"}, "agent": {"id": "ava"},
								"messages": [{"at": "2025-05-04T00:00:10Z", "senderType": "user", "text": "REFUND"}]"""));
	}

	private static String conversation(String id, String platform, String status, String environment, String direction,
			String startedAt, String endedAt, String more) {
		return ("{\"id\": \"" + id + "\", \"platform\": \"" + platform + "\", \"status\": \"" + status
				+ "\", \"environment\": \"" + environment + "\", \"direction\": \"" + direction
				+ "\", \"startedAt\": \"" + startedAt + "\""
				+ ((endedAt != null) ? ", \"endedAt\": \"" + endedAt + "\"" : "") + ", " + more + "}")
			.replace('\n', ' ');
	}

}
