package org.conversationarchive.live;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.ConversationArchiveApplication;
import org.conversationarchive.OrgApi;
import org.conversationarchive.TestUsers;
import org.conversationarchive.WebhookReceiver;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live list and a conversation's transcript as server-sent events: what is there
 * first, then each message as it is appended and each action as it is taken, through this
 * instance or another one on the same cluster and database. In the views tests' context.
 */
@ArchiveIntegrationTest(properties = "archive.elasticsearch.index-prefix=views-test")
@Import(TestUsers.class)
class LiveStreamsIntegrationTests {

	/** Far longer than it takes (a poll is 100 ms): only a limit for a broken stream. */
	static final Duration SOON = Duration.ofSeconds(10);

	@Autowired
	RestTestClient http;

	@Autowired
	JsonMapper json;

	@LocalServerPort
	int port;

	@Test
	void theLiveListAndATranscriptFollowAppendsAndActions() throws Exception {
		String org = "stream-" + UUID.randomUUID().toString().substring(0, 8);
		OrgApi admin = new OrgApi(this.http, this.json, org);
		String id = "call-" + UUID.randomUUID().toString().substring(0, 8);
		Instant started = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.SECONDS);
		admin.post("/api/v1/conversations", conversation(id, started), 201);
		String done = "done-" + UUID.randomUUID().toString().substring(0, 8);
		admin.post("/api/v1/conversations", conversation(done, started).replace("in_progress", "completed"), 201);
		// In progress for a month: history a platform never ended, not live.
		admin.post("/api/v1/conversations", conversation("stale-" + UUID.randomUUID().toString().substring(0, 8),
				started.minus(Duration.ofDays(30))), 201);

		try (EventStream list = stream("/api/v1/live/stream", org);
				EventStream transcript = stream("/api/v1/conversations/" + id + "/stream", org);
				WebhookReceiver platform = new WebhookReceiver()) {
			JsonNode first = list.next("conversations", (data) -> true, SOON);
			assertThat(first.get("items")).extracting((item) -> item.get("id").asString()).containsExactly(id);
			assertThat(first.get("total").asLong()).isEqualTo(1);
			JsonNode now = first.get("items").get(0);
			assertThat(now.get("state").asString()).isEqualTo("ai");
			assertThat(now.get("lastMessage").get("text").asString()).isEqualTo("I want a refund");
			assertThat(now.get("durationSeconds").asLong()).isGreaterThanOrEqualTo(30);
			assertThat(transcript.next("messages", (data) -> true, SOON).get("items")).hasSize(2);

			admin.post("/api/v1/conversations/" + id + "/messages",
					"[{\"at\": \"" + Instant.now() + "\", \"senderType\": \"agent\", \"text\": \"Let me check\"}]",
					200);
			JsonNode changed = list.next("conversation",
					(data) -> data.get("id").asString().equals(id) && data.get("messageCount").asInt() == 3, SOON);
			assertThat(changed.get("lastMessage").get("text").asString()).isEqualTo("Let me check");
			JsonNode gained = transcript.next("messages", (data) -> data.get("from").asInt() == 2, SOON);
			assertThat(gained.get("items")).extracting((message) -> message.get("text").asString())
				.containsExactly("Let me check");

			admin.as("admin")
				.put("/api/v1/gateway/platform",
						"{\"url\": \"" + platform.url("/actions") + "\", \"secret\": \"0123456789abcdef\"}");
			platform.answer("/actions", 202);
			admin.as("manager", "mia")
				.post("/api/v1/conversations/" + id + "/actions", "{\"type\": \"take_over\"}", 202);
			JsonNode actions = transcript.next("actions", (data) -> data.get("items").size() == 1, SOON);
			assertThat(actions.get("items").get(0).get("type").asString()).isEqualTo("take_over");
			assertThat(list.next("conversation", (data) -> data.get("state").asString().equals("held"), SOON)
				.get("heldBy")
				.asString()).isEqualTo("mia");

			// Ended: it leaves the list.
			admin.post("/api/v1/conversations", conversation(id, started).replace("in_progress", "completed"), 200);
			assertThat(list.next("conversation",
					(data) -> data.get("id").asString().equals(id) && data.get("state").asString().equals("over"),
					SOON))
				.isNotNull();
			JsonNode after = admin.get("/api/v1/live");
			assertThat(after.get("items")).isEmpty();
			assertThat(after.get("total").asLong()).isZero();
		}
	}

	/**
	 * Two instances behind a balancer: the browser watches through this one, the agent
	 * platform's appends go through another.
	 */
	@Test
	void anAppendThroughAnotherInstanceReachesAViewerOfThisOne() throws Exception {
		try (ConfigurableApplicationContext other = new SpringApplicationBuilder(ConversationArchiveApplication.class)
			.initializers(new ArchiveIntegrationTest.SharedElasticsearch())
			.run("--server.port=0", "--archive.elasticsearch.index-prefix=views-test")) {
			int otherPort = other.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
			RestTestClient otherHttp = RestTestClient.bindToServer()
				.baseUrl("http://localhost:" + otherPort)
				.defaultHeader("Authorization", "Bearer " + ArchiveIntegrationTest.ADMIN_KEY)
				.build();
			// The other instance has no test users: its bootstrap key is the default
			// org's administrator, as this one's default test user is.
			OrgApi there = new OrgApi(otherHttp, this.json, "default");
			String id = "elsewhere-" + UUID.randomUUID().toString().substring(0, 8);
			Instant started = Instant.now().minusSeconds(10).truncatedTo(ChronoUnit.SECONDS);
			there.post("/api/v1/conversations", conversation(id, started), 201);
			try (EventStream transcript = stream("/api/v1/conversations/" + id + "/stream", "default")) {
				transcript.next("messages", (data) -> data.get("from").asInt() == 0, SOON);
				there.post("/api/v1/conversations/" + id + "/messages",
						"[{\"at\": \"" + Instant.now() + "\", \"senderType\": \"user\", \"text\": \"Still there?\"}]",
						200);
				assertThat(transcript.next("messages", (data) -> data.get("from").asInt() == 2, SOON).get("items"))
					.extracting((message) -> message.get("text").asString())
					.containsExactly("Still there?");
			}
			there.delete("/api/v1/conversations/" + id, 204);
		}
	}

	private EventStream stream(String path, String org) {
		return new EventStream(this.json, URI.create("http://localhost:" + this.port + path),
				Map.of("Authorization", "Bearer " + ArchiveIntegrationTest.ADMIN_KEY, TestUsers.ORG, org));
	}

	static String conversation(String id, Instant started) {
		return "{\"id\": \"" + id + "\", \"platform\": \"web\", \"startedAt\": \"" + started
				+ "\", \"status\": \"in_progress\", \"contact\": {\"id\": \"c-9\", \"name\": \"Sam\"}, "
				+ "\"messages\": [{\"at\": \"" + started + "\", \"senderType\": \"agent\", \"text\": \"Hello\"}, "
				+ "{\"at\": \"" + started.plusSeconds(5)
				+ "\", \"senderType\": \"user\", \"text\": \"I want a refund\"}]}";
	}

}
