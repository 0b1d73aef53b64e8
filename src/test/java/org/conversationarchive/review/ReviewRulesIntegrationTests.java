package org.conversationarchive.review;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.OrgApi;
import org.conversationarchive.TestUsers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Review rules against the real engine: their API, and backtests that count exactly what
 * the same search finds, day by day, on generated conversations of an org of their own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ArchiveIntegrationTest
@Import(TestUsers.class)
class ReviewRulesIntegrationTests {

	static final String ORG = "review-rules";

	static final String VOICE_COMPLETED = "{\"platforms\": [\"voice\"], \"statuses\": [\"completed\"]}";

	@Autowired
	RestTestClient http;

	@Autowired
	JsonMapper json;

	@Autowired
	JdbcTemplate jdbc;

	OrgApi api;

	@BeforeAll
	void conversations() {
		this.api = new OrgApi(this.http, this.json, ORG);
		this.api.bulk(OrgApi.generated(this.json, 31, 600, Instant.parse("2025-03-01T00:00:00Z"),
				Instant.parse("2025-04-15T00:00:00Z")));
	}

	@Test
	void aBacktestCountsPerDayExactlyWhatTheSameSearchFinds() {
		String rule = "{\"filter\": " + VOICE_COMPLETED
				+ ", \"actions\": {\"notify\": true}, \"from\": \"2025-03-10\", \"to\": \"2025-03-31\", "
				+ "\"timeZone\": \"Europe/Paris\"}";
		JsonNode backtest = this.api.post("/api/v1/rules/_backtest", rule, 200);
		ZoneId paris = ZoneId.of("Europe/Paris");
		assertThat(backtest.get("from").asString()).isEqualTo("2025-03-09T23:00:00Z");
		assertThat(backtest.get("to").asString()).isEqualTo("2025-03-31T22:00:00Z");
		List<String> expected = new ArrayList<>();
		long total = 0;
		for (LocalDate day = LocalDate.parse("2025-03-10"); !day.isAfter(LocalDate.parse("2025-03-31")); day = day
			.plusDays(1)) {
			long count = total(VOICE_COMPLETED, day.atStartOfDay(paris).toInstant(),
					day.plusDays(1).atStartOfDay(paris).toInstant());
			expected.add(day + "=" + count);
			total += count;
		}
		assertThat(days(backtest.get("perDay"))).containsExactlyElementsOf(expected);
		assertThat(total).isPositive();
		assertThat(backtest.get("total").asLong()).isEqualTo(total);
		assertThat(days(backtest.get("notificationsPerDay"))).containsExactlyElementsOf(expected);
		assertThat(backtest.get("notifications").asLong()).isEqualTo(total);
		assertThat(backtest.get("sample").size()).isEqualTo((int) Math.min(total, Backtests.SAMPLE));
		for (JsonNode row : backtest.get("sample")) {
			assertThat(row.get("platform").asString()).isEqualTo("voice");
			assertThat(row.get("status").asString()).isEqualTo("completed");
		}
		long flagged = total(VOICE_COMPLETED.replace("}", ", \"flagged\": true}"), backtest.get("from").asString(),
				backtest.get("to").asString());
		assertThat(backtest.get("overlap").get("flagged").asLong()).isEqualTo(flagged);
	}

	@Test
	void aBacktestOfAContentQueryHighlightsItsHitsAndARuleThatDoesNotNotifySendsNothing() {
		JsonNode backtest = this.api.post("/api/v1/rules/_backtest?from=2025-03-01T00:00:00Z&to=2025-04-15T00:00:00Z",
				"{\"filter\": {\"content\": {\"query\": \"order\"}}}", 200);
		long total = total("{\"content\": {\"query\": \"order\"}}", "2025-03-01T00:00:00Z", "2025-04-15T00:00:00Z");
		assertThat(total).isPositive();
		assertThat(backtest.get("total").asLong()).isEqualTo(total);
		assertThat(backtest.get("perDay")).hasSize(45);
		assertThat(backtest.get("notifications").asLong()).isZero();
		assertThat(backtest.get("sample").get(0).toString()).containsIgnoringCase("<mark>order");
	}

