package org.conversationarchive.ingest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.Year;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.conversation.Contacts;
import org.conversationarchive.conversation.ConversationDocument;
import org.conversationarchive.conversation.ConversationDocuments;
import org.conversationarchive.conversation.index.ContactDocument;
import org.conversationarchive.conversation.index.DocumentJson;
import org.conversationarchive.elasticsearch.ArchiveIndices;
import org.conversationarchive.generator.ConversationGenerator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Ingest against the real engine: upsert, NDJSON bulk with per-line errors, append,
 * delete, and the contact counts that follow them.
 */
@ArchiveIntegrationTest(properties = { "archive.conversations.exact-contact-count-limit=3",
		"archive.ingest.max-line-size=64KB", "archive.ingest.batch-size=7", "archive.ingest.contact-recovery-age=2s",
		"archive.ingest.contact-recovery-interval=1s", "archive.ingest.count-rewrite-max-delay=4s",
		"archive.ingest.contact-recount-max-delay=8s" })
class IngestIntegrationTests {

	static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");

	@Autowired
	RestTestClient http;

	@Autowired
	ElasticsearchClient elasticsearch;

	@Autowired
	ArchiveIndices indices;

	@Autowired
	JsonMapper json;

	@Autowired
	org.springframework.jdbc.core.JdbcTemplate jdbc;

	@Autowired
	DocumentJson documentJson;

	@Autowired
	ConversationDocuments documents;

	@LocalServerPort
	int port;

	final String run = UUID.randomUUID().toString().substring(0, 8);

