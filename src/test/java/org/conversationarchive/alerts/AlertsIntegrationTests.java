package org.conversationarchive.alerts;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.OrgApi;
import org.conversationarchive.TestUsers;
import org.conversationarchive.WebhookReceiver;
import org.conversationarchive.conversation.ConversationSearches;
import org.conversationarchive.export.ExportSettings;
import org.conversationarchive.notifications.Notifications;
import org.conversationarchive.notifications.Webhooks;
import org.conversationarchive.search.ConversationQueries;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
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
 * Alerts on a view against the real engine: two evaluators (two instances' worth, on the
 * same database and engine) racing for every evaluation, of which one evaluates, and a
 * breach told once in the app and to a webhook receiver, its return once, and the next
 * breach again; the link shows what was counted; bad input, roles, a view that is gone.
 * In the views tests' context (users from request headers, {@link TestUsers}); each test
 * has an org of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ArchiveIntegrationTest(properties = "archive.elasticsearch.index-prefix=views-test")
@Import(TestUsers.class)
class AlertsIntegrationTests {

	@Autowired
	RestTestClient http;

	@Autowired
	JsonMapper json;

	@Autowired
	Alerts alerts;

	@Autowired
	ConversationQueries queries;

	@Autowired
	ConversationSearches searches;

	@Autowired
	Notifications notifications;

	@Autowired
	Webhooks webhooks;

	@Autowired
	ExportSettings exportSettings;

	@Autowired
	JdbcTemplate jdbc;

	final WebhookReceiver receiver = new WebhookReceiver();

	@AfterAll
	void stopReceiver() {
		this.receiver.close();
	}

	@Test
	void aBreachIsToldOnceHoweverManyInstancesEvaluateAndAgainAfterItsReturn() throws Exception {
		String org = org();
		// Evaluated as if a little later: a new alert is due from when it is created.
		Instant now = Instant.now().plusSeconds(30).truncatedTo(ChronoUnit.SECONDS);
		call(org, "manager", HttpMethod.POST, "/api/v1/webhooks", "{\"url\": \"" + this.receiver.url("/" + org)
				+ "\", \"events\": [\"alert.triggered\", \"alert.resolved\"]}", 201);
		String viewId = view(org, "Flagged voice calls", "{\"platforms\": [\"voice\"], \"flagged\": true}");
		ingest(org, conversation("c1", "voice", true, now.minus(Duration.ofMinutes(10))),
				conversation("c2", "voice", true, now.minus(Duration.ofMinutes(20))),
				conversation("c3", "voice", true, now.minus(Duration.ofMinutes(30))),
				// Outside the window, not flagged, not a call: not counted.
				conversation("c4", "voice", true, now.minus(Duration.ofMinutes(70))),
				conversation("c5", "voice", false, now.minus(Duration.ofMinutes(5))),
				conversation("c6", "sms", true, now.minus(Duration.ofMinutes(5))));
		JsonNode alert = call(org, "manager", HttpMethod.POST, "/api/v1/alerts",
				"{\"name\": \"Too many flagged calls\", " + "\"viewId\": \"" + viewId
						+ "\", \"window\": \"PT1H\", \"above\": 2}",
				201);
		String id = alert.get("id").asString();
		assertThat(alert.get("state").asString()).isEqualTo("ok");
		assertThat(alert.get("window").asString()).isEqualTo("PT1H");
		assertThat(alert.get("owner").asString()).isEqualTo("mia");
		assertThat(alert.has("below")).isFalse();

		// Two instances' evaluators, each evaluation due every second.
		List<AlertEvaluator> evaluators = List.of(evaluator(), evaluator());
		for (int second = 0; second < 5; second++) {
			assertThat(race(evaluators, id, now.plusSeconds(second))).as("evaluations at +%ds", second).isEqualTo(1);
		}
		JsonNode breached = call(org, "viewer", HttpMethod.GET, "/api/v1/alerts/" + id, null, 200);
		assertThat(breached.get("state").asString()).isEqualTo("breached");
		assertThat(breached.get("lastCount").asLong()).isEqualTo(3);
		assertThat(breached.get("stateSince").asString()).isEqualTo(now.toString());

		await().atMost(Duration.ofSeconds(10)).until(() -> !this.receiver.received("/" + org).isEmpty());
		JsonNode triggered = this.json.readTree(this.receiver.received("/" + org).get(0).body());
		assertThat(triggered.get("event").asString()).isEqualTo("alert.triggered");
		JsonNode data = triggered.get("data");
		assertThat(data.get("alertId").asString()).isEqualTo(id);
		assertThat(data.get("count").asLong()).isEqualTo(3);
		assertThat(data.get("comparison").asString()).isEqualTo("above");
		assertThat(data.get("threshold").asLong()).isEqualTo(2);
		assertThat(data.get("window").asString()).isEqualTo("PT1H");
		assertThat(data.get("viewName").asString()).isEqualTo("Flagged voice calls");
		assertThat(data.get("from").asString()).isEqualTo(now.minus(Duration.ofHours(1)).toString());
		assertThat(data.get("to").asString()).isEqualTo(now.toString());
		// The table's URL: the view, with its filter over the window.
		String link = data.get("link").asString();
		assertThat(link).startsWith("/?view=" + viewId + "&")
			.contains("from=" + now.minus(Duration.ofHours(1)).toString().replace(":", "%3A"))
			.contains("flagged=true")
			.contains("platform=voice");
		JsonNode page = new OrgApi(this.http, this.json, org)
			.get(URI.create("/api/v1/conversations" + link.substring(1)));
		assertThat(page.get("total").asLong()).isEqualTo(3);

		// Back within the threshold: told once, and the next breach is told again.
		for (int second = 0; second < 3; second++) {
			assertThat(race(evaluators, id, now.plus(Duration.ofHours(2)).plusSeconds(second))).isEqualTo(1);
		}
		Instant later = now.plus(Duration.ofHours(3));
		ingest(org, conversation("c7", "voice", true, later.minusSeconds(60)),
				conversation("c8", "voice", true, later.minusSeconds(120)),
				conversation("c9", "voice", true, later.minusSeconds(180)));
		for (int second = 0; second < 3; second++) {
			assertThat(race(evaluators, id, later.plusSeconds(second))).isEqualTo(1);
		}

		JsonNode events = call(org, "viewer", HttpMethod.GET, "/api/v1/alerts/" + id + "/events", null, 200)
			.get("items");
		assertThat(events).extracting((event) -> event.get("kind").asString())
			.containsExactly("triggered", "resolved", "triggered");
		assertThat(events.get(1).get("count").asLong()).isZero();
		assertThat(events.get(2).get("link").asString()).isEqualTo(link);
		assertThat(events.get(2).get("at").asString()).isEqualTo(now.toString());
		await().atMost(Duration.ofSeconds(10)).until(() -> this.receiver.received("/" + org).size() == 3);
		assertThat(this.receiver.received("/" + org)).extracting((received) -> received.header("X-Archive-Event"))
			.containsExactlyInAnyOrder("alert.triggered", "alert.resolved", "alert.triggered");
		JsonNode told = call(org, "manager", HttpMethod.GET, "/api/v1/notifications", null, 200).get("items");
		assertThat(told).hasSize(2);
		assertThat(told.get(1).get("message").asString()).isEqualTo("Alert \u201cToo many flagged calls\u201d: "
				+ "3 conversations of \u201cFlagged voice calls\u201d started in the last hour, more than 2.");
		assertThat(told.get(1).get("link").asString()).isEqualTo(link);
		// Nobody else is told.
		assertThat(call(org, "analyst", HttpMethod.GET, "/api/v1/notifications", null, 200).get("items")).isEmpty();
	}

