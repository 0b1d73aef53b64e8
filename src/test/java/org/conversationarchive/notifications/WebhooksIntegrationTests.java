package org.conversationarchive.notifications;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.OrgApi;
import org.conversationarchive.TestElasticsearch;
import org.conversationarchive.TestUsers;
import org.conversationarchive.WebhookReceiver;
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
 * Webhooks against a real receiver on this machine that checks every signature: retried
 * with backoff until delivered, logged attempt by attempt, sent once however many
 * dispatchers race for them, "send test", subscriptions, secrets shown once and rotated,
 * bad input, and "export ready" from a real export. In the views tests' context (users
 * from request headers, {@link TestUsers}); each test has an org of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ArchiveIntegrationTest(properties = "archive.elasticsearch.index-prefix=views-test")
@Import(TestUsers.class)
class WebhooksIntegrationTests {

	@Autowired
	RestTestClient http;

	@Autowired
	JsonMapper json;

	@Autowired
	Webhooks webhooks;

	@Autowired
	WebhookDeliveries deliveries;

	@Autowired
	WebhookEndpoints endpoints;

	@Autowired
	WebhookSender sender;

	@Autowired
	WebhookSettings settings;

	@Autowired
	JdbcTemplate jdbc;

	final WebhookReceiver receiver = new WebhookReceiver();

	@AfterAll
	void stopReceiver() {
		this.receiver.close();
	}

