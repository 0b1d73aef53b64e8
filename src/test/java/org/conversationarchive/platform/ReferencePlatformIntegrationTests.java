package org.conversationarchive.platform;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.conversationarchive.ArchiveIntegrationTest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The reference platform against the real archive, as an org's platform runs: it plays
 * two conversations through the ingest API with an ingest key of an org of its own, and
 * they show in the archive in progress, grow, and end as generated; a coaching note sent
 * to the platform, signed here, comes back as the platform's message. In the dashboard
 * tests' context (real authentication: the test users' context would file the platform's
 * writes under the org the test headers name).
 */
@ArchiveIntegrationTest(properties = "archive.elasticsearch.index-prefix=dashboard-test")
class ReferencePlatformIntegrationTests {

	static final String SECRET = "the-platform-secret-of-this-test";

	/** A web chat reported at its end, then a call handed off to a queue. */
	static final long SEED = 15;

	@Autowired
	RestTestClient admin;

	@Autowired
	JsonMapper json;

	@LocalServerPort
	int port;

	final String org = "platform-" + UUID.randomUUID().toString().substring(0, 8);

	@Test
	void playsConversationsLiveIntoTheArchive() throws InterruptedException {
		this.admin.post()
			.uri("/api/v1/orgs")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("id", this.org, "name", "Reference platform"))
			.exchange()
			.expectStatus()
			.isCreated();
		RestTestClient analyst = client(key("analyst"));
		Casting casting = new Casting(SEED);
		List<Casting.Cast> casts = List.of(casting.next(), casting.next());
		assertThat(casts.get(0).script()).as("long enough to be coached while it plays").hasSizeGreaterThan(10);
		assertThat(casts.get(1).handOffTo()).isNotNull();
		try (ReferencePlatform platform = new ReferencePlatform("http://localhost:" + this.port, key("ingest"), SECRET,
				0)) {
			platform.start();
			Actions actions = new Actions(platform.url(), SECRET);
			Player player = platform.play(new Player.Options(2, 4, 2, SEED));
			await().atMost(Duration.ofSeconds(30)).until(() -> player.conversationIds().size() == 2);
			List<String> ids = player.conversationIds();

			String first = ids.get(0);
			JsonNode started = await().atMost(Duration.ofSeconds(20))
				.until(() -> conversation(analyst, first), (found) -> found != null);
			assertThat(started.get("status").asString()).isEqualTo("in_progress");
			assertThat(started.has("endedAt")).isFalse();
			String actionId = UUID.randomUUID().toString();
			assertThat(actions
				.send(actionId, Actions.action(actionId, first, "coach", "\"text\": \"Confirm the address first.\""))
				.statusCode()).isEqualTo(202);
			int said = started.get("messages").size();
			await().atMost(Duration.ofSeconds(20))
				.until(() -> conversation(analyst, first).get("messages").size() > said);

			for (int i = 0; i < 2; i++) {
				if (casts.get(i).handOffTo() != null) {
					// Waiting for a person, until one ends it.
					String id = ids.get(i);
					await().atMost(Duration.ofSeconds(60))
						.until(() -> conversation(analyst, id).get("status").asString().equals("human_handoff"));
					assertThat(conversation(analyst, id).get("queue").asString()).isEqualTo(casts.get(i).handOffTo());
					assertThat(actions.send(id, "end", "").statusCode()).isEqualTo(202);
				}
			}
			assertThat(player.awaitFinished(Duration.ofSeconds(120))).isTrue();

			for (int i = 0; i < 2; i++) {
				Casting.Cast cast = casts.get(i);
				JsonNode ended = conversation(analyst, ids.get(i));
				assertThat(ended.has("endedAt")).isTrue();
				if (cast.handOffTo() != null) {
					assertThat(ended.get("status").asString()).isEqualTo("completed");
					assertThat(texts(ended)).endsWith("Call ended");
				}
				else {
					assertThat(ended.get("status").asString()).isEqualTo(cast.conversation().status().json());
					assertThat(ended.get("flowVersion").asInt()).isEqualTo(cast.conversation().flowVersion());
					assertThat(ended.get("exitNode").asString())
						.isEqualTo(cast.conversation().messages().getLast().flowNode());
					List<String> generated = cast.conversation()
						.messages()
						.stream()
						.map((message) -> (message.text() != null) ? message.text() : "")
						.toList();
					assertThat(texts(ended)).containsSubsequence(generated);
				}
			}
			// Its flows were published before it played, each version once.
			JsonNode flows = this.json.readTree(analyst.get()
				.uri("/api/v1/flows")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.returnResult()
				.getResponseBody());
			List<String> listed = new ArrayList<>();
			flows.get("items").forEach((flow) -> listed.add(flow.get("id").asString() + " " + flow.get("versions")));
			assertThat(listed).hasSize(12).contains("flow-billing [1,2]", "flow-returns [1]");
			JsonNode coached = conversation(analyst, first);
			JsonNode note = null;
			for (JsonNode message : coached.get("messages")) {
				if ("Confirm the address first.".equals(message.path("text").asString(null))) {
					note = message;
				}
			}
			assertThat(note).isNotNull();
			assertThat(note.get("senderType").asString()).isEqualTo("coaching");
			assertThat(note.get("data").get("actionId").asString()).isEqualTo(actionId);
			assertThat(note.get("data").get("outcome").asString()).isEqualTo("done");
		}
	}

	private @Nullable JsonNode conversation(RestTestClient client, String id) {
		byte[] body = client.get()
			.uri("/api/v1/conversations/{id}", id)
			.exchange()
			.expectBody()
			.returnResult()
			.getResponseBody();
		JsonNode found = (body != null && body.length > 0) ? this.json.readTree(body) : null;
		return (found != null && found.has("id")) ? found : null;
	}

	private static List<String> texts(JsonNode conversation) {
		List<String> texts = new ArrayList<>();
		conversation.get("messages").forEach((message) -> texts.add(message.path("text").asString("")));
		return texts;
	}

	private String key(String role) {
		return this.json
			.readTree(this.admin.post()
				.uri("/api/v1/orgs/{org}/api-keys", this.org)
				.contentType(MediaType.APPLICATION_JSON)
				.body(Map.of("name", role + " key", "role", role))
				.exchange()
				.expectStatus()
				.isCreated()
				.expectBody(String.class)
				.returnResult()
				.getResponseBody())
			.get("key")
			.asString();
	}

	private RestTestClient client(String key) {
		return RestTestClient.bindToServer(new JdkClientHttpRequestFactory())
			.baseUrl("http://localhost:" + this.port)
			.defaultHeader("Authorization", "Bearer " + key)
			.build();
	}

}
