package org.conversationarchive.notifications;

import java.util.UUID;

import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.TestUsers;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * What any module tells a person: listed for that person only, newest first, and marked
 * read. In the views tests' context (users from request headers, {@link TestUsers}).
 */
@ArchiveIntegrationTest(properties = "archive.elasticsearch.index-prefix=views-test")
@Import(TestUsers.class)
class NotificationsIntegrationTests {

	@Autowired
	Notifications notifications;

	@Autowired
	RestTestClient http;

	@Autowired
	JsonMapper json;

	final String org = "notify-" + UUID.randomUUID().toString().substring(0, 8);

	@Test
	void aNotificationIsListedForItsPersonOnlyAndMarkedRead() {
		this.notifications.notify(this.org, "ana", "First", null);
		this.notifications.notify(this.org, "ana", "Second " + "x".repeat(1200),
				"https://archive.example.com/?view=v1");
		this.notifications.notify(this.org, "ben", "Ben's", null);
		this.notifications.notify("other-" + this.org, "ana", "Another org's", null);

		JsonNode items = list("ana").get("items");
		assertThat(items).hasSize(2);
		JsonNode newest = items.get(0);
		assertThat(newest.get("message").asString()).startsWith("Second xxx").endsWith("…").hasSize(1000);
		assertThat(newest.get("link").asString()).isEqualTo("https://archive.example.com/?view=v1");
		assertThat(newest.get("read").asBoolean()).isFalse();
		assertThat(items.get(1).get("message").asString()).isEqualTo("First");
		assertThat(list("ben").get("items")).extracting((item) -> item.get("message").asString())
			.containsExactly("Ben's");

		String id = newest.get("id").asString();
		this.http.post()
			.uri("/api/v1/notifications/{id}/read", id)
			.header(TestUsers.ORG, this.org)
			.header(TestUsers.USER, "ben")
			.exchange()
			.expectStatus()
			.isNotFound();
		this.http.post()
			.uri("/api/v1/notifications/{id}/read", id)
			.header(TestUsers.ORG, this.org)
			.header(TestUsers.USER, "ana")
			.exchange()
			.expectStatus()
			.isNoContent();
		assertThat(list("ana").get("items").get(0).get("read").asBoolean()).isTrue();
	}

	@Test
	void aLinkLongerThanTheTableHoldsIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.notifications.notify(this.org, "ana", "Too long", "https://x/" + "a".repeat(2000)));
	}

	private JsonNode list(String user) {
		byte[] body = this.http.get()
			.uri("/api/v1/notifications")
			.header(TestUsers.ORG, this.org)
			.header(TestUsers.USER, user)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody();
		return this.json.readTree(body);
	}

}
