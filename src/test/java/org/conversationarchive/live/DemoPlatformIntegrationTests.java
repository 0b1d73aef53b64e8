package org.conversationarchive.live;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.conversationarchive.ArchiveIntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With the demo on, the default org has live conversations out of the box, played by the
 * demo's own agent platform, and a manager's action on one is taken by it: with internal
 * addresses refused, as by default, the platform on this machine being trusted at its own
 * address and port only. In the demo loader tests' context.
 */
@ArchiveIntegrationTest(properties = { "archive.elasticsearch.index-prefix=demo-test", "archive.demo.enabled=true",
		"archive.demo.conversations=120", "archive.demo.days=1", "archive.gateway.allow-private-addresses=false" })
class DemoPlatformIntegrationTests {

	@Autowired
	RestTestClient http;

	@Autowired
	JsonMapper json;

	@Test
	void theDemoPlaysLiveConversationsWhoseActionsItsPlatformTakes() {
		List<String> playing = awaitPlaying();
		JsonNode platform = get("/api/v1/gateway/platform", null);
		assertThat(platform.get("url").asString()).matches("http://127\\.0\\.0\\.1:\\d+/actions");
		assertThat(platform.get("updatedBy").asString()).isEqualTo("demo platform");
		JsonNode managerKey = managerKey();
		String manager = managerKey.get("key").asString();

		// One may have ended, or be waiting for a person, by the time it is coached.
		String coached = null;
		String actionId = null;
		for (String id : playing) {
			JsonNode answer = this.json.readTree(this.http.post()
				.uri("/api/v1/conversations/{id}/actions", id)
				.header(HttpHeaders.AUTHORIZATION, "Bearer " + manager)
				.contentType(MediaType.APPLICATION_JSON)
				.body("{\"type\": \"coach\", \"text\": \"Offer the refund\"}")
				.exchange()
				.expectBody()
				.returnResult()
				.getResponseBodyContent());
			if ("sent".equals(answer.path("state").asString(null))) {
				coached = id;
				actionId = answer.get("id").asString();
				break;
			}
		}
		assertThat(coached).as("a conversation the demo plays took the coaching").isNotNull();
		String id = coached;
		String action = actionId;
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			JsonNode done = get("/api/v1/conversations/" + id + "/actions/" + action, manager);
			assertThat(done.get("state").asString()).isEqualTo("done");
			assertThat(done.get("requestedBy").asString()).isEqualTo("api-key:" + managerKey.get("id").asString());

		});
	}

	/**
	 * The conversations the demo's platform plays now: their ids are the generator's with
	 * the run's tag.
	 */
	private List<String> awaitPlaying() {
		List<String> ids = new ArrayList<>();
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			ids.clear();
			get("/api/v1/conversations?status=in_progress&size=100", null).get("items")
				.forEach((row) -> ids.add(row.get("id").asString()));
			ids.removeIf((id) -> !id.matches("conv-[0-9a-f]+-[0-9a-z]+"));
			assertThat(ids).isNotEmpty();
		});
		return ids;
	}

	private JsonNode managerKey() {
		return this.json.readTree(this.http.post()
			.uri("/api/v1/orgs/default/api-keys")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"name\": \"demo test manager\", \"role\": \"manager\"}")
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.returnResult()
			.getResponseBodyContent());
	}

	private JsonNode get(String uri, String key) {
		RestTestClient.RequestHeadersSpec<?> request = this.http.get().uri(uri);
		if (key != null) {
			request = request.header(HttpHeaders.AUTHORIZATION, "Bearer " + key);
		}
		return this.json
			.readTree(request.exchange().expectStatus().isOk().expectBody().returnResult().getResponseBodyContent());
	}

}
