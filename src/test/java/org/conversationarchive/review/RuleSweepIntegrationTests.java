package org.conversationarchive.review;

import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.OrgApi;
import org.conversationarchive.TestUsers;
import org.conversationarchive.search.FilterVersions;
import org.jspecify.annotations.Nullable;
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
import static org.awaitility.Awaitility.await;

/**
 * Enabled rules on writes, against the real engine: a rule flags exactly what the table
 * finds for its filter among what is written after it is switched on, once, on ingest and
 * on append; a run applies a rule to history and another takes its flags back; a rule
 * whose look fails holds back no other rule. Each test writes into an org of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ArchiveIntegrationTest
@Import(TestUsers.class)
class RuleSweepIntegrationTests {

	static final String FILTER = "{\"platforms\": [\"voice\"], \"content\": {\"query\": \"order\"}}";

	@Autowired
	RestTestClient http;

	@Autowired
	JsonMapper json;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	ElasticsearchClient elasticsearch;

	@Test
	void aRuleFlagsExactlyWhatTheTableFindsForItsFilterOnceAndOnAppend() {
		String org = "rule-sweep";
		String ruleId = rule(org, "Orders by voice", FILTER, true);
		String ndjson = generated(5, 400);
		api(org).bulk(ndjson);
		Set<String> expected = ids(org, FILTER);
		assertThat(expected).isNotEmpty();
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(tagged(org)).isEqualTo(expected));

		// Written again: nothing is flagged twice, the flags stay.
		api(org).bulk(ndjson);
		String one = expected.iterator().next();
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(tagged(org)).isEqualTo(expected));
		JsonNode flags = api(org).get("/api/v1/conversations/" + one + "/flags");
		assertThat(flags.get("flagged").asBoolean()).isTrue();
		assertThat(ruleFlags(flags.get("flags"), ruleId)).isEqualTo(1);
		assertThat(ruleFlags(flags.get("history"), ruleId)).isEqualTo(1);
		JsonNode flag = only(flags.get("flags"), ruleId);
		assertThat(flag.get("source").asString()).isEqualTo("rule");
		assertThat(flag.get("ruleName").asString()).isEqualTo("Orders by voice");
		assertThat(flag.get("severity").asString()).isEqualTo("high");
		assertThat(flag.get("reason").asString()).isEqualTo("Orders by voice");

		// A conversation that did not match, made to match by an append.
		String appended = "rule-sweep-append";
		api(org).bulk("{\"id\": \"" + appended + "\", \"platform\": \"voice\", \"status\": \"in_progress\", "
				+ "\"startedAt\": \"" + Instant.now().minusSeconds(60) + "\", \"messages\": [{\"at\": \""
				+ Instant.now().minusSeconds(59) + "\", \"senderType\": \"user\", \"text\": \"Hello there\"}]}\n");
		api(org).post("/api/v1/conversations/" + appended + "/messages", "[{\"at\": \"" + Instant.now().minusSeconds(30)
				+ "\", \"senderType\": \"user\", \"text\": \"Where is my order?\"}]", 200);
		Set<String> withAppended = new TreeSet<>(expected);
		withAppended.add(appended);
		// An append is searchable after the next refresh.
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(ids(org, FILTER)).isEqualTo(withAppended));
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(tagged(org)).isEqualTo(withAppended));
	}

	@Test
	void aRuleWrittenBeforeItWasSwitchedOnFlagsNothingUntilAppliedToHistoryAndItsFlagsCanBeTakenBack() {
		String org = "rule-history";
		api(org).bulk(generated(6, 300));
		String ruleId = rule(org, "Orders by voice", FILTER, true);
		Set<String> expected = ids(org, FILTER);
		assertThat(expected).isNotEmpty();
		// Switched on after the writes: the conversations written before stay as they
		// were.
		assertThat(tagged(org)).isEmpty();

		JsonNode run = api(org).post("/api/v1/rules/" + ruleId + "/runs",
				"{\"kind\": \"apply\", \"from\": \"2025-01-01\", \"to\": \"2025-12-31\"}", 202);
		assertThat(run.get("kind").asString()).isEqualTo("apply");
		assertThat(run.get("total").asLong()).isEqualTo(expected.size());
		String runId = run.get("id").asString();
		await().atMost(Duration.ofSeconds(60))
			.until(() -> api(org).get("/api/v1/rules/" + ruleId + "/runs/" + runId).get("status").asString(),
					"completed"::equals);
		assertThat(api(org).get("/api/v1/rules/" + ruleId + "/runs/" + runId).get("done").asLong())
			.isEqualTo(expected.size());
		assertThat(tagged(org)).isEqualTo(expected);
		assertThat(
				ids(org, "{\"flagged\": true, \"tags\": {\"pairs\": [{\"key\": \"Review\", \"value\": \"orders\"}]}}"))
			.isEqualTo(expected);

		api(org).post("/api/v1/rules/" + ruleId + "/disable?removeFlags=true", null, 200);
		JsonNode runs = api(org).get("/api/v1/rules/" + ruleId + "/runs");
		String removal = runs.get("items").get(0).get("id").asString();
		assertThat(runs.get("items").get(0).get("kind").asString()).isEqualTo("remove");
		await().atMost(Duration.ofSeconds(60))
			.until(() -> api(org).get("/api/v1/rules/" + ruleId + "/runs/" + removal).get("status").asString(),
					"completed"::equals);
		String one = expected.iterator().next();
		JsonNode flags = api(org).get("/api/v1/conversations/" + one + "/flags");
		assertThat(ruleFlags(flags.get("flags"), ruleId)).isZero();
		List<String> actions = new ArrayList<>();
		flags.get("history").forEach((event) -> {
			if (ruleId.equals(event.path("ruleId").asString(null))) {
				actions.add(event.get("action").asString());
			}
		});
		assertThat(actions).containsExactly("flag", "unflag");
	}

	@Test
	void aDeletedRuleHasItsFlagsTakenBackByItsIdAlone() {
		String org = "rule-deleted";
		api(org).bulk(generated(10, 200));
		String ruleId = rule(org, "Orders by voice", FILTER, false);
		Set<String> expected = ids(org, FILTER);
		assertThat(expected).isNotEmpty();
		String runId = api(org)
			.post("/api/v1/rules/" + ruleId + "/runs",
					"{\"kind\": \"apply\", \"from\": \"2025-01-01\", \"to\": \"2025-12-31\"}", 202)
			.get("id")
			.asString();
		await().atMost(Duration.ofSeconds(60))
			.until(() -> api(org).get("/api/v1/rules/" + ruleId + "/runs/" + runId).get("status").asString(),
					"completed"::equals);
		assertThat(tagged(org)).isEqualTo(expected);

		// The run is started, then the rule deleted: the run goes on without it.
		api(org).delete("/api/v1/rules/" + ruleId + "?removeFlags=true", 204);
		api(org).call(HttpMethod.GET, "/api/v1/rules/" + ruleId, null, 404);
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
			for (String id : expected) {
				assertThat(ruleFlags(api(org).get("/api/v1/conversations/" + id + "/flags").get("flags"), ruleId))
					.as("flags of the deleted rule on %s", id)
					.isZero();
			}
		});
		JsonNode history = api(org).get("/api/v1/conversations/" + expected.iterator().next() + "/flags")
			.get("history");
		List<String> actions = new ArrayList<>();
		history.forEach((event) -> {
			if (ruleId.equals(event.path("ruleId").asString(null))) {
				actions.add(event.get("action").asString());
			}
		});
		assertThat(actions).containsExactly("flag", "unflag");
	}

	@Test
	void aRuleWhoseLookFailsHoldsBackItsOwnWindowOnly() throws Exception {
		String org = "rule-faults";
		String other = "rule-faults-other";
		String calls = "{\"platforms\": [\"voice\"], \"statuses\": [\"completed\"]}";
		String said = "{\"content\": {\"query\": \"order\"}}";
		String texts = "{\"platforms\": [\"sms\"]}";
		rule(org, "Completed calls", calls, "Calls", true);
		rule(other, "Completed calls", calls, "Calls", true);
		rule(org, "Said order", said, "Said", true);
		String critical = rule(org, "Critical calls", calls, "Critical", true);
		String newer = rule(other, "Texts", texts, "Texts", true);
		String actions = this.jdbc.queryForObject("select actions_json from archive_review_rule where id = ?",
				String.class, critical);
		try {
			// Three rules that fail as long as this lasts, none holding back the others.
			// Content queries are nested, which a cluster that refuses expensive queries
			// refuses. A rule saved by a newer version of the service (during an
			// upgrade) cannot be read by this one, nor can this one write a flag of a
			// severity it does not know: the conversations "Critical calls" finds,
			// "Completed calls" finds too.
			expensiveQueries(false);
			this.jdbc.update("update archive_review_rule set filter_version = ? where id = ?",
					FilterVersions.FILTER_VERSION + 1, newer);
			this.jdbc.update("update archive_review_rule set actions_json = ? where id = ?",
					actions.replace("\"high\"", "\"critical\""), critical);
			api(org).bulk(generated(7, 150));
			api(other).bulk(generated(8, 150));
			Set<String> calledFirst = ids(org, calls);
			Set<String> calledOther = ids(other, calls);
			assertThat(calledFirst).isNotEmpty();
			assertThat(calledOther).isNotEmpty();
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				assertThat(tagged(org, "Calls")).isEqualTo(calledFirst);
				assertThat(tagged(other, "Calls")).isEqualTo(calledOther);
			});

			// And on: the other rules' windows move with the writes.
			api(org).bulk(generated(9, 150));
			Set<String> called = ids(org, calls);
			assertThat(called).hasSizeGreaterThan(calledFirst.size());
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(tagged(org, "Calls")).isEqualTo(called));
			assertThat(tagged(org, "Said")).isEmpty();
			assertThat(tagged(org, "Critical")).isEmpty();
			assertThat(tagged(other, "Texts")).isEmpty();
		}
		finally {
			expensiveQueries(null);
			this.jdbc.update("update archive_review_rule set filter_version = ? where id = ?",
					FilterVersions.FILTER_VERSION, newer);
			this.jdbc.update("update archive_review_rule set actions_json = ? where id = ?", actions, critical);
		}

		// Able to look again, each flags what was written while it failed.
		Set<String> saidOrder = ids(org, said);
		Set<String> called = ids(org, calls);
		Set<String> texted = ids(other, texts);
		assertThat(saidOrder).isNotEmpty();
		assertThat(texted).isNotEmpty();
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertThat(tagged(org, "Said")).isEqualTo(saidOrder);
			assertThat(tagged(org, "Critical")).isEqualTo(called);
			assertThat(tagged(other, "Texts")).isEqualTo(texted);
		});
	}

	/**
	 * Sets {@code search.allow_expensive_queries} on the whole cluster, or ({@code null})
	 * takes it back to its default.
	 */
	private void expensiveQueries(@Nullable Boolean allowed) throws IOException {
		this.elasticsearch.cluster()
			.putSettings((settings) -> settings
				.withJson(new StringReader("{\"persistent\": {\"search.allow_expensive_queries\": " + allowed + "}}")));
	}

	private String rule(String org, String name, String filter, boolean enabled) {
		return rule(org, name, filter, "Review", enabled);
	}

	/**
	 * A rule that flags and tags what it finds with {@code Review: orders}, or with
	 * {@code key: orders}.
	 */
	private String rule(String org, String name, String filter, String key, boolean enabled) {
		return api(org)
			.post("/api/v1/rules",
					"{\"name\": \"" + name + "\", \"filter\": " + filter
							+ ", \"actions\": {\"flag\": {\"severity\": \"high\"}, \"tag\": {\"key\": \"" + key
							+ "\", \"value\": " + "\"orders\"}}, \"enabled\": " + enabled + "}",
					201)
			.get("id")
			.asString();
	}

	/**
	 * The conversations the rule tagged: what it flagged.
	 */
	private Set<String> tagged(String org) {
		return tagged(org, "Review");
	}

	/**
	 * The conversations a rule tagged {@code key: orders}: what it flagged.
	 */
	private Set<String> tagged(String org, String key) {
		return ids(org, "{\"tags\": {\"pairs\": [{\"key\": \"" + key + "\", \"value\": \"orders\"}]}}");
	}

	private Set<String> ids(String org, String filter) {
		JsonNode page = api(org).post("/api/v1/conversations/_search?size=1000", filter, 200);
		assertThat(page.get("total").asLong()).isLessThan(1000);
		Set<String> ids = new TreeSet<>();
		page.get("items").forEach((row) -> ids.add(row.get("id").asString()));
		return ids;
	}

	private OrgApi api(String org) {
		return new OrgApi(this.http, this.json, org);
	}

	private String generated(long seed, int count) {
		return OrgApi.generated(this.json, seed, count, Instant.parse("2025-05-01T00:00:00Z"),
				Instant.parse("2025-06-01T00:00:00Z"));
	}

	private static long ruleFlags(JsonNode flags, String ruleId) {
		long count = 0;
		for (JsonNode flag : flags) {
			if (ruleId.equals(flag.path("ruleId").asString(null))) {
				count++;
			}
		}
		return count;
	}

	private static JsonNode only(JsonNode flags, String ruleId) {
		for (JsonNode flag : flags) {
			if (ruleId.equals(flag.path("ruleId").asString(null))) {
				return flag;
			}
		}
		throw new AssertionError("no flag of rule " + ruleId + " in " + flags);
	}

}
