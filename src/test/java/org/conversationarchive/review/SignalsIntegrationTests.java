package org.conversationarchive.review;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.OrgApi;
import org.conversationarchive.TestUsers;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The review signals against the real engine: derived at ingest, found by the table's
 * query string and by the JSON filter alike, the contact's daily rank made exact after
 * writes out of time order and after a delete, and a rule on a signal flagging exactly
 * what the table finds.
 */
@ArchiveIntegrationTest
@Import(TestUsers.class)
class SignalsIntegrationTests {

	private static final Instant DAY = Instant.parse("2025-04-10T00:00:00Z");

	@Autowired
	RestTestClient http;

	@Autowired
	JsonMapper json;

	@Test
	void signalsAreDerivedFilteredByAndKeptCurrentAcrossTheContactsConversations() {
		OrgApi api = new OrgApi(this.http, this.json, "signals");
		String ruleId = api
			.post("/api/v1/rules",
					"{\"name\": \"Called again within a day\", \"filter\": {\"signals\": {\"contactDailyRank\": "
							+ "{\"min\": 2}}}, \"actions\": {\"flag\": {\"severity\": \"medium\"}}, \"enabled\": true}",
					201)
			.get("id")
			.asString();
		assertThat(ruleId).isNotBlank();
		// The later conversations first: their ranks are known only once the earlier
		// ones are written.
		api.bulk(conversation("s-repeat", "c-1", at(33), said("user", 0, "I want a refund"), said("agent", 5, "Why?"),
				said("user", 10, "I WANT A REFUND!")) + conversation("s-late", "c-1", at(60), said("user", 0, "Hello"))
				+ conversation("s-other", "c-2", at(12), said("user", 0, "Hello")));
		api.bulk(conversation("s-long", "c-1", at(10), said("user", 0, "Hi"), said("agent", 2, "Hello"),
				said("user", 4, "My order"), said("agent", 124, "Found it"), said("user", 130, "Thanks"),
				said("agent", 131, "Bye"))
				+ conversation("s-fail", "c-1", at(20), said("user", 0, "Book it"),
						"{\"at\": \"" + at(20).plusSeconds(3)
								+ "\", \"senderType\": \"function\", \"function\": {\"name\": \"book\", \"result\": "
								+ "\"Error: flight HAT030 not available\"}}"));

		assertThat(ids(api, "turnsMin=6")).containsExactly("s-long");
		assertThat(ids(api, "turnsMax=1")).containsExactly("s-late", "s-other");
		assertThat(ids(api, "silenceMin=100&silenceMax=120")).containsExactly("s-long");
		assertThat(ids(api, "functionFailed=true")).containsExactly("s-fail");
		assertThat(ids(api, "failedFunction=book")).containsExactly("s-fail");
		assertThat(ids(api, "failedFunction=pay")).isEmpty();
		assertThat(ids(api, "functionFailed=false")).doesNotContain("s-fail").hasSize(4);
		assertThat(ids(api, "customerRepeated=true")).containsExactly("s-repeat");
		assertThat(searched(api, "{\"signals\": {\"turns\": {\"min\": 6}, \"customerRepeated\": false}}"))
			.containsExactly("s-long");
		JsonNode signals = api.get("/api/v1/conversations/s-long").get("signals");
		assertThat(signals.get("turns").asInt()).isEqualTo(6);
		assertThat(signals.get("longestSilenceSeconds").asLong()).isEqualTo(120);

		// Ranks within 24 hours of a start, whatever order they were written in.
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(ids(api, "dailyRankMin=2")).containsExactly("s-fail", "s-repeat"));
		assertThat(ids(api, "dailyRankMin=3")).containsExactly("s-repeat");
		assertThat(ids(api, "dailyRankMax=1")).containsExactly("s-late", "s-long", "s-other");
		// A rule on the rank flags what the table finds.
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(ids(api, "flagSource=rule")).isEqualTo(ids(api, "dailyRankMin=2")));

		// The first of the day deleted: the others move up.
		this.http.delete()
			.uri("/api/v1/conversations/s-long")
			.header(TestUsers.ORG, "signals")
			.exchange()
			.expectStatus()
			.is2xxSuccessful();
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(ids(api, "dailyRankMin=2")).containsExactly("s-repeat"));
		assertThat(ids(api, "dailyRankMax=1")).containsExactly("s-fail", "s-late", "s-other");
	}

	private static Instant at(int hours) {
		return DAY.plus(Duration.ofHours(hours));
	}

	private static String said(String sender, int seconds, String text) {
		return "{\"at\": \"%s\", \"senderType\": \"%s\", \"text\": \"%s\"}".formatted("%s+" + seconds, sender, text);
	}

	/**
	 * A conversation of a contact started then; its messages' times are seconds after the
	 * start.
	 */
	private static String conversation(String id, String contact, Instant start, String... messages) {
		StringBuilder transcript = new StringBuilder();
		for (String message : messages) {
			String timed = message;
			int plus = message.indexOf("%s+");
			if (plus >= 0) {
				int end = message.indexOf('"', plus);
				long seconds = Long.parseLong(message.substring(plus + 3, end));
				timed = message.substring(0, plus) + start.plusSeconds(seconds) + message.substring(end);
			}
			transcript.append((transcript.length() > 0) ? ", " : "").append(timed);
		}
		return "{\"id\": \"" + id + "\", \"platform\": \"web\", \"status\": \"completed\", \"contact\": {\"id\": \""
				+ contact + "\"}, \"startedAt\": \"" + start + "\", \"messages\": [" + transcript + "]}\n";
	}

	private static Set<String> ids(OrgApi api, String query) {
		return ids(api.get("/api/v1/conversations?size=100&" + query));
	}

	private static Set<String> searched(OrgApi api, String filter) {
		return ids(api.post("/api/v1/conversations/_search?size=100", filter, 200));
	}

	private static Set<String> ids(JsonNode page) {
		Set<String> ids = new TreeSet<>();
		page.get("items").forEach((row) -> ids.add(row.get("id").asString()));
		return ids;
	}

}