	@Test
	void aClientThatSendsTheWholeBodyBeforeReadingTheAnswerGetsAnItemForEveryLine() throws IOException {
		// Most HTTP clients send the whole body before they read. Lines with an overlong
		// id answer an item of about 1 KB each (the id is echoed): 20,000 are more than
		// the sockets' buffers hold, so an answer written while the body still comes
		// would leave both sides waiting (until Tomcat's write timed out).
		int lines = 20_000;
		String prefix = "x".repeat(1000) + "-" + this.run + "-";
		StringBuilder body = new StringBuilder();
		for (int i = 1; i <= lines; i++) {
			body.append("{\"id\":\"").append(prefix).append(i).append("\"}\n");
		}
		byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
		long sent = System.currentTimeMillis();
		String answer = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
			try (Socket socket = new Socket("127.0.0.1", this.port)) {
				OutputStream out = socket.getOutputStream();
				out.write(("POST /api/v1/conversations/_bulk HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
						+ ArchiveIntegrationTest.ADMIN_KEY
						+ "\r\nContent-Type: application/x-ndjson\r\nContent-Length: " + bytes.length
						+ "\r\nConnection: close\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
				out.write(bytes);
				out.flush();
				return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			}
		});
		assertThat(answer).startsWith("HTTP/1.1 200");
		JsonNode result = this.json.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
		assertThat(result.path("items")).hasSize(lines);
		assertThat(result.path("failed").asInt()).isEqualTo(lines);
		assertItem(result.path("items").get(lines - 1), lines, prefix + lines, 400, "must be 1 to 128 characters");
		// The answer, beyond the 1 MB kept in memory, went through a temporary file:
		// none is left behind.
		try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
			assertThat(files.filter((file) -> file.getFileName().toString().startsWith("bulk-items-"))
				.filter((file) -> file.toFile().lastModified() >= sent - 1000)).isEmpty();
		}
	}

	@Test
	void documentsAreWrittenAsTheApplicationsMapperWritesThem() {
		Instant now = Instant.now();
		new ConversationGenerator(23, ConversationGenerator.Options.of(300)).stream().forEach((conversation) -> {
			ConversationDocument document = this.documents.of("org-" + this.run, conversation, 2, null, null, null,
					null, now, null);
			assertThat(new String(this.documentJson.bytes(document), StandardCharsets.UTF_8)).as(conversation.id())
				.isEqualTo(new String(this.json.writeValueAsBytes(document), StandardCharsets.UTF_8));
		});
	}

	@Test
	void upsertCreatesThenReplacesWithDerivedFields() {
		String id = id("upsert");
		JsonNode created = post(
				conversation(id, "2025-03-01T10:00:00Z", contact("c-" + this.run),
						"""
								"endedAt": "2025-03-01T10:05:30Z", "liveAgents": [{"id": "h1", "name": "Hana"}],
								"messages": [
								  {"at": "2025-03-01T10:00:20Z", "senderType": "agent", "text": "Let me look that up",
								   "function": {"name": "lookup_order", "arguments": {"order": "A-1"}, "result": {"status": "shipped"}}},
								  {"at": "2025-03-01T10:00:05Z", "senderType": "user", "text": "Where is my order?"},
								  {"at": "2025-03-01T10:01:00Z", "senderType": "agent", "text": "Done",
								   "function": {"name": "send_sms", "arguments": "{}", "result": "ok"}},
								  {"at": "2025-03-01T10:02:00Z", "senderType": "agent", "text": "Again",
								   "function": {"name": "lookup_order", "arguments": {}, "result": []}}
								]"""),
				HttpStatus.CREATED);
		assertThat(created.get("durationSeconds").asLong()).isEqualTo(330);
		assertThat(created.get("lastMessageAt").asString()).isEqualTo("2025-03-01T10:02:00Z");
		assertThat(created.get("functions").toString()).isEqualTo("[\"lookup_order\",\"send_sms\"]");
		assertThat(created.get("liveAgentHandled").asBoolean()).isTrue();
		assertThat(created.get("messages").get(0).get("text").asString()).isEqualTo("Where is my order?");
		assertThat(created.get("messages").get(1).get("function").get("result").get("status").asString())
			.isEqualTo("shipped");

		JsonNode replaced = post(conversation(id, "2025-03-01T10:00:00Z", null, "\"status\": \"failed\""),
				HttpStatus.OK);
		assertThat(replaced.get("status").asString()).isEqualTo("failed");
		assertThat(replaced.has("messages")).isFalse();
		assertThat(get(id).get("status").asString()).isEqualTo("failed");
	}

	@Test
	void invalidConversationsAreRefusedNamingTheProblem() {
		assertProblem("{\"platform\": \"sms\", \"startedAt\": \"2025-01-01T00:00:00Z\"}", "id is required");
		assertProblem(conversation("bad id!", "2025-01-01T00:00:00Z", null, null), "id 'bad id!' must be");
		assertProblem("{\"id\": \"x\", \"platform\": \"fax\", \"startedAt\": \"2025-01-01T00:00:00Z\"}",
				"platform: unknown platform 'fax'; expected one of voice, sms, web, email, slack, whatsapp, human_phone");
		assertProblem("{\"id\": \"x\", \"platform\": \"sms\", \"startedAt\": \"yesterday\"}",
				"startedAt: 'yesterday' is not an ISO-8601 instant");
		assertProblem("{\"id\": \"x\", \"platform\": \"sms\"}", "startedAt is required");
		assertProblem(conversation("x", "2025-01-01T00:00:00Z", null, "\"endedAt\": \"2024-12-31T00:00:00Z\""),
				"endedAt 2024-12-31T00:00:00Z is before startedAt 2025-01-01T00:00:00Z");
		assertProblem(
				conversation("x", "2025-01-01T00:00:00Z", null,
						"\"messages\": [{\"at\": \"2025-01-01T00:00:01Z\", \"senderType\": \"robot\"}]"),
				"messages[0].senderType: unknown senderType 'robot'");
		assertProblem(conversation("x", "2025-01-01T00:00:00Z", null, "\"tags\": {\"Language\": {\"nested\": 1}}"),
				"tags.Language must be a string or an array of strings");
		assertProblem("{\"id\": \"x\", ", "malformed JSON");
		// A value of another JSON type than its field's is refused, not coerced.
		assertProblem("{\"id\": 123, \"platform\": \"sms\", \"startedAt\": \"2025-01-01T00:00:00Z\"}",
				"id: 123 is not a string");
		assertProblem(conversation("x", "2025-01-01T00:00:00Z", null, "\"parameters\": {\"a\": 1}"),
				"parameters.a: 1 is not a string");
		assertProblem(conversation("x", "2025-01-01T00:00:00Z", null, "\"flagged\": \"true\""),
				"flagged: expected true or false");
		assertProblem(conversation("x", "2025-01-01T00:00:00Z", null, "\"contact\": {\"id\": 42}"),
				"contact.id: 42 is not a string");
		assertProblem("{\"id\": \"x\", \"platform\": \"sms\", \"startedAt\": 1735689600}",
				"startedAt: expected an ISO-8601 instant");
		assertProblem("{\"id\": \"x\", \"platform\": \"sms\", \"startedAt\": \"1735689600\"}",
				"startedAt: '1735689600' is not an ISO-8601 instant");
		assertProblem("{\"id\": \"x\", \"platform\": \"sms\", \"startedAt\": \".5\"}",
				"startedAt: '.5' is not an ISO-8601 instant");
		assertProblem("{\"id\": \"x\", \"platform\": \"WEB\", \"startedAt\": \"2025-01-01T00:00:00Z\"}",
				"platform: unknown platform 'WEB'; expected one of voice");
		assertProblem("{\"id\": \"..\", \"platform\": \"sms\", \"startedAt\": \"2025-01-01T00:00:00Z\"}",
				"id '..' cannot be the name of a conversation's address");
		JsonNode items = bulk(conversation("x", "2025-01-01T00:00:00Z", null, "\"parameters\": {\"a\": 1}") + "\n"
				+ "{\"id\": 123, \"platform\": \"sms\", \"startedAt\": \"2025-01-01T00:00:00Z\"}\n")
			.get("items");
		assertItem(items.get(0), 1, "x", 400, "parameters.a: 1 is not a string");
		assertItem(items.get(1), 2, null, 400, "id: 123 is not a string");
	}

	@Test
	void bulkStoresEveryGoodLineAndReportsEachBadOne() {
		String a = id("bulk-a");
		String b = id("bulk-b");
		String c = id("bulk-c");
		String ndjson = String.join("\n", conversation(a, "2025-02-01T00:00:00Z", null, null), "{not json",
				"{\"platform\": \"sms\", \"startedAt\": \"2025-01-01T00:00:00Z\"}",
				"{\"id\": \"" + id("np") + "\", \"startedAt\": \"2025-01-01T00:00:00Z\"}", "",
				conversation(b, "2024-07-01T00:00:00Z", null, null),
				"{\"id\": \"" + id("bad-status")
						+ "\", \"platform\": \"sms\", \"startedAt\": \"2025-01-01T00:00:00Z\", \"status\": \"done\"}",
				"{\"id\": \"" + id("bad-time") + "\", \"platform\": \"sms\", \"startedAt\": \"2025-13-01T00:00:00Z\"}",
				conversation(id("huge"), "2025-01-01T00:00:00Z", null,
						"\"summary\": \"" + "x".repeat(70 * 1024) + "\""),
				conversation(c, "2023-01-01T00:00:00Z", null, null)) + "\n";

		JsonNode response = bulk(ndjson);
		JsonNode items = response.get("items");
		assertThat(items).hasSize(9);
		assertItem(items.get(0), 1, a, 201, null);
		assertItem(items.get(1), 2, null, 400, "malformed JSON");
		assertItem(items.get(2), 3, null, 400, "id is required");
		assertItem(items.get(3), 4, id("np"), 400, "platform is required");
		assertItem(items.get(4), 6, b, 201, null);
		assertItem(items.get(5), 7, id("bad-status"), 400, "status: unknown status 'done'");
		assertItem(items.get(6), 8, id("bad-time"), 400,
				"startedAt: '2025-13-01T00:00:00Z' is not an ISO-8601 instant");
		assertItem(items.get(7), 9, null, 413, "at most 65536 bytes");
		assertItem(items.get(8), 10, c, 201, null);
		assertThat(response.get("created").asInt()).isEqualTo(3);
		assertThat(response.get("failed").asInt()).isEqualTo(6);
		assertThat(response.get("errors").asBoolean()).isTrue();

		JsonNode again = bulk(ndjson);
		assertItem(again.get("items").get(0), 1, a, 200, null);
		assertItem(again.get("items").get(4), 6, b, 200, null);
		assertThat(again.get("created").asInt()).isZero();
		assertThat(again.get("replaced").asInt()).isEqualTo(3);
		assertThat(countStored(List.of(a, b, c))).isEqualTo(3);
		assertThat(get(c).get("startedAt").asString()).isEqualTo("2023-01-01T00:00:00Z");
	}

	@Test
	void yearsOutsideTheArchivesAreRefusedAndCreateNoIndex() throws IOException {
		List<String> refused = new ArrayList<>(List.of("0000-06-01T00:00:00Z", "-0001-06-01T00:00:00Z",
				"1969-12-31T23:59:59Z", "+10000-01-01T00:00:00Z"));
		for (int year = 3000; year < 3040; year++) {
			refused.add(year + "-01-01T00:00:00Z");
		}
		refused.add((Year.now(ZoneOffset.UTC).getValue() + 2) + "-01-01T00:00:00Z");
		StringBuilder ndjson = new StringBuilder();
		for (int i = 0; i < refused.size(); i++) {
			ndjson.append(conversation(id("year-" + i), refused.get(i), null, null)).append('\n');
		}
		String endsLate = id("ends-late");
		ndjson.append(conversation(endsLate, "2025-01-01T00:00:00Z", null, "\"endedAt\": \"+10000-01-01T00:00:00Z\""))
			.append('\n');
		String saidLate = id("said-late");
		ndjson
			.append(conversation(saidLate, "2025-01-01T00:00:00Z", null,
					"\"messages\": [{\"at\": \"3000-01-01T00:00:00Z\", \"senderType\": \"user\"}]"))
			.append('\n');
		String backfilled = id("backfilled");
		ndjson.append(conversation(backfilled, "1970-01-01T00:00:00Z", null, null)).append('\n');
		String good = id("in-years");
		ndjson.append(conversation(good, "2025-06-01T00:00:00Z", null, null)).append('\n');

		JsonNode items = bulk(ndjson.toString()).get("items");
		for (int i = 0; i < refused.size(); i++) {
			assertItem(items.get(i), i + 1, id("year-" + i), 400,
					"startedAt " + Instant.parse(refused.get(i)) + " is outside the years the archive takes, 1970 to ");
		}
		int next = refused.size();
		assertItem(items.get(next), next + 1, endsLate, 400, "endedAt +10000-01-01T00:00:00Z is outside the years");
		assertItem(items.get(next + 1), next + 2, saidLate, 400, "messages[0].at 3000-01-01T00:00:00Z is outside");
		assertItem(items.get(next + 2), next + 3, backfilled, 201, null);
		assertItem(items.get(next + 3), next + 4, good, 201, null);
		assertThat(countStored(List.of(backfilled, good))).isEqualTo(2);

		for (String year : List.of("0", "-1", "1969", "10000", "3000", "3039")) {
			assertThat(this.elasticsearch.indices()
				.exists((exists) -> exists.index(this.indices.conversations() + "-" + year))
				.value()).as("index of year %s", year).isFalse();
		}
		// The upsert and an appended message are held to the same years.
		assertProblem(conversation(id("one"), "3000-01-01T00:00:00Z", null, null),
				"startedAt 3000-01-01T00:00:00Z is outside the years the archive takes");
		append(good, "[{\"at\": \"+10000-01-01T00:00:00Z\", \"senderType\": \"user\", \"text\": \"late\"}]",
				HttpStatus.BAD_REQUEST);
	}

	@Test
	void aLineOverItsLimitIsThatLinesTooLargeWhateverTheFraming() throws Exception {
		String before = id("before-huge");
		String after = id("after-huge");
		String ndjson = String.join("\n", conversation(before, "2025-01-01T00:00:00Z", null, null),
				conversation(id("huge-chunked"), "2025-01-01T00:00:00Z", null,
						"\"summary\": \"" + "x".repeat(300 * 1024) + "\""),
				conversation(after, "2025-01-01T00:00:00Z", null, null)) + "\n";
		byte[] bytes = ndjson.getBytes(StandardCharsets.UTF_8);
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.port + "/api/v1/conversations/_bulk?refresh=true"))
			.header("Authorization", "Bearer " + ArchiveIntegrationTest.ADMIN_KEY)
			.header("Content-Type", "application/x-ndjson")
			// An input stream has no length: the JDK's client sends it chunked.
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
			.build();
		HttpResponse<byte[]> answer;
		try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
			answer = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
		}
		assertThat(answer.statusCode()).isEqualTo(200);
		JsonNode items = this.json.readTree(answer.body()).get("items");
		assertItem(items.get(0), 1, before, 201, null);
		assertItem(items.get(1), 2, null, 413, "bytes; at most 65536 bytes are allowed (archive.ingest.max-line-size)");
		assertItem(items.get(2), 3, after, 201, null);
		assertThat(countStored(List.of(before, after))).isEqualTo(2);
	}

	@Test
	void aConversationJustWrittenIsKnownBeforeItIsSearchable() {
		// Without ?refresh the write is not searchable for a few seconds; reads by id
		// still see it at once: the re-sent line is a replacement, not a second creation.
		String id = id("unrefreshed");
		// Next year's index: most likely one this run creates.
		String startedAt = (Year.now(ZoneOffset.UTC).getValue() + 1) + "-05-01T00:00:00Z";
		String first = conversation(id, startedAt, contact("u-" + this.run), "\"status\": \"in_progress\"");
		assertItem(bulk(first + "\n", false).get("items").get(0), 1, id, 201, null);
		assertThat(get(id).get("status").asString()).isEqualTo("in_progress");
		String second = conversation(id, startedAt, contact("u-" + this.run), "\"status\": \"failed\"");
		JsonNode again = bulk(second + "\n", false);
		assertItem(again.get("items").get(0), 1, id, 200, null);
		assertThat(again.get("replaced").asInt()).isEqualTo(1);
		assertThat(get(id).get("status").asString()).isEqualTo("failed");
	}

	@Test
	void bulkOfManyBatchesAnswersEveryLineInOrder() {
		StringBuilder ndjson = new StringBuilder();
		for (int i = 0; i < 50; i++) {
			ndjson.append(conversation(id("many-" + i), "2025-01-01T00:00:00Z", null, null)).append('\n');
			if (i % 10 == 0) {
				ndjson.append("{\"id\": \"").append(id("broken-" + i)).append("\"}\n");
			}
		}
		// The same id twice in one request: both lines stored, the last one wins.
		ndjson.append(conversation(id("many-3"), "2025-01-01T00:00:00Z", null, "\"status\": \"abandoned\""))
			.append('\n');
		JsonNode items = bulk(ndjson.toString()).get("items");
		assertThat(items).hasSize(56);
		for (int i = 0; i < items.size(); i++) {
			assertThat(items.get(i).get("line").asInt()).isEqualTo(i + 1);
		}
		assertThat(items.get(55).get("status").asInt()).isEqualTo(200);
		assertThat(get(id("many-3")).get("status").asString()).isEqualTo("abandoned");
	}

	@Test
	void aConversationMovedToAnotherYearLeavesNoCopyBehind() throws IOException {
		String id = id("move");
		post(conversation(id, "2024-12-31T23:00:00Z", null, null), HttpStatus.CREATED);
		post(conversation(id, "2025-01-01T01:00:00Z", null, null), HttpStatus.OK);
		this.elasticsearch.indices().refresh((refresh) -> refresh.index(this.indices.conversations()));
		assertThat(countStored(List.of(id))).isEqualTo(1);
		assertThat(this.elasticsearch
			.count((count) -> count.index(this.indices.conversations(2025))
				.query((query) -> query.ids((ids) -> ids.values("default:" + id))))
			.count()).isEqualTo(1);
	}

	@Test
	void appendedMessagesJoinTheTranscriptInTimeOrderOnce() {
		String id = id("live");
		post(conversation(id, "2025-05-01T09:00:00Z", null, """
				"status": "in_progress",
				"messages": [{"at": "2025-05-01T09:00:10Z", "senderType": "user", "text": "Hello"}]"""),
				HttpStatus.CREATED);
		String more = """
				[{"at": "2025-05-01T09:01:00Z", "senderType": "agent", "text": "How can I help?"},
				 {"at": "2025-05-01T09:00:30Z", "senderType": "system", "text": "Agent joined"}]""";
		JsonNode appended = append(id, more, HttpStatus.OK);
		assertThat(appended.get("messages")).hasSize(3);
		assertThat(appended.get("messages").get(1).get("text").asString()).isEqualTo("Agent joined");
		assertThat(appended.get("lastMessageAt").asString()).isEqualTo("2025-05-01T09:01:00Z");
		assertThat(appended.get("durationSeconds").asLong()).isEqualTo(60);

		assertThat(append(id, more, HttpStatus.OK).get("messages")).hasSize(3);
		this.http.post()
			.uri("/api/v1/conversations/{id}/messages", id("nobody"))
			.contentType(MediaType.APPLICATION_JSON)
			.body(more)
			.exchange()
			.expectStatus()
			.isNotFound();
		this.http.post()
			.uri("/api/v1/conversations/{id}/messages", id)
			.contentType(MediaType.APPLICATION_JSON)
			.body("[{\"senderType\": \"user\", \"text\": \"no time\"}]")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo("messages[0].at is required");
	}

	@Test
	void aTimeTheIndexCannotHoldIsRefusedAlikeByUpsertBulkAndAppend() {
		String id = id("far-future");
		post(conversation(id, "2025-05-01T09:00:00Z", null, null), HttpStatus.CREATED);
		for (String at : List.of("+10000-01-01T00:00:00Z", "+99999-12-31T23:59:59Z", "-0001-12-31T23:59:59Z")) {
			String message = "{\"at\": \"" + at + "\", \"senderType\": \"user\", \"text\": \"Hello\"}";
			String detail = "messages[0].at " + Instant.parse(at) + " is outside the years the archive takes";
			JsonNode appended = append(id, "[" + message + "]", HttpStatus.BAD_REQUEST);
			assertThat(appended.get("detail").asString()).startsWith(detail);
			assertProblem(conversation(id, "2025-05-01T09:00:00Z", null, "\"messages\": [" + message + "]"), detail);
			assertItem(bulk(conversation(id, "2025-05-01T09:00:00Z", null, "\"messages\": [" + message + "]") + "\n")
				.get("items")
				.get(0), 1, id, 400, detail);
			assertProblem(conversation(id, "2025-05-01T09:00:00Z", null, "\"endedAt\": \"" + at + "\""),
					"endedAt " + Instant.parse(at) + " is outside the years the archive takes");
		}
		assertThat(get(id).has("messages")).isFalse();
	}

	@Test
	void contactCountsFollowIngestAndDeleteOnEveryConversation() {
		String contact = "contact-" + this.run;
		for (int i = 1; i <= 2; i++) {
			post(conversation(id("few-" + i), "2025-01-0" + i + "T00:00:00Z", contact(contact), null),
					HttpStatus.CREATED);
		}
		awaitCounts(List.of(id("few-1"), id("few-2")), 2, 2);

		// Past the exact limit (3 here) documents store limit + 1; the API stays exact.
		for (int i = 3; i <= 5; i++) {
			post(conversation(id("few-" + i), "2025-01-0" + i + "T00:00:00Z", contact(contact), null),
					HttpStatus.CREATED);
		}
		List<String> all = List.of(id("few-1"), id("few-2"), id("few-3"), id("few-4"), id("few-5"));
		awaitCounts(all, 5, 4);

		this.http.delete().uri("/api/v1/conversations/{id}", id("few-5")).exchange().expectStatus().isNoContent();
		this.http.delete().uri("/api/v1/conversations/{id}", id("few-4")).exchange().expectStatus().isNoContent();
		this.http.get().uri("/api/v1/conversations/{id}", id("few-5")).exchange().expectStatus().isNotFound();
		awaitCounts(all.subList(0, 3), 3, 3);

		// Moving a conversation to another contact recounts both.
		String other = "other-" + this.run;
		post(conversation(id("few-3"), "2025-01-03T00:00:00Z", contact(other), null), HttpStatus.OK);
		awaitCounts(all.subList(0, 2), 2, 2);
		awaitCounts(List.of(id("few-3")), 1, 1);
	}

	@Test
	void countsBecomeCurrentWithinTheLongestDelayEvenWhileWritesNeverPause() throws IOException {
		// Writes every 250 ms never leave the upkeep its one-second pause: the longest
		// delay (5 s) must store the count anyway, while the stream goes on (this
		// instance's estimate; the exact recount comes at most 8 s in), and it shows
		// in the conversation and in the Repeat contacts filter at once, though the
		// first conversation's document keeps its stored count until writes pause.
		// Written through _bulk without waiting for searchability, so that each takes
		// milliseconds.
		String contact = "streamed-" + this.run;
		Instant started = Instant.now();
		bulk(conversation(id("stream-1"), "2025-02-01T00:00:00Z", contact(contact), null) + "\n", false);
		bulk(conversation(id("stream-2"), "2025-02-02T00:00:00Z", contact(contact), null) + "\n", false);
		String repeated = "contact=" + contact + "&repeatMin=2&repeatMax=2";
		int found = 0;
		int written = 0;
		while (Duration.between(started, Instant.now()).compareTo(Duration.ofSeconds(20)) < 0) {
			sleep(Duration.ofMillis(250));
			written++;
			bulk(conversation(id("stream-other-" + written), "2025-02-03T00:00:00Z",
					contact("stream-other-" + this.run + "-" + written), null) + "\n", false);
			found = total(repeated);
			if (found == 2) {
				break;
			}
		}
		assertThat(found).as("conversations of the contact found as having 2 while writes went on").isEqualTo(2);
		assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(15));
		assertThat(get(id("stream-1")).path("contactConversationCount").asInt()).isEqualTo(2);
		assertThat(total("contact=" + contact + "&repeatMax=1")).isZero();

		// The documents' stored counts are rewritten too once their longest delay (4 s
		// here) is up, though writes still go on.
		Instant counted = Instant.now();
		Integer stored = storedCount(id("stream-1"));
		while (!Integer.valueOf(2).equals(stored)
				&& Duration.between(counted, Instant.now()).compareTo(Duration.ofSeconds(15)) < 0) {
			sleep(Duration.ofMillis(250));
			written++;
			bulk(conversation(id("stream-other-" + written), "2025-02-03T00:00:00Z",
					contact("stream-other-" + this.run + "-" + written), null) + "\n", false);
			stored = storedCount(id("stream-1"));
		}
		assertThat(stored).as("stored count of the first conversation while writes went on").isEqualTo(2);
		assertThat(total(repeated)).isEqualTo(2);
		awaitCounts(List.of(id("stream-1"), id("stream-2")), 2, 2);
	}

	@Test
	void writesThisInstanceDidNotMakeAreCountedWhileWritesNeverPause() throws IOException {
		// Under a stream of writes this instance stores its own estimate of a contact's
		// count (its last count and what it wrote since) 5 s after a write, which cannot
		// know of a conversation another instance wrote: the exact recount, at most 8 s
		// into the stream here, must count it while the stream goes on. The first
		// conversation's document stores 1 until writes pause, so the 2 it shows on the
		// way can only be the estimate.
		String contact = "elsewhere-" + this.run;
		post(conversation(id("elsewhere-1"), "2025-03-01T00:00:00Z", contact(contact), null), HttpStatus.CREATED);
		awaitCounts(List.of(id("elsewhere-1")), 1, 1);
		this.elasticsearch.index((doc) -> doc.index(this.indices.conversations(2025))
			.id("default:" + id("elsewhere-2"))
			.routing("default")
			.withJson(new java.io.StringReader(
					conversation(id("elsewhere-2"), "2025-03-02T00:00:00Z", contact(contact), null)
						.replaceFirst("\\{\"id\"", "{\"org\": \"default\", \"contactConversationCount\": 2, \"id\""))));
		Instant started = Instant.now();
		bulk(conversation(id("elsewhere-3"), "2025-03-03T00:00:00Z", contact(contact), null) + "\n", false);
		List<Integer> shown = new ArrayList<>();
		int count = 0;
		int written = 0;
		while (count != 3 && Duration.between(started, Instant.now()).compareTo(Duration.ofSeconds(25)) < 0) {
			sleep(Duration.ofMillis(250));
			written++;
			bulk(conversation(id("elsewhere-other-" + written), "2025-03-04T00:00:00Z",
					contact("elsewhere-other-" + this.run + "-" + written), null) + "\n", false);
			count = get(id("elsewhere-1")).path("contactConversationCount").asInt(-1);
			if (shown.isEmpty() || shown.get(shown.size() - 1) != count) {
				shown.add(count);
			}
		}
		assertThat(shown).as("counts shown while writes went on").containsExactly(1, 2, 3);
		assertThat(total("contact=" + contact + "&repeatMin=3&repeatMax=3")).isEqualTo(3);
		awaitCounts(List.of(id("elsewhere-1"), id("elsewhere-2"), id("elsewhere-3")), 3, 3);
	}

	private @Nullable Integer storedCount(String id) throws IOException {
		var document = this.elasticsearch.get(
				(get) -> get.index(this.indices.conversations(2025)).id("default:" + id).routing("default"), Map.class);
		return (document.source() != null) ? (Integer) document.source().get("contactConversationCount") : null;
	}

	@Test
	void theRepeatFilterTakesARecountedContactsCountUntilItsConversationsAreRewritten() throws IOException {
		// As a recount leaves it: the contacts index has the contact's new count, marked
		// stale, and its conversations still store the old one. The stored counts are
		// wrong on purpose, so that only the contacts index can give the right answer.
		String contact = "stale-" + this.run;
		for (String id : List.of(id("stale-1"), id("stale-2"), id("stale-3"))) {
			this.elasticsearch.index((doc) -> doc.index(this.indices.conversations(2025))
				.id("default:" + id)
				.routing("default")
				.withJson(new java.io.StringReader(conversation(id, "2025-07-01T00:00:00Z", contact(contact), null)
					.replaceFirst("\\{\"id\"", "{\"org\": \"default\", \"contactConversationCount\": 1, \"id\""))));
		}
		this.elasticsearch.index((doc) -> doc.index(this.indices.contacts())
			.id("default:" + contact)
			.routing("default")
			.document(new ContactDocument("default", contact, 3, Instant.now(), true)));
		this.elasticsearch.indices()
			.refresh((refresh) -> refresh.index(this.indices.conversations(2025), this.indices.contacts()));

		assertThat(total("contact=" + contact + "&repeatMin=3&repeatMax=3")).isEqualTo(3);
		assertThat(total("contact=" + contact + "&repeatMin=3")).isEqualTo(3);
		assertThat(total("contact=" + contact + "&repeatMax=1")).isZero();
		assertThat(total("contact=" + contact + "&repeatMin=4")).isZero();
		assertThat(total("contact=" + contact)).isEqualTo(3);

		// The upkeep finds the mark (as one left by a dead instance), rewrites the
		// conversations and clears it.
		awaitCounts(List.of(id("stale-1"), id("stale-2"), id("stale-3")), 3, 3, Duration.ofSeconds(30));
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
			this.elasticsearch.indices().refresh((refresh) -> refresh.index(this.indices.contacts()));
			Boolean stale = this.elasticsearch
				.get((get) -> get.index(this.indices.contacts()).id("default:" + contact).routing("default"),
						ContactDocument.class)
				.source()
				.stale();
			assertThat(stale).isFalse();
		});
		assertThat(total("contact=" + contact + "&repeatMin=3&repeatMax=3")).isEqualTo(3);
	}

	private int total(String query) {
		return read("/api/v1/conversations?" + query).path("total").asInt(-1);
	}

	@Test
	void aRecountLostInACrashIsRecoveredFromItsRecord() throws IOException {
		// As if an instance died between writing two conversations and recounting
		// their contact: the documents carry no count, only the record of the touch is
		// left.
		String contact = "crashed-" + this.run;
		for (String id : List.of(id("crash-1"), id("crash-2"))) {
			this.elasticsearch.index((doc) -> doc.index(this.indices.conversations(2025))
				.id("default:" + id)
				.routing("default")
				.withJson(new java.io.StringReader(conversation(id, "2025-06-01T00:00:00Z", contact(contact), null)
					.replaceFirst("\\{\"id\"", "{\"org\": \"default\", \"id\""))));
		}
		this.jdbc.update("insert into archive_contact_touch (id, org, contact_ids, created_at) values (?, ?, ?, ?)",
				UUID.randomUUID().toString(), "default", contact,
				java.sql.Timestamp.from(Instant.now().minusSeconds(60)));

		awaitCounts(List.of(id("crash-1"), id("crash-2")), 2, 2);
		assertThat(this.jdbc.queryForObject("select count(*) from archive_contact_touch where contact_ids = ?",
				Integer.class, contact))
			.isZero();
	}

	@Test
	void unknownConversationIsNotFound() {
		this.http.get()
			.uri("/api/v1/conversations/{id}", id("missing"))
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo("no conversation '" + id("missing") + "'");
	}

	private void awaitCounts(List<String> ids, int exact, int stored) {
		awaitCounts(ids, exact, stored, Duration.ofSeconds(15));
	}

	private void awaitCounts(List<String> ids, int exact, int stored, Duration atMost) {
		await().atMost(atMost).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
			for (String id : ids) {
				assertThat(get(id).path("contactConversationCount").asInt(-1)).as("count of %s", id).isEqualTo(exact);
			}
			this.elasticsearch.indices().refresh((refresh) -> refresh.index(this.indices.conversations()));
			var response = this.elasticsearch.search(
					(search) -> search.index(this.indices.conversations())
						.query((query) -> query
							.ids((q) -> q.values(ids.stream().map((id) -> "default:" + id).toList())))
						.source((source) -> source.filter((filter) -> filter.includes("contactConversationCount"))),
					Map.class);
			assertThat(response.hits().hits()).hasSize(ids.size())
				.allSatisfy((hit) -> assertThat(hit.source().get("contactConversationCount")).isEqualTo(stored));
		});
	}

	private long countStored(List<String> ids) {
		try {
			this.elasticsearch.indices().refresh((refresh) -> refresh.index(this.indices.conversations()));
			return this.elasticsearch
				.count((count) -> count.index(this.indices.conversations())
					.query((query) -> query.ids((q) -> q.values(ids.stream().map((id) -> "default:" + id).toList()))))
				.count();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private JsonNode post(String body, HttpStatus status) {
		byte[] response = this.http.post()
			.uri("/api/v1/conversations")
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.exchange()
			.expectStatus()
			.isEqualTo(status)
			.expectBody()
			.returnResult()
			.getResponseBody();
		return this.json.readTree(response);
	}

	private JsonNode append(String id, String messages, HttpStatus status) {
		byte[] response = this.http.post()
			.uri("/api/v1/conversations/{id}/messages", id)
			.contentType(MediaType.APPLICATION_JSON)
			.body(messages)
			.exchange()
			.expectStatus()
			.isEqualTo(status)
			.expectBody()
			.returnResult()
			.getResponseBody();
		return this.json.readTree(response);
	}

	private JsonNode bulk(String ndjson) {
		return bulk(ndjson, true);
	}

	private JsonNode bulk(String ndjson, boolean refresh) {
		byte[] response = this.http.post()
			.uri("/api/v1/conversations/_bulk?refresh={refresh}", refresh)
			.contentType(NDJSON)
			.body(ndjson)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody();
		return this.json.readTree(response);
	}

	private JsonNode get(String id) {
		return read("/api/v1/conversations/{id}", id);
	}

	private JsonNode read(String uri, Object... variables) {
		byte[] response = this.http.get()
			.uri(uri, variables)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody();
		return this.json.readTree(response);
	}

	private void assertProblem(String body, String detail) {
		this.http.post()
			.uri("/api/v1/conversations")
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.detail")
			.value(String.class, (actual) -> assertThat(actual).startsWith(detail));
	}

	private static void assertItem(JsonNode item, int line, String id, int status, String error) {
		assertThat(item.get("line").asInt()).as("line of %s", item).isEqualTo(line);
		if (id != null) {
			assertThat(item.get("id").asString()).as("id of %s", item).isEqualTo(id);
		}
		assertThat(item.get("status").asInt()).as("status of %s", item).isEqualTo(status);
		if (error != null) {
			assertThat(item.get("error").asString()).as("error of %s", item).contains(error);
		}
		else {
			assertThat(item.has("error")).as("error of %s", item).isFalse();
		}
	}

	private String id(String name) {
		return name + "-" + this.run;
	}

	static String contact(String id) {
		return "\"contact\": {\"id\": \"" + id + "\", \"name\": \"Ada\", \"phone\": \"+15550100\"}";
	}

	static String conversation(String id, String startedAt, String contact, String more) {
		StringBuilder json = new StringBuilder("{\"id\": \"").append(id)
			.append("\", \"platform\": \"voice\", \"startedAt\": \"")
			.append(startedAt)
			.append('"');
		if (contact != null) {
			json.append(", ").append(contact);
		}
		if (more != null) {
			json.append(", ").append(more);
		}
		return json.append('}').toString().replace('\n', ' ');
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
