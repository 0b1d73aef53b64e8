package org.conversationarchive.conversation;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.OrgApi;
import org.conversationarchive.TestUsers;
import org.conversationarchive.elasticsearch.ArchiveIndices;
import org.conversationarchive.system.StorageUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rebuilds of yearly conversation indices against the real engine, each on a far year and
 * an org of its own: while another thread keeps writing through the API, a restart after
 * a failure, a second rebuild of a rebuilt year, and a write that meets the block.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ArchiveIntegrationTest
@Import(TestUsers.class)
class IndexRebuildIntegrationTests {

	@Autowired
	RestTestClient http;

	@Autowired
	JsonMapper json;

	@Autowired
	ElasticsearchClient elasticsearch;

	@Autowired
	ArchiveIndices indices;

	@Autowired
	IndexRebuilds rebuilds;

	@Autowired
	ConversationAttachments attachments;

	@Test
	void aYearIsRebuiltWhileWrittenAndSearchedAndEveryAcknowledgedWriteIsInTheRebuiltIndex() throws Exception {
		String org = "index-rebuild-live";
		int year = 2011;
		Instant from = Instant.parse("2011-01-01T00:00:00Z");
		api(org).bulk(OrgApi.generated(this.json, 11, 300, from, Instant.parse("2011-12-01T00:00:00Z")));
		List<String> initial = ids(org, year);
		assertThat(initial).hasSize(300);
		// Conversations still going, for appends, and one to attach a recording to.
		List<String> going = List.of("going-1", "going-2", "going-3");
		for (String id : going) {
			assertThat(api(org).statusOf(HttpMethod.POST, "/api/v1/conversations", conversation(id, "going", 0)))
				.isEqualTo(201);
		}
		String attached = initial.get(0);
		Map<String, String> summaries = new ConcurrentHashMap<>();
		Map<String, Integer> appended = new ConcurrentHashMap<>();
		Set<String> deleted = ConcurrentHashMap.newKeySet();
		AtomicInteger audioSize = new AtomicInteger(-1);
		List<String> failures = new CopyOnWriteArrayList<>();
		AtomicInteger refused = new AtomicInteger();
		AtomicInteger maxCounted = new AtomicInteger();
		AtomicBoolean stop = new AtomicBoolean();
		AtomicInteger created = new AtomicInteger();

		Thread writer = Thread.ofVirtual().start(() -> {
			for (int k = 0; !stop.get(); k++) {
				int i = k;
				try {
					switch (i % 5) {
						case 0 -> {
							String id = "new-" + i;
							created.incrementAndGet();
							int status = api(org).statusOf(HttpMethod.POST, "/api/v1/conversations",
									conversation(id, "v" + i, i));
							acknowledged(status, 201, failures, refused, () -> summaries.put(id, "v" + i));
						}
						case 1 -> {
							String id = initial.get(1 + (i % 150));
							if (!deleted.contains(id)) {
								int status = api(org).statusOf(HttpMethod.POST, "/api/v1/conversations",
										conversation(id, "v" + i, i));
								acknowledged(status, 200, failures, refused, () -> summaries.put(id, "v" + i));
							}
						}
						case 2 -> {
							String id = going.get(i % going.size());
							int status = api(org).statusOf(HttpMethod.POST, "/api/v1/conversations/" + id + "/messages",
									"[{\"at\": \"" + from.plusSeconds(60 + i) + "\", \"senderType\": \"user\", "
											+ "\"text\": \"still there " + i + "\"}]");
							acknowledged(status, 200, failures, refused, () -> appended.merge(id, 1, Integer::sum));
						}
						case 3 -> {
							String id = initial.get(151 + (i / 5) % 149);
							if (deleted.size() < 60 && !deleted.contains(id)) {
								int status = api(org).statusOf(HttpMethod.DELETE, "/api/v1/conversations/" + id, null);
								acknowledged(status, 204, failures, refused, () -> {
									deleted.add(id);
									summaries.remove(id);
								});
							}
						}
						default -> {
							try {
								this.attachments.setAudio(org, attached,
										new Conversation.Audio("audio/mpeg", (long) i, 1.0, "a".repeat(64)));
								audioSize.set(i);
							}
							catch (ElasticsearchException ex) {
								if (ex.error() == null || !StorageUnavailableException.isWriteBlocked(ex.error())) {
									failures.add("attachment: " + ex);
								}
								refused.incrementAndGet();
							}
						}
					}
				}
				catch (Exception ex) {
					failures.add(ex.toString());
				}
			}
		});
		Thread searcher = Thread.ofVirtual().start(() -> {
			while (!stop.get()) {
				try {
					long counted = this.elasticsearch
						.count((count) -> count.index(this.indices.conversations())
							.routing(org)
							.query((query) -> query.term((term) -> term.field("org").value(org))))
						.count();
					maxCounted.accumulateAndGet((int) counted, Math::max);
					if (counted > 300 + going.size() + created.get()) {
						failures.add("the read alias counted " + counted);
					}
					Thread.sleep(20);
				}
				catch (Exception ex) {
					failures.add("search: " + ex);
				}
			}
		});

		String source = this.rebuilds.concrete().get(year);
		JsonNode rebuild = start(year);
		String id = rebuild.get("id").asString();
		await().atMost(Duration.ofSeconds(180))
			.until(() -> status(id), (status) -> !"running".equals(status) && !"queued".equals(status));
		// Writes go on into the rebuilt index a moment more.
		Thread.sleep(1000);
		stop.set(true);
		writer.join();
		searcher.join();

		JsonNode done = rebuildOf(id);
		assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("completed");
		assertThat(done.get("phase").asString()).isEqualTo("swapped");
		assertThat(failures).isEmpty();
		assertThat(maxCounted.get()).isGreaterThanOrEqualTo(300);
		String target = done.get("target").asString();
		assertThat(target).startsWith("archive-rebuilt-conversations-2011-");
		// The yearly name is the new index's alias; the old index is gone.
		assertThat(this.rebuilds.concrete().get(year)).isEqualTo(target);
		assertThat(this.elasticsearch.indices().exists((exists) -> exists.index(source + "*")).value()
				&& !source.equals(this.indices.conversations(year)))
			.isFalse();
		assertThat(this.elasticsearch.indices()
			.resolveIndex((resolve) -> resolve.name(this.indices.conversations(year)))
			.indices()).isEmpty();

		this.elasticsearch.indices().refresh((refresh) -> refresh.index(this.indices.conversations()));
		List<String> now = ids(org, year);
		Set<String> expected = new java.util.TreeSet<>(initial);
		expected.addAll(going);
		expected.addAll(summaries.keySet());
		expected.removeAll(deleted);
		assertThat(new java.util.TreeSet<>(now)).isEqualTo(expected);
		for (Map.Entry<String, String> each : summaries.entrySet()) {
			assertThat(api(org).get("/api/v1/conversations/" + each.getKey()).get("summary").asString())
				.as(each.getKey())
				.isEqualTo(each.getValue());
		}
		for (String gone : deleted) {
			assertThat(api(org).statusOf(HttpMethod.GET, "/api/v1/conversations/" + gone, null)).isEqualTo(404);
		}
		for (String each : going) {
			assertThat(api(org).get("/api/v1/conversations/" + each).get("messages").size())
				.isEqualTo(1 + appended.getOrDefault(each, 0));
		}
		if (audioSize.get() >= 0) {
			assertThat(api(org).get("/api/v1/conversations/" + attached).get("audio").get("size").asLong())
				.isEqualTo(audioSize.get());
		}
		assertThat(count(this.indices.conversations(year), org)).isEqualTo(expected.size());
		assertThat(count(this.indices.conversations(), org)).isEqualTo(expected.size());
	}