	@Test
	void managersWriteRulesEveryoneReadsThemAndEachChangeIsAudited() {
		JsonNode created = this.api.post("/api/v1/rules",
				"{\"name\": \"Angry voice\", \"filter\": " + VOICE_COMPLETED
						+ ", \"actions\": {\"flag\": {\"reason\": \"Check the tone\", \"severity\": \"HIGH\"}, "
						+ "\"tag\": {\"key\": \"Review\", \"value\": \"tone\"}, \"notify\": true}}",
				201);
		String id = created.get("id").asString();
		assertThat(created.get("enabled").asBoolean()).isFalse();
		assertThat(created.get("actions").get("flag").get("severity").asString()).isEqualTo("high");
		assertThat(created.get("actions").get("notify").asBoolean()).isTrue();
		assertThat(created.get("filter").get("platforms").get(0).asString()).isEqualTo("voice");

		List<String> named = new ArrayList<>();
		this.api.as("viewer").get("/api/v1/rules").get("items").forEach((rule) -> {
			if (id.equals(rule.get("id").asString())) {
				named.add(rule.get("name").asString());
			}
		});
		assertThat(named).containsExactly("Angry voice");
		this.api.as("analyst").post("/api/v1/rules/" + id + "/enable", null, 403);
		JsonNode enabled = this.api.post("/api/v1/rules/" + id + "/enable", null, 200);
		assertThat(enabled.get("enabled").asBoolean()).isTrue();
		assertThat(enabled.get("enabledAt").isString()).isTrue();
		JsonNode updated = this.api.put("/api/v1/rules/" + id,
				"{\"name\": \"Angry voice calls\", \"filter\": {\"platforms\": "
						+ "[\"voice\"]}, \"actions\": {\"flag\": {\"reason\": \"Tone\"}}}");
		assertThat(updated.get("name").asString()).isEqualTo("Angry voice calls");
		assertThat(updated.get("enabled").asBoolean()).isTrue();
		assertThat(updated.get("actions").get("flag").get("severity").asString()).isEqualTo("medium");
		assertThat(updated.get("actions").has("tag")).isFalse();
		new OrgApi(this.http, this.json, "another-org").call(HttpMethod.GET, "/api/v1/rules/" + id, null, 404);
		this.api.delete("/api/v1/rules/" + id, 204);
		this.api.call(HttpMethod.GET, "/api/v1/rules/" + id, null, 404);
		// The audit API answers for the caller's own org (the key's); the entries are the
		// rule's org's.
		List<String> actions = this.jdbc.queryForList("select action from archive_audit where org = ? and target = ?",
				String.class, ORG, id);
		assertThat(actions).contains("rule.created", "rule.enabled", "rule.updated", "rule.deleted");
	}

	@Test
	void switchingARuleOnOrOffAsItIsAlreadyChangesNothingAndIsNotAudited() {
		String id = this.api
			.post("/api/v1/rules", "{\"name\": \"Completed calls\", \"filter\": " + VOICE_COMPLETED + "}", 201)
			.get("id")
			.asString();
		JsonNode on = this.api.post("/api/v1/rules/" + id + "/enable", null, 200);
		JsonNode again = this.api.post("/api/v1/rules/" + id + "/enable", null, 200);
		assertThat(again.get("enabled").asBoolean()).isTrue();
		assertThat(again.get("enabledAt")).isEqualTo(on.get("enabledAt"));
		assertThat(again.get("updatedAt")).isEqualTo(on.get("updatedAt"));
		JsonNode off = this.api.post("/api/v1/rules/" + id + "/disable", null, 200);
		JsonNode offAgain = this.api.post("/api/v1/rules/" + id + "/disable", null, 200);
		assertThat(offAgain.get("enabled").asBoolean()).isFalse();
		assertThat(offAgain.get("updatedAt")).isEqualTo(off.get("updatedAt"));
		assertThat(this.jdbc.queryForList("select action from archive_audit where org = ? and target = ?", String.class,
				ORG, id))
			.containsExactlyInAnyOrder("rule.created", "rule.enabled", "rule.disabled");
	}

	@Test
	void badRulesAreRefusedNamingWhatIsWrong() {
		assertProblem("/api/v1/rules", "{\"filter\": {\"flagged\": true}}", "name");
		assertProblem("/api/v1/rules", "{\"name\": \"All\", \"filter\": {}}", "filter: has no condition");
		assertProblem("/api/v1/rules", "{\"name\": \"All\"}", "filter: is required");
		assertProblem("/api/v1/rules",
				"{\"name\": \"x\", \"filter\": {\"flagged\": true}, \"actions\": {\"flag\": {\"severity\": \"dire\"}}}",
				"actions.flag.severity");
		assertProblem("/api/v1/rules",
				"{\"name\": \"x\", \"filter\": {\"flagged\": true}, \"actions\": {\"tag\": {\"key\": \"k\"}}}",
				"actions.tag.value");
		assertProblem("/api/v1/rules", "{\"name\": \"x\", \"filter\": {\"flaged\": true}}", "flaged");
		assertProblem("/api/v1/rules/_backtest", "{\"filter\": {\"flagged\": true}, \"from\": \"yesterday\"}", "from");
		assertProblem("/api/v1/rules/_backtest",
				"{\"filter\": {\"flagged\": true}, \"from\": \"2025-03-02\", \"to\": \"2025-03-01\"}", "from");
		assertProblem("/api/v1/rules/_backtest", "{\"filter\": {\"flagged\": true}, \"timeZone\": \"Mars/Olympus\"}",
				"timeZone");
	}

	private void assertProblem(String uri, String body, String detail) {
		assertThat(this.api.post(uri, body, 400).get("detail").asString()).contains(detail);
	}

	private long total(String filter, Instant from, Instant to) {
		return total(filter, from.toString(), to.toString());
	}

	private long total(String filter, String from, String to) {
		String ranged = filter.substring(0, filter.lastIndexOf('}')) + (filter.trim().equals("{}") ? "" : ", ")
				+ "\"from\": \"" + from + "\", \"to\": \"" + to + "\"}";
		return this.api.post("/api/v1/conversations/_search?size=1", ranged, 200).get("total").asLong();
	}

	private static List<String> days(JsonNode days) {
		List<String> listed = new ArrayList<>();
		days.forEach((day) -> listed.add(day.get("day").asString() + "=" + day.get("count").asLong()));
		return listed;
	}

}