	@Test
	void aFailedDeliveryIsRetriedWithBackoffUntilDeliveredAndLogged() {
		String org = org();
		this.receiver.answer("/flaky", 500, 503, 200);
		JsonNode created = call(org, "manager", HttpMethod.POST, "/api/v1/webhooks",
				"{\"url\": \"" + this.receiver.url("/flaky") + "\", \"description\": \"BI alerts\"}", 201);
		String secret = created.get("secret").asString();
		assertThat(created.get("events").toString()).isEqualTo("[\"*\"]");
		assertThat(created.get("enabled").asBoolean()).isTrue();
		assertThat(created.get("description").asString()).isEqualTo("BI alerts");

		long started = System.nanoTime();
		this.webhooks.publish(org, "export.ready", Map.of("exportId", "x1", "rowCount", 3));
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));

		await().atMost(Duration.ofSeconds(20)).until(() -> this.receiver.received("/flaky").size() == 3);
		List<WebhookReceiver.Received> tries = this.receiver.received("/flaky");
		for (int i = 0; i < 3; i++) {
			WebhookReceiver.Received received = tries.get(i);
			assertThat(WebhookReceiver.verify(secret, received.header("X-Archive-Signature"), received.body()))
				.as("signature of attempt %d", i + 1)
				.isTrue();
			assertThat(received.header("X-Archive-Event")).isEqualTo("export.ready");
			assertThat(received.header("X-Archive-Attempt")).isEqualTo(Integer.toString(i + 1));
			assertThat(received.header("Content-Type")).startsWith("application/json");
			// The same delivery and body every time.
			assertThat(received.header("X-Archive-Delivery")).isEqualTo(tries.get(0).header("X-Archive-Delivery"));
			assertThat(received.body()).isEqualTo(tries.get(0).body());
		}
		JsonNode body = this.json.readTree(tries.get(0).body());
		assertThat(body.propertyNames()).containsExactly("id", "event", "at", "org", "data");
		assertThat(body.get("org").asString()).isEqualTo(org);
		assertThat(body.get("data")).isEqualTo(this.json.readTree("{\"exportId\": \"x1\", \"rowCount\": 3}"));
		// 200 ms, then 400 ms (archive.webhooks.backoff for the tests).
		assertThat(Duration.between(tries.get(0).at(), tries.get(1).at()))
			.isGreaterThanOrEqualTo(Duration.ofMillis(190));
		assertThat(Duration.between(tries.get(1).at(), tries.get(2).at()))
			.isGreaterThanOrEqualTo(Duration.ofMillis(390));

		String id = created.get("id").asString();
		JsonNode log = await().atMost(Duration.ofSeconds(10))
			.until(() -> call(org, "manager", HttpMethod.GET, "/api/v1/webhooks/" + id + "/deliveries", null, 200)
				.get("items"),
					(items) -> items.size() == 1 && items.get(0).get("status").asString().equals("delivered"));
		JsonNode delivery = log.get(0);
		assertThat(delivery.get("id").asString()).isEqualTo(tries.get(0).header("X-Archive-Delivery"));
		assertThat(delivery.get("eventId").asString()).isEqualTo(body.get("id").asString());
		assertThat(delivery.get("payload")).isEqualTo(body);
		assertThat(delivery.get("attempts")).extracting((attempt) -> attempt.get("statusCode").asInt())
			.containsExactly(500, 503, 200);
		assertThat(delivery.get("attempts").get(0).get("error").asString()).isEqualTo("answered 500");
		assertThat(delivery.get("attempts").get(0).get("response").asString()).isEqualTo("answered 500 to /flaky");
		assertThat(delivery.get("attempts").get(2).has("error")).isFalse();
		assertThat(delivery.get("attempts").get(2).get("durationMs").asLong()).isBetween(0L, 10_000L);
		assertThat(call(org, "manager", HttpMethod.GET, "/api/v1/webhooks", null, 200).get("items")
			.get(0)
			.get("lastDelivery")
			.get("status")
			.asString()).isEqualTo("delivered");
	}

	@Test
	void anEndpointThatNeverAnswersDoesNotSlowThePublisher() throws Exception {
		String org = org();
		// Takes connections and never answers them.
		try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			String id = call(org, "manager", HttpMethod.POST, "/api/v1/webhooks",
					"{\"url\": \"http://127.0.0.1:" + silent.getLocalPort() + "/silent\"}", 201)
				.get("id")
				.asString();
			long started = System.nanoTime();
			for (int i = 0; i < 20; i++) {
				this.webhooks.publish(org, "export.ready", Map.of("n", i));
			}
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
			// Meanwhile the dispatcher waits on the endpoint, a few attempts at a time.
			JsonNode log = await().atMost(Duration.ofSeconds(10))
				.until(() -> call(org, "manager", HttpMethod.GET, "/api/v1/webhooks/" + id + "/deliveries", null, 200)
					.get("items"), (items) -> items.findValuesAsString("status").contains("sending"));
			assertThat(log).hasSize(20);
			assertThat(log.findValuesAsString("status").stream().filter("sending"::equals).count())
				.isLessThanOrEqualTo(this.settings.perEndpoint());
			call(org, "manager", HttpMethod.DELETE, "/api/v1/webhooks/" + id, null, 204);
		}
	}

	@Test
	void aDeliveryThatNeverSucceedsFailsAfterItsAttempts() {
		String org = org();
		this.receiver.answer("/down", 502);
		String id = create(org, "/down", "[\"export.ready\"]");
		this.webhooks.publish(org, "export.ready", Map.of());
		JsonNode delivery = await().atMost(Duration.ofSeconds(20))
			.until(() -> call(org, "manager", HttpMethod.GET, "/api/v1/webhooks/" + id + "/deliveries", null, 200)
				.get("items")
				.get(0), (item) -> item.get("status").asString().equals("failed"));
		// archive.webhooks.max-attempts for the tests.
		assertThat(delivery.get("attempts")).hasSize(4);
		assertThat(delivery.get("completedAt").asString()).isNotBlank();
		assertThat(this.receiver.received("/down")).hasSize(4);
	}

	@Test
	void eachDeliveryIsSentOnceHoweverManyDispatchersRaceForIt() {
		String org = org();
		create(org, "/raced", "[\"*\"]");
		// Two more instances' dispatchers on the same database, beside this context's.
		List<WebhookDispatcher> others = List.of(dispatcher(), dispatcher());
		others.forEach(WebhookDispatcher::start);
		try {
			for (int i = 0; i < 30; i++) {
				this.webhooks.publish(org, "export.ready", Map.of("n", i));
				others.forEach(WebhookDispatcher::wake);
			}
			await().atMost(Duration.ofSeconds(20)).until(() -> this.receiver.received("/raced").size() >= 30);
		}
		finally {
			others.forEach(WebhookDispatcher::stop);
		}
		List<String> ids = this.receiver.received("/raced")
			.stream()
			.map((received) -> received.header("X-Archive-Delivery"))
			.toList();
		assertThat(ids).hasSize(30).doesNotHaveDuplicates();
	}

	@Test
	void sendTestAnswersTheAttemptAndRedirectsAreNotFollowed() {
		String org = org();
		String ok = create(org, "/tested", "[\"export.ready\"]");
		JsonNode tested = call(org, "manager", HttpMethod.POST, "/api/v1/webhooks/" + ok + "/test", null, 200);
		assertThat(tested.get("delivered").asBoolean()).isTrue();
		assertThat(tested.get("statusCode").asInt()).isEqualTo(200);
		assertThat(tested.get("number").asInt()).isEqualTo(1);
		WebhookReceiver.Received received = this.receiver.received("/tested").get(0);
		assertThat(received.header("X-Archive-Event")).isEqualTo("webhook.test");
		assertThat(received.header("X-Archive-Delivery")).isEqualTo(tested.get("deliveryId").asString());
		assertThat(this.json.readTree(received.body()).get("data").get("webhookId").asString()).isEqualTo(ok);

		this.receiver.answer("/moved", 302);
		String moved = create(org, "/moved", "[\"*\"]");
		tested = call(org, "manager", HttpMethod.POST, "/api/v1/webhooks/" + moved + "/test", null, 200);
		assertThat(tested.get("delivered").asBoolean()).isFalse();
		assertThat(tested.get("statusCode").asInt()).isEqualTo(302);
		assertThat(tested.get("error").asString()).isEqualTo("answered 302 (redirects are not followed)");
		assertThat(this.receiver.received("/moved/redirected")).isEmpty();
		JsonNode log = call(org, "manager", HttpMethod.GET, "/api/v1/webhooks/" + moved + "/deliveries", null, 200);
		assertThat(log.get("items").get(0).get("status").asString()).isEqualTo("failed");
		assertThat(log.get("items").get(0).get("attempts")).hasSize(1);

		// Nothing listens there.
		JsonNode closed = call(org, "manager", HttpMethod.POST, "/api/v1/webhooks",
				"{\"url\": \"http://127.0.0.1:" + TestElasticsearch.freePort() + "/\"}", 201);
		tested = call(org, "manager", HttpMethod.POST, "/api/v1/webhooks/" + closed.get("id").asString() + "/test",
				null, 200);
		assertThat(tested.get("delivered").asBoolean()).isFalse();
		assertThat(tested.has("statusCode")).isFalse();
		assertThat(tested.get("error").asString()).startsWith("could not connect");
	}

	@Test
	void endpointsGetWhatTheyAreSubscribedToWhileEnabled() {
		String org = org();
		String all = create(org, "/all", "[\"*\"]");
		String exports = create(org, "/exports", "[\"export.ready\"]");
		String disabled = create(org, "/disabled", "[\"*\"]");
		call(org, "manager", HttpMethod.PUT, "/api/v1/webhooks/" + disabled, "{\"enabled\": false}", 200);
		this.webhooks.publish(org, "review.something_else", Map.of());
		this.webhooks.publish(org, "export.ready", Map.of());
		this.webhooks.publish(other(org), "export.ready", Map.of());
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.receiver.received("/all").size() == 2 && this.receiver.received("/exports").size() == 1);
		assertThat(this.receiver.received("/all")).extracting((received) -> received.header("X-Archive-Event"))
			.containsExactlyInAnyOrder("review.something_else", "export.ready");
		assertThat(this.receiver.received("/disabled")).isEmpty();
		assertThat(all).isNotEqualTo(exports);

		JsonNode events = call(org, "manager", HttpMethod.GET, "/api/v1/webhooks/events", null, 200).get("items");
		assertThat(events.findValuesAsString("name")).contains("export.ready");
	}

	@Test
	void theSecretIsShownOnceAndARotatedOneStillSignsForADay() {
		String org = org();
		JsonNode created = call(org, "manager", HttpMethod.POST, "/api/v1/webhooks",
				"{\"url\": \"" + this.receiver.url("/rotated") + "\"}", 201);
		String id = created.get("id").asString();
		String first = created.get("secret").asString();
		assertThat(call(org, "manager", HttpMethod.GET, "/api/v1/webhooks/" + id, null, 200).has("secret")).isFalse();
		assertThat(call(org, "manager", HttpMethod.GET, "/api/v1/webhooks", null, 200).toString())
			.doesNotContain(first);
		JsonNode rotated = call(org, "manager", HttpMethod.POST, "/api/v1/webhooks/" + id + "/secret", null, 200);
		String second = rotated.get("secret").asString();
		assertThat(second).startsWith("whsec_").isNotEqualTo(first);
		assertThat(rotated.get("secretRotatedAt").asString()).isNotBlank();
		call(org, "manager", HttpMethod.POST, "/api/v1/webhooks/" + id + "/test", null, 200);
		WebhookReceiver.Received received = this.receiver.received("/rotated").get(0);
		assertThat(WebhookReceiver.verify(second, received.header("X-Archive-Signature"), received.body())).isTrue();
		assertThat(WebhookReceiver.verify(first, received.header("X-Archive-Signature"), received.body())).isTrue();
		assertThat(WebhookReceiver.verify("whsec_other", received.header("X-Archive-Signature"), received.body()))
			.isFalse();

		assertThat(
				this.jdbc.queryForList("select action from archive_audit where org = ? order by at", String.class, org))
			.containsExactly("webhook.created", "webhook.secret-rotated");
		call(org, "manager", HttpMethod.DELETE, "/api/v1/webhooks/" + id, null, 204);
		call(org, "manager", HttpMethod.GET, "/api/v1/webhooks/" + id, null, 404);
		assertThat(this.jdbc.queryForObject(
				"select detail from archive_audit where org = ? and action = 'webhook.deleted'", String.class, org))
			.isEqualTo(this.receiver.url("/rotated") + ", events *");
	}

	@Test
	void badInputIsRefusedNamingTheFieldAndOnlyManagersManageWebhooks() {
		String org = org();
		String url = this.receiver.url("/x");
		assertThat(problem(org, HttpMethod.POST, "/api/v1/webhooks", "{\"url\": \"ftp://example.com/\"}"))
			.contains("url")
			.contains("http or https");
		assertThat(problem(org, HttpMethod.POST, "/api/v1/webhooks", "{\"description\": \"no url\"}"))
			.contains("url is required");
		assertThat(problem(org, HttpMethod.POST, "/api/v1/webhooks",
				"{\"url\": \"" + url + "\", \"events\": [\"export.redy\"]}"))
			.contains("events: 'export.redy' is not an event")
			.contains("export.ready");
		assertThat(problem(org, HttpMethod.POST, "/api/v1/webhooks", "{\"url\": \"" + url + "\", \"events\": []}"))
			.contains("events");
		assertThat(problem(org, HttpMethod.POST, "/api/v1/webhooks", "{\"url\": \"" + url + "\", \"secret\": \"x\"}"))
			.contains("secret");
		assertThat(
				problem(org, HttpMethod.POST, "/api/v1/webhooks", "{\"url\": \"" + url + "\", \"enabled\": \"yes\"}"))
			.contains("enabled");
		assertThat(problem(org, HttpMethod.POST, "/api/v1/webhooks",
				"{\"url\": \"" + url + "\", \"description\": \"" + "d".repeat(501) + "\"}"))
			.contains("description");
		String id = create(org, "/x", "[\"*\"]");
		assertThat(problem(org, HttpMethod.GET, "/api/v1/webhooks/" + id + "/deliveries?size=0", null))
			.contains("parameter size");
		for (String role : List.of("viewer", "analyst")) {
			call(org, role, HttpMethod.GET, "/api/v1/webhooks", null, 403);
			call(org, role, HttpMethod.POST, "/api/v1/webhooks", "{\"url\": \"" + url + "\"}", 403);
			call(org, role, HttpMethod.POST, "/api/v1/webhooks/" + id + "/test", null, 403);
		}
		call(other(org), "manager", HttpMethod.GET, "/api/v1/webhooks/" + id, null, 404);
		call(other(org), "manager", HttpMethod.DELETE, "/api/v1/webhooks/" + id, null, 404);
		call(org, "admin", HttpMethod.GET, "/api/v1/webhooks/" + id, null, 200);
	}

	@Test
	void aFinishedExportIsPublishedWithItsDownloadLink() {
		String org = org();
		create(org, "/ready", "[\"export.ready\"]");
		new OrgApi(this.http, this.json, org)
			.bulk("{\"id\": \"w1\", \"platform\": \"voice\", \"startedAt\": \"2025-03-01T10:00:00Z\"}\n"
					+ "{\"id\": \"w2\", \"platform\": \"sms\", \"startedAt\": \"2025-03-02T10:00:00Z\"}\n");
		JsonNode job = call(org, "analyst", HttpMethod.POST, "/api/v1/exports", "{\"filter\": {}}", 202);
		await().atMost(Duration.ofSeconds(30)).until(() -> !this.receiver.received("/ready").isEmpty());
		JsonNode data = this.json.readTree(this.receiver.received("/ready").get(0).body()).get("data");
		assertThat(data.get("exportId").asString()).isEqualTo(job.get("id").asString());
		assertThat(data.get("rowCount").asInt()).isEqualTo(2);
		assertThat(data.get("kind").asString()).isEqualTo("table-export");
		assertThat(data.get("requestedBy").asString()).isEqualTo("ana");
		assertThat(Instant.parse(data.get("expiresAt").asString())).isAfter(Instant.now());
		String link = data.get("downloadUrl").asString();
		assertThat(link).contains("/api/v1/downloads/");
		assertThat(this.http.get().uri(link).exchange().expectBody(String.class).returnResult().getResponseBody())
			.contains("w1")
			.contains("w2");
	}

	private WebhookDispatcher dispatcher() {
		return new WebhookDispatcher(this.deliveries, this.endpoints, this.sender, this.settings);
	}

	private String create(String org, String path, String events) {
		return call(org, "manager", HttpMethod.POST, "/api/v1/webhooks",
				"{\"url\": \"" + this.receiver.url(path) + "\", \"events\": " + events + "}", 201)
			.get("id")
			.asString();
	}

	private String problem(String org, HttpMethod method, String uri, String body) {
		JsonNode problem = call(org, "manager", method, uri, body, 400);
		return problem.get("detail").asString();
	}

	private JsonNode call(String org, String role, HttpMethod method, String uri, @Nullable String body, int status) {
		return new OrgApi(this.http, this.json, org).as(role).call(method, uri, body, status);
	}

	private static String org() {
		return "hooks-" + UUID.randomUUID().toString().substring(0, 8);
	}

	private static String other(String org) {
		return org + "-other";
	}

}