	@Test
	void fewerThanBelowTriggersAndAViewThatIsGoneIsReportedOnTheAlert() throws Exception {
		String org = org();
		// Evaluated as if a little later: a new alert is due from when it is created.
		Instant now = Instant.now().plusSeconds(30).truncatedTo(ChronoUnit.SECONDS);
		String viewId = view(org, "Web chats", "{\"platforms\": [\"web\"]}");
		ingest(org, conversation("w1", "web", false, now.minus(Duration.ofMinutes(3))));
		String id = call(org, "manager", HttpMethod.POST, "/api/v1/alerts",
				"{\"name\": \"Quiet chat\", \"viewId\": \"" + viewId + "\", \"window\": \"PT10M\", \"below\": 2}", 201)
			.get("id")
			.asString();
		AlertEvaluator evaluator = evaluator();
		assertThat(evaluator.evaluateDue(now)).contains(id);
		JsonNode alert = call(org, "viewer", HttpMethod.GET, "/api/v1/alerts/" + id, null, 200);
		assertThat(alert.get("state").asString()).isEqualTo("breached");
		assertThat(alert.get("lastCount").asLong()).isEqualTo(1);

		call(org, "manager", HttpMethod.DELETE, "/api/v1/views/" + viewId, null, 204);
		evaluator.evaluateDue(now.plusSeconds(1));
		alert = call(org, "viewer", HttpMethod.GET, "/api/v1/alerts/" + id, null, 200);
		assertThat(alert.get("lastError").asString()).contains("no longer exists");
		assertThat(alert.get("state").asString()).isEqualTo("breached");
	}