	@Test
	void aFailedRebuildResumesOnRestartAndARebuiltYearIsRebuiltAgain() throws Exception {
		String org = "index-rebuild-restart";
		int year = 2012;
		api(org).bulk(OrgApi.generated(this.json, 12, 600, Instant.parse("2012-01-01T00:00:00Z"),
				Instant.parse("2012-12-01T00:00:00Z")));
		String source = this.rebuilds.concrete().get(year);
		String id = start(year).get("id").asString();
		// The new index refuses writes as soon as it exists: the copy fails.
		String target = await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(5))
			.until(() -> this.rebuilds.find(id).orElseThrow().target(), (name) -> name != null);
		this.rebuilds.writeBlock(target, true);
		await().atMost(Duration.ofSeconds(60)).until(() -> status(id), "failed"::equals);
		assertThat(rebuildOf(id).get("phase").asString()).isEqualTo("failed");
		// Its source takes writes again.
		assertThat(this.rebuilds.flatSettings(source)).doesNotContainEntry("index.blocks.write", "true");

		this.rebuilds.writeBlock(target, false);
		// Once it has stopped (a 409 until then).
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.http.post()
				.uri("/api/v1/conversation-indices/rebuilds/" + id + "/restart")
				.exchange()
				.returnResult()
				.getStatus()
				.value(), (status) -> status == 202);
		await().atMost(Duration.ofSeconds(120)).until(() -> status(id), "completed"::equals);
		JsonNode done = rebuildOf(id);
		assertThat(done.get("target").asString()).isEqualTo(target);
		assertThat(done.get("phase").asString()).isEqualTo("swapped");
		assertThat(this.rebuilds.concrete().get(year)).isEqualTo(target);
		assertThat(count(this.indices.conversations(year), org)).isEqualTo(600);

		// Again: the yearly name is an alias now.
		String again = start(year).get("id").asString();
		await().atMost(Duration.ofSeconds(120)).until(() -> status(again), "completed"::equals);
		String second = rebuildOf(again).get("target").asString();
		assertThat(second).isNotEqualTo(target);
		assertThat(this.rebuilds.concrete().get(year)).isEqualTo(second);
		assertThat(this.elasticsearch.indices().exists((exists) -> exists.index(target)).value()).isFalse();
		assertThat(count(this.indices.conversations(year), org)).isEqualTo(600);
		String one = ids(org, year).get(0);
		assertThat(api(org).get("/api/v1/conversations/" + one).get("id").asString()).isEqualTo(one);
		// And written to by its yearly name (in the same year).
		assertThat(api(org).statusOf(HttpMethod.POST, "/api/v1/conversations",
				conversation(one, "after", 1).replace("2011-", "2012-")))
			.isEqualTo(200);

		JsonNode listed = null;
		for (JsonNode index : this.http.get()
			.uri("/api/v1/conversation-indices")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody()
			.get("items")) {
			if (index.get("year").asInt() == year) {
				listed = index;
			}
		}
		assertThat(listed).isNotNull();
		assertThat(listed.get("index").asString()).isEqualTo(second);
		assertThat(listed.get("docsCount").asLong()).isGreaterThanOrEqualTo(600);
		assertThat(listed.get("rebuild").get("id").asString()).isEqualTo(again);
		assertThat(listed.has("needsRebuild")).isTrue();
	}

	@Test
	void aWriteThatMeetsTheBlockIsAskedToRetry() throws Exception {
		String org = "index-rebuild-blocked";
		api(org).bulk(OrgApi.generated(this.json, 13, 3, Instant.parse("2013-01-01T00:00:00Z"),
				Instant.parse("2013-12-01T00:00:00Z")));
		String one = ids(org, 2013).get(0);
		String mover = conversation("blocked-mover", "before", 2).replace("2011-", "2013-");
		assertThat(api(org).statusOf(HttpMethod.POST, "/api/v1/conversations", mover)).isEqualTo(201);
		String incoming = conversation("blocked-incomer", "before", 3).replace("2011-", "2015-");
		assertThat(api(org).statusOf(HttpMethod.POST, "/api/v1/conversations", incoming)).isEqualTo(201);
		String index = this.rebuilds.concrete().get(2013);
		this.rebuilds.writeBlock(index, true);
		try {
			this.http.post()
				.uri("/api/v1/conversations")
				.header(TestUsers.ORG, org)
				.contentType(MediaType.APPLICATION_JSON)
				.body(conversation("blocked-new", "x", 1).replace("2011-", "2013-"))
				.exchange()
				.expectStatus()
				.isEqualTo(503)
				.expectHeader()
				.exists(HttpHeaders.RETRY_AFTER)
				.expectBody()
				.jsonPath("$.detail")
				.value((String detail) -> assertThat(detail).contains("being rebuilt"));
			assertThat(api(org).call(HttpMethod.DELETE, "/api/v1/conversations/" + one, null, 503)
				.get("detail")
				.asString()).contains("being rebuilt");
			assertThat(api(org).statusOf(HttpMethod.GET, "/api/v1/conversations/" + one, null)).isEqualTo(200);
			// Moved to a year that takes writes from one that does not: neither half.
			assertThat(api(org)
				.call(HttpMethod.POST, "/api/v1/conversations",
						mover.replace("2013-", "2014-").replace("\"before\"", "\"after\""), 503)
				.get("detail")
				.asString()).contains("being rebuilt");
			JsonNode kept = api(org).get("/api/v1/conversations/blocked-mover");
			assertThat(kept.get("summary").asString()).isEqualTo("before");
			assertThat(kept.get("startedAt").asString()).startsWith("2013-");
			// Moved into the year that does not take writes: it stays where it was.
			assertThat(api(org)
				.call(HttpMethod.POST, "/api/v1/conversations",
						incoming.replace("2015-", "2013-").replace("\"before\"", "\"after\""), 503)
				.get("detail")
				.asString()).contains("being rebuilt");
			JsonNode stayed = api(org).get("/api/v1/conversations/blocked-incomer");
			assertThat(stayed.get("summary").asString()).isEqualTo("before");
			assertThat(stayed.get("startedAt").asString()).startsWith("2015-");
			this.elasticsearch.indices().refresh((refresh) -> refresh.index(this.indices.conversations()));
			assertThat(count(this.indices.conversations(), org)).isEqualTo(5);
			assertThat(api(org).statusOf(HttpMethod.GET, "/api/v1/conversations/blocked-new", null)).isEqualTo(404);
		}
		finally {
			this.rebuilds.writeBlock(index, false);
		}
	}

	@Test
	void onlySystemAdministratorsSeeAndStartRebuilds() {
		String org = "index-rebuild-" + UUID.randomUUID().toString().substring(0, 8);
		this.http.post()
			.uri("/api/v1/orgs")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("id", org, "name", "Index rebuilds"))
			.exchange()
			.expectStatus()
			.isCreated();
		String key = this.http.post()
			.uri("/api/v1/orgs/{org}/api-keys", org)
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("name", "admin key", "role", "admin"))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody()
			.get("key")
			.asString();
		this.http.get()
			.uri("/api/v1/conversation-indices")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
			.exchange()
			.expectStatus()
			.isForbidden();
		this.http.post()
			.uri("/api/v1/conversation-indices/rebuilds?stale=true")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
			.exchange()
			.expectStatus()
			.isForbidden();
	}

	private static void acknowledged(int status, int expected, List<String> failures, AtomicInteger refused,
			Runnable done) {
		if (status == 503) {
			refused.incrementAndGet();
		}
		else if (status == expected || (expected == 201 && status == 200)) {
			done.run();
		}
		else {
			failures.add("status " + status);
		}
	}

	@Test
	void aRebuildDerivesWhatDocumentsOfAnOlderShapeLack() throws Exception {
		String org = "index-rebuild-older";
		int year = 2014;
		// Written as the archive wrote documents before it knew languages: no language,
		// no
		// stems, no offsets. Its words are found as written only.
		api(org).bulk("{\"id\": \"warm\", \"platform\": \"web\", \"startedAt\": \"2014-03-01T10:00:00Z\"}\n");
		this.elasticsearch.index((index) -> index.index(this.indices.conversations(year))
			.id(ConversationDocument.documentId(org, "old"))
			.routing(org)
			.refresh(co.elastic.clients.elasticsearch._types.Refresh.True)
			.withJson(new java.io.StringReader("""
					{"org": "%s", "id": "old", "platform": "web", "startedAt": "2014-03-01T10:00:00Z",
					 "tags": {"Language": "es"}, "updatedAt": "2014-03-01T10:01:00Z",
					 "messages": [{"at": "2014-03-01T10:00:40Z", "senderType": "user",
					   "text": "¿Cuándo llegan mis reembolsos?"}]}""".formatted(org))));
		assertThat(searched(org, "reembolso")).isEmpty();

		String id = start(year).get("id").asString();
		await().atMost(Duration.ofSeconds(120)).until(() -> status(id), "completed"::equals);

		assertThat(searched(org, "reembolso")).containsExactly("old");
		JsonNode hit = api(org).get("/api/v1/conversations?q=reembolso&within=first:1m&language=es")
			.get("items")
			.get(0)
			.get("highlights")
			.get(0);
		assertThat(hit.get("offsetSeconds").asDouble()).isEqualTo(40.0);
		assertThat(hit.get("fragments").get(0).asString()).isEqualTo("¿Cuándo llegan mis <mark>reembolsos</mark>?");
	}

	private List<String> searched(String org, String query) {
		List<String> ids = new ArrayList<>();
		api(org).get("/api/v1/conversations?q=" + query)
			.get("items")
			.forEach((row) -> ids.add(row.get("id").asString()));
		return ids;
	}

	private static String conversation(String id, String summary, int i) {
		Instant start = Instant.parse("2011-06-01T10:00:00Z").plusSeconds(i);
		return "{\"id\": \"" + id + "\", \"platform\": \"voice\", \"status\": \"in_progress\", \"startedAt\": \""
				+ start + "\", \"summary\": \"" + summary + "\", \"messages\": [{\"at\": \"" + start.plusSeconds(1)
				+ "\", \"senderType\": \"user\", \"text\": \"Hello " + i + "\"}]}";
	}

	private JsonNode start(int year) {
		return this.http.post()
			.uri("/api/v1/conversation-indices/rebuilds?year=" + year)
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody()
			.get("items")
			.get(0);
	}

	private JsonNode rebuildOf(String id) {
		return this.http.get()
			.uri("/api/v1/conversation-indices/rebuilds/" + id)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	private String status(String id) {
		return rebuildOf(id).get("status").asString();
	}

	private long count(String index, String org) throws IOException {
		this.elasticsearch.indices().refresh((refresh) -> refresh.index(index));
		return this.elasticsearch
			.count((count) -> count.index(index)
				.routing(org)
				.query((query) -> query.term((term) -> term.field("org").value(org))))
			.count();
	}

	private List<String> ids(String org, int year) throws IOException {
		this.elasticsearch.indices().refresh((refresh) -> refresh.index(this.indices.conversations(year)));
		List<String> ids = new ArrayList<>();
		this.elasticsearch
			.search((search) -> search.index(this.indices.conversations(year))
				.routing(org)
				.size(10000)
				.source((source) -> source.filter((filter) -> filter.includes("id")))
				.query((query) -> query.term((term) -> term.field("org").value(org))), Map.class)
			.hits()
			.hits()
			.forEach((hit) -> ids.add(String.valueOf(hit.source().get("id"))));
		return ids;
	}

	private OrgApi api(String org) {
		return new OrgApi(this.http, this.json, org);
	}

}
