package org.conversationarchive.ingest;

import java.time.Duration;
import java.util.UUID;

import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.system.ArchiveSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The import job on the real engine and database: NDJSON and history CSV files in,
 * refused lines reported with their numbers. Indices here refresh only when asked (an
 * hour apart), so nothing is searchable by luck.
 */
@ExtendWith(OutputCaptureExtension.class)
@ArchiveIntegrationTest(properties = { "archive.ingest.batch-size=3", "archive.elasticsearch.index-prefix=imports",
		"archive.elasticsearch.refresh-interval=1h" })
class ImportIntegrationTests {

	@Autowired
	RestTestClient http;

	@Autowired
	JsonMapper json;

	@Autowired
	ArchiveSettings archive;

	final String run = UUID.randomUUID().toString().substring(0, 8);

	@Test
	void importsAnNdjsonFileAndReportsItsBadLines() {
		StringBuilder file = new StringBuilder();
		for (int i = 1; i <= 7; i++) {
			file.append(IngestIntegrationTests.conversation("imp-" + i + "-" + this.run, "2025-02-0" + i + "T00:00:00Z",
					null, null))
				.append('\n');
		}
		file.append("{\"id\": \"imp-bad-")
			.append(this.run)
			.append("\", \"platform\": \"fax\", \"startedAt\": \"2025-01-01T00:00:00Z\"}\n");
		file.append("\n{broken\n");

		JsonNode started = upload("conversations.ndjson", file.toString(), null, null);
		assertThat(started.get("format").asString()).isEqualTo("ndjson");
		JsonNode done = awaitFinished(started.get("id").asString());
		assertThat(done.get("status").asString()).isEqualTo("completed");
		assertThat(done.get("read").asInt()).isEqualTo(9);
		assertThat(done.get("stored").asInt()).isEqualTo(7);
		assertThat(done.get("failed").asInt()).isEqualTo(2);

		String errors = this.http.get()
			.uri(done.get("errorsUrl").asString())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		String[] lines = errors.split("\n");
		assertThat(lines).hasSize(2);
		assertThat(this.json.readTree(lines[0]).get("line").asInt()).isEqualTo(8);
		assertThat(this.json.readTree(lines[0]).get("error").asString()).startsWith("platform: unknown platform 'fax'");
		assertThat(this.json.readTree(lines[1]).get("line").asInt()).isEqualTo(10);
		assertThat(this.json.readTree(lines[1]).get("error").asString()).startsWith("malformed JSON");

		this.http.get().uri("/api/v1/conversations/imp-7-" + this.run).exchange().expectStatus().isOk();
		// The upload is kept in the org's own folder.
		assertThat(this.archive.dataDir().resolve("imports/default/" + started.get("id").asString() + "/input"))
			.hasBinaryContent(file.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	@Test
	void everyStoredLineIsSearchableWhenTheImportCompletes() {
		// In time order, as backfills come: the last chunks write only the last year's
		// index.
		StringBuilder file = new StringBuilder();
		for (int year = 2022; year <= 2025; year++) {
			for (int i = 0; i < 5; i++) {
				file.append(IngestIntegrationTests.conversation("searchable-" + year + "-" + i + "-" + this.run,
						year + "-05-01T10:00:00Z", null,
						"\"flow\": {\"id\": \"flow-" + this.run + "\", \"name\": \"Imported\"}"))
					.append('\n');
			}
		}
		JsonNode done = awaitFinished(upload("years.ndjson", file.toString(), null, null).get("id").asString());
		assertThat(done.get("status").asString()).isEqualTo("completed");
		assertThat(done.get("stored").asInt()).isEqualTo(20);

		this.http.get()
			.uri("/api/v1/conversations?flow={flow}&size=1", "flow-" + this.run)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.total")
			.isEqualTo(20);
	}

	@Test
	void importsAnAgentHistoryCsv() {
		String csv = HistoryCsvImportReaderTests.HEADER
				+ """
						User,WebChat,ana-%1$s,2025-04-01 09:00:00,I want a refund for order 12,"{""conversationId"":""hist-a-%1$s""}"
						Agent,WebChat,Sunny,2025-04-01 09:00:04,Let me check order 12,"{""conversationId"":""hist-a-%1$s""}"
						User,SMS,bob-%1$s,2025-04-01 09:10:00,Where is my parcel?,"{""conversationId"":""hist-b-%1$s""}"
						User,Fax,bob,2025-04-01 09:11:00,nope,
						"""
					.formatted(this.run);
		JsonNode done = awaitFinished(upload("history.csv", csv, null, "agent-" + this.run).get("id").asString());
		assertThat(done.get("format").asString()).isEqualTo("history-csv");
		assertThat(done.get("stored").asInt()).isEqualTo(2);
		assertThat(done.get("failed").asInt()).isEqualTo(1);

		this.http.get()
			.uri("/api/v1/conversations/hist-a-" + this.run)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.platform")
			.isEqualTo("web")
			.jsonPath("$.agent.id")
			.isEqualTo("agent-" + this.run)
			.jsonPath("$.messages.length()")
			.isEqualTo(2)
			.jsonPath("$.contact.id")
			.isEqualTo("ana-" + this.run);
	}

	@Test
	void aFailedImportSaysWhyInASentenceAndLogsTheRestUnderItsReference(CapturedOutput log) {
		String id = upload("wrong.csv", "id,text\n1,a\n", "history-csv", "agent-" + this.run).get("id").asString();
		JsonNode failed = awaitFinished(id);
		assertThat(failed.get("status").asString()).isEqualTo("failed");
		String error = failed.get("error").asString();
		assertThat(error)
			.matches("the history CSV has no 'Sender type' column; expected [^\n]+ \\(reference [0-9a-f-]{36}\\)")
			.doesNotContain("\tat ", "java.", "org.springframework", "org.conversationarchive", "Exception");
		String reference = error.substring(error.lastIndexOf("reference ") + 10, error.length() - 1);
		assertThat(log.getAll()).contains("(reference " + reference + ")").contains("at org.");
		byte[] list = this.http.get()
			.uri("/api/v1/imports")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody();
		assertThat(this.json.readTree(list)
			.get("items")
			.valueStream()
			.filter((item) -> item.get("id").asString().equals(id))
			.map((item) -> item.get("error").asString())).containsExactly(error);
	}

	@Test
	void aBadUploadIsRefused() {
		LinkedMultiValueMap<String, Object> body = new LinkedMultiValueMap<>();
		body.add("file", new ByteArrayResource("{}".getBytes()) {
			@Override
			public String getFilename() {
				return "x.ndjson";
			}
		});
		body.add("format", "xml");
		refused(body, "parameter format: unknown format 'xml'; expected ndjson or history-csv");
		// An agent id longer than a job takes is refused before anything is kept.
		int before = imports();
		body.set("format", "history-csv");
		body.add("agentId", "a".repeat(3000));
		refused(body, "parameter agentId: 3000 characters; at most 1024 are allowed");
		assertThat(imports()).isEqualTo(before);
		this.http.get().uri("/api/v1/imports/nope").exchange().expectStatus().isNotFound();
	}

	private void refused(LinkedMultiValueMap<String, Object> body, String detail) {
		this.http.post()
			.uri("/api/v1/imports")
			.contentType(MediaType.MULTIPART_FORM_DATA)
			.body(body)
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo(detail);
	}

	private int imports() {
		return this.json
			.readTree(this.http.get().uri("/api/v1/imports").exchange().expectBody().returnResult().getResponseBody())
			.get("items")
			.size();
	}

	private JsonNode upload(String fileName, String content, String format, String agentId) {
		LinkedMultiValueMap<String, Object> body = new LinkedMultiValueMap<>();
		body.add("file", new ByteArrayResource(content.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
			@Override
			public String getFilename() {
				return fileName;
			}
		});
		if (format != null) {
			body.add("format", format);
		}
		if (agentId != null) {
			body.add("agentId", agentId);
		}
		byte[] response = this.http.post()
			.uri("/api/v1/imports")
			.contentType(MediaType.MULTIPART_FORM_DATA)
			.body(body)
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody()
			.returnResult()
			.getResponseBody();
		return this.json.readTree(response);
	}

	private JsonNode awaitFinished(String id) {
		JsonNode[] last = new JsonNode[1];
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
			byte[] response = this.http.get()
				.uri("/api/v1/imports/{id}", id)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.returnResult()
				.getResponseBody();
			last[0] = this.json.readTree(response);
			String status = last[0].get("status").asString();
			return status.equals("completed") || status.equals("failed");
		});
		return last[0];
	}

}
