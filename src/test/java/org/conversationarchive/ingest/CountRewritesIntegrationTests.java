package org.conversationarchive.ingest;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.conversation.Contacts;
import org.conversationarchive.conversation.index.ContactDocument;
import org.conversationarchive.elasticsearch.ArchiveIndices;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The limits of the deferred rewrites of stored contact counts: a backlog of waiting
 * contacts starts them though writes never pause, and the Repeat contacts filter refuses
 * (503) rather than take more stale contacts from the contacts index than it may.
 */
@ArchiveIntegrationTest(
		properties = { "archive.ingest.count-rewrite-idle=1h", "archive.ingest.count-rewrite-max-delay=1h",
				"archive.ingest.count-rewrite-backlog=2", "archive.conversations.max-stale-contacts=1" })
class CountRewritesIntegrationTests {

	@Autowired
	RestTestClient http;

	@Autowired
	ElasticsearchClient elasticsearch;

	@Autowired
	ArchiveIndices indices;

	final String run = UUID.randomUUID().toString().substring(0, 8);

	@Test
	void storedCountsAreRewrittenOnceEnoughContactsWaitThoughWritesNeverPauseLongEnough() throws IOException {
		List<String> contacts = List.of("backlog-a-" + this.run, "backlog-b-" + this.run, "backlog-c-" + this.run);
		// Each contact's first conversation stored 1; the second makes it 2.
		bulk(contacts.stream().map((contact) -> line("1-" + contact, contact)).reduce("", String::concat), 3);
		bulk(contacts.stream().map((contact) -> line("2-" + contact, contact)).reduce("", String::concat), 3);
		for (String contact : contacts) {
			assertThat(storedCount("1-" + contact)).isEqualTo(1);
		}
		// Neither the pause (1h) nor the longest delay (1h) is due: only the backlog of
		// two contacts waiting starts the rewrites, during the recount (about a second
		// after the writes) or right after it. What is left below the backlog (one
		// contact at most, with whatever an earlier test left waiting) waits. Sooner
		// than any other test context's upkeep would take the marks over as abandoned
		// (6 s at the least).
		await().atMost(Duration.ofMillis(4500)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
			long rewritten = 0;
			for (String contact : contacts) {
				rewritten += (Integer.valueOf(2).equals(storedCount("1-" + contact))) ? 1 : 0;
			}
			assertThat(rewritten).isGreaterThanOrEqualTo(2);
		});
	}

	@Test
	void aRecountOfMoreContactsThanTheBacklogRewritesThoseWaitingOnTheWayAndLosesNone() throws IOException {
		List<String> contacts = List.of("many-a-" + this.run, "many-b-" + this.run, "many-c-" + this.run,
				"many-d-" + this.run, "many-e-" + this.run);
		bulk(contacts.stream().map((contact) -> line("first-" + contact, contact)).reduce("", String::concat),
				contacts.size());
		bulk(contacts.stream().map((contact) -> line("second-" + contact, contact)).reduce("", String::concat),
				contacts.size());
		// A recount of five contacts with room for two marks two, rewrites them, marks
		// two more, and so on: whatever is left below the backlog waits for a pause (1h
		// here), so four or five are rewritten, and none is lost or counted wrong.
		await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
			long rewritten = 0;
			for (String contact : contacts) {
				Integer stored = storedCount("first-" + contact);
				assertThat(stored).as(contact).isIn(1, 2);
				rewritten += (stored == 2) ? 1 : 0;
			}
			assertThat(rewritten).isGreaterThanOrEqualTo(contacts.size() - 1);
			for (String contact : contacts) {
				assertThat(this.http.get()
					.uri("/api/v1/conversations/{id}", "first-" + contact + "-" + this.run)
					.exchange()
					.expectStatus()
					.isOk()
					.expectBody(String.class)
					.returnResult()
					.getResponseBody()).as(contact).contains("\"contactConversationCount\":2");
			}
		});
	}

	@Test
	void theRepeatFilterAnswers503WhileMoreContactsAreStaleThanItMayTake() throws IOException {
		List<String> contacts = List.of("stale-x-" + this.run, "stale-y-" + this.run);
		for (String contact : contacts) {
			this.elasticsearch.index((doc) -> doc.index(this.indices.contacts())
				.id(Contacts.documentId("default", contact))
				.routing("default")
				.document(new ContactDocument("default", contact, 2, Instant.now(), true)));
		}
		this.elasticsearch.indices().refresh((refresh) -> refresh.index(this.indices.contacts()));
		try {
			this.http.get()
				.uri("/api/v1/conversations?repeatMin=2")
				.exchange()
				.expectStatus()
				.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
				.expectHeader()
				.exists("Retry-After")
				.expectBody()
				.jsonPath("$.detail")
				.value(String.class, (detail) -> assertThat(detail).contains("more than 1 contacts' counts"));
			// Filters without a Repeat contacts range do not ask.
			this.http.get().uri("/api/v1/conversations?platform=voice").exchange().expectStatus().isOk();
		}
		finally {
			for (String contact : contacts) {
				this.elasticsearch.delete((delete) -> delete.index(this.indices.contacts())
					.id(Contacts.documentId("default", contact))
					.routing("default")
					.refresh(co.elastic.clients.elasticsearch._types.Refresh.True));
			}
		}
	}

	private String line(String name, String contact) {
		return IngestIntegrationTests.conversation(name + "-" + this.run, "2025-05-01T10:00:00Z",
				IngestIntegrationTests.contact(contact), null) + "\n";
	}

	private void bulk(String ndjson, int created) {
		this.http.post()
			.uri("/api/v1/conversations/_bulk?refresh=true")
			.contentType(IngestIntegrationTests.NDJSON)
			.body(ndjson)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.created")
			.isEqualTo(created);
	}

	private @Nullable Integer storedCount(String name) throws IOException {
		var document = this.elasticsearch.get((get) -> get.index(this.indices.conversations(2025))
			.id("default:" + name + "-" + this.run)
			.routing("default"), Map.class);
		return (document.source() != null) ? (Integer) document.source().get("contactConversationCount") : null;
	}

}