	@Test
	void badInputIsRefusedNamingTheFieldAndOnlyManagersChangeAlerts() throws Exception {
		String org = org();
		String viewId = view(org, "Voice", "{\"platforms\": [\"voice\"]}");
		String base = "\"name\": \"n\", \"viewId\": \"" + viewId + "\", \"window\": \"PT1H\"";
		assertThat(problem(org, "{\"viewId\": \"" + viewId + "\", \"window\": \"PT1H\", \"above\": 1}"))
			.startsWith("name");
		assertThat(problem(org, "{\"name\": \"n\", \"viewId\": \"nope\", \"window\": \"PT1H\", \"above\": 1}"))
			.isEqualTo("viewId: no view 'nope'");
		assertThat(problem(org, "{\"name\": \"n\", \"viewId\": \"" + viewId + "\", \"above\": 1}"))
			.startsWith("window is required");
		assertThat(problem(org, "{\"name\": \"n\", \"viewId\": \"" + viewId + "\", \"window\": \"1h\", \"above\": 1}"))
			.startsWith("window: '1h' is not an ISO-8601 duration");
		assertThat(
				problem(org, "{\"name\": \"n\", \"viewId\": \"" + viewId + "\", \"window\": \"PT10S\", \"above\": 1}"))
			.startsWith("window: 'PT10S' must be from");
		assertThat(problem(org, "{" + base + "}")).startsWith("above or below is required");
		assertThat(problem(org, "{" + base + ", \"above\": 1, \"below\": 2}"))
			.isEqualTo("give either above or below, not both");
		assertThat(problem(org, "{" + base + ", \"above\": -1}")).startsWith("above: -1");
		assertThat(problem(org, "{" + base + ", \"below\": 0}")).startsWith("below: 0");
		assertThat(problem(org, "{" + base + ", \"above\": \"20\"}")).contains("above");
		assertThat(problem(org, "{" + base + ", \"above\": 20, \"threshold\": 3}")).contains("threshold");

		for (String role : List.of("viewer", "analyst")) {
			call(org, role, HttpMethod.POST, "/api/v1/alerts", "{" + base + ", \"above\": 1}", 403);
		}
		JsonNode alert = call(org, "manager", HttpMethod.POST, "/api/v1/alerts", "{" + base + ", \"above\": 1}", 201);
		String id = alert.get("id").asString();
		call(org, "viewer", HttpMethod.GET, "/api/v1/alerts", null, 200);
		call(org, "viewer", HttpMethod.PUT, "/api/v1/alerts/" + id, "{\"enabled\": false}", 403);
		call(org, "viewer", HttpMethod.DELETE, "/api/v1/alerts/" + id, null, 403);
		JsonNode changed = call(org, "manager", HttpMethod.PUT, "/api/v1/alerts/" + id,
				"{\"below\": 5, \"window\": \"P1D\", \"enabled\": false}", 200);
		assertThat(changed.has("above")).isFalse();
		assertThat(changed.get("below").asLong()).isEqualTo(5);
		assertThat(changed.get("window").asString()).isEqualTo("PT24H");
		assertThat(changed.get("enabled").asBoolean()).isFalse();
		assertThat(changed.get("name").asString()).isEqualTo("n");
		call(org + "-other", "manager", HttpMethod.GET, "/api/v1/alerts/" + id, null, 404);
		call(org, "viewer", HttpMethod.GET, "/api/v1/alerts/" + id + "/events?size=0", null, 400);
		call(org, "manager", HttpMethod.DELETE, "/api/v1/alerts/" + id, null, 204);
		call(org, "manager", HttpMethod.GET, "/api/v1/alerts/" + id, null, 404);
		assertThat(this.jdbc.queryForList(
				"select action from archive_audit where org = ? and action like 'alert.%' " + "order by at",
				String.class, org))
			.containsExactly("alert.created", "alert.updated", "alert.deleted");
	}

	/**
	 * Runs two evaluators at once, as two instances would, and answers how many
	 * evaluations of an alert they made between them (other tests' alerts are due too).
	 */
	private int race(List<AlertEvaluator> evaluators, String alertId, Instant now) throws Exception {
		try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
			List<Future<List<String>>> runs = new ArrayList<>();
			for (AlertEvaluator evaluator : evaluators) {
				runs.add(threads.submit((Callable<List<String>>) () -> evaluator.evaluateDue(now)));
			}
			int evaluated = 0;
			for (Future<List<String>> run : runs) {
				evaluated += (int) run.get().stream().filter(alertId::equals).count();
			}
			return evaluated;
		}
	}

	private AlertEvaluator evaluator() {
		return new AlertEvaluator(this.alerts, this.queries, this.searches, this.notifications, this.webhooks,
				new AlertSettings(Duration.ofSeconds(1)), this.exportSettings);
	}

	private String view(String org, String name, String filter) {
		return call(org, "manager", HttpMethod.POST, "/api/v1/views",
				"{\"name\": \"" + name + "\", \"filter\": " + filter + ", \"scope\": \"org\"}", 201)
			.get("id")
			.asString();
	}

	private void ingest(String org, String... conversations) {
		new OrgApi(this.http, this.json, org).bulk(String.join("\n", conversations) + "\n");
	}

	private static String conversation(String id, String platform, boolean flagged, Instant startedAt) {
		return "{\"id\": \"" + id + "\", \"platform\": \"" + platform + "\", \"flagged\": " + flagged
				+ ", \"startedAt\": \"" + startedAt + "\"}";
	}

	private String problem(String org, String body) {
		return call(org, "manager", HttpMethod.POST, "/api/v1/alerts", body, 400).get("detail").asString();
	}

	private JsonNode call(String org, String role, HttpMethod method, String uri, @Nullable String body, int status) {
		return new OrgApi(this.http, this.json, org).as(role).call(method, uri, body, status);
	}

	private static String org() {
		return "alerts-" + UUID.randomUUID().toString().substring(0, 8);
	}

}
