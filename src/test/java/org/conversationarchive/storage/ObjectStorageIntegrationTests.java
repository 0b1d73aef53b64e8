package org.conversationarchive.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.zip.ZipInputStream;

import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.TestS3;
import org.conversationarchive.media.Mp3s;
import org.conversationarchive.system.ArchiveSettings;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.util.LinkedMultiValueMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole service with its files in a bucket of a real S3-compatible server (S3Proxy,
 * in-process): recordings stored and played in ranges, exports and agent histories
 * written, kept under their org's keys and downloaded through their signed links, imports
 * read from their upload, and a deleted conversation's files gone from the bucket.
 * Nothing of it lands in the data directory.
 */
@ArchiveIntegrationTest(properties = { "archive.elasticsearch.index-prefix=object-storage",
		"archive.exports.chunk-size=2", "archive.ingest.batch-size=2" })
class ObjectStorageIntegrationTests {

	static final String BUCKET = "object-storage-tests";

	static final String PREFIX = "archive-it";

	@DynamicPropertySource
	static void inTheBucket(DynamicPropertyRegistry registry) {
		TestS3.bucket(BUCKET);
		for (String property : TestS3.properties(BUCKET, "archive.storage.s3.prefix=" + PREFIX)) {
			String[] pair = property.split("=", 2);
			registry.add(pair[0], () -> pair[1]);
		}
	}

	@Autowired
	RestTestClient http;

	@Autowired
	JsonMapper json;

	@Autowired
	ArchiveSettings archive;

	final String run = UUID.randomUUID().toString().substring(0, 8);

	@Test
	void aRecordingIsKeptUnderItsOrgInTheBucketAndPlayedWholeAndInRanges() {
		String id = conversation("audio", "ava");
		byte[] mp3 = Mp3s.mp3(100, true);
		this.http.put()
			.uri("/api/v1/conversations/{id}/audio", id)
			.contentType(MediaType.parseMediaType("audio/mpeg"))
			.body(mp3)
			.exchange()
			.expectStatus()
			.isCreated();

		assertThat(TestS3.keys(BUCKET, PREFIX + "/media/default/" + id + "/"))
			.containsExactly(PREFIX + "/media/default/" + id + "/audio.mp3");
		assertThat(object(PREFIX + "/media/default/" + id + "/audio.mp3")).isEqualTo(mp3);
		assertThat(this.archive.dataDir().resolve("media/default/" + id)).doesNotExist();
		byte[] whole = this.http.get()
			.uri("/api/v1/conversations/{id}/audio", id)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentLength(mp3.length)
			.expectBody()
			.returnResult()
			.getResponseBody();
		assertThat(whole).isEqualTo(mp3);
		byte[] range = this.http.get()
			.uri("/api/v1/conversations/{id}/audio", id)
			.header(HttpHeaders.RANGE, "bytes=1000-1999")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.PARTIAL_CONTENT)
			.expectHeader()
			.valueEquals(HttpHeaders.CONTENT_RANGE, "bytes 1000-1999/" + mp3.length)
			.expectBody()
			.returnResult()
			.getResponseBody();
		assertThat(range).isEqualTo(Arrays.copyOfRange(mp3, 1000, 2000));

		// Deleted with its conversation.
		this.http.delete().uri("/api/v1/conversations/{id}", id).exchange().expectStatus().isNoContent();
		assertThat(TestS3.keys(BUCKET, PREFIX + "/media/default/" + id + "/")).isEmpty();
		this.http.get().uri("/api/v1/conversations/{id}/audio", id).exchange().expectStatus().isNotFound();
	}

	@Test
	void anExportIsKeptUnderItsOrgInTheBucketAndDownloadedThroughItsSignedLink() throws IOException {
		List<String> ids = List.of(conversation("export-1", "ava"), conversation("export-2", "ava"),
				conversation("export-3", "ava"));
		JsonNode job = awaitExport(body(this.http.post()
			.uri("/api/v1/exports")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"filter\": {\"ids\": [\"" + String.join("\", \"", ids)
					+ "\"]}, \"columns\": [\"id\", \"status\"]}")
			.exchange()
			.expectStatus()
			.isAccepted()));
		String exportId = job.get("id").asString();
		assertThat(job.get("rowCount").asInt()).isEqualTo(3);

		List<String> keys = TestS3.keys(BUCKET, PREFIX + "/exports/default/" + exportId + "/");
		assertThat(keys).singleElement().asString().endsWith(".csv");
		String csv = new String(download(job.get("downloadUrl").asString()), StandardCharsets.UTF_8);
		assertThat(csv).startsWith("\uFEFFID,Status\r\n")
			.contains(ids.get(0) + ",completed\r\n")
			.contains(ids.get(1) + ",completed\r\n")
			.contains(ids.get(2) + ",completed\r\n");
		assertThat(csv.getBytes(StandardCharsets.UTF_8)).isEqualTo(object(keys.get(0)));
		// The file it was written in, chunk by chunk, has left this instance's disk.
		assertThat(this.archive.dataDir().resolve("exports/default/" + exportId)).doesNotExist();
	}

	@Test
	void aScheduledExportIsDeliveredToItsFolderInTheBucket() {
		String id = conversation("scheduled", "ava");
		String schedule = "bi-" + this.run;
		this.http.post()
			.uri("/api/v1/schedules")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"id\": \"" + schedule + "\", \"viewId\": \"all\", \"cron\": \"0 6 * * *\", "
					+ "\"enabled\": false, \"columns\": [\"id\"], \"destination\": \"bi/" + this.run + "\"}")
			.exchange()
			.expectStatus()
			.isCreated();
		JsonNode job = awaitExport(body(
				this.http.post().uri("/api/v1/schedules/{id}/run", schedule).exchange().expectStatus().isAccepted()));

		String folder = PREFIX + "/exports/default/scheduled/bi/" + this.run + "/";
		List<String> delivered = TestS3.keys(BUCKET, folder);
		assertThat(delivered).containsExactly(folder + job.get("fileName").asString());
		assertThat(new String(object(delivered.get(0)), StandardCharsets.UTF_8)).startsWith("\uFEFFID\r\n")
			.contains(id + "\r\n");
		// And kept for its link as any export.
		assertThat(TestS3.keys(BUCKET, PREFIX + "/exports/default/" + job.get("id").asString() + "/")).hasSize(1);
	}

	@Test
	void anAgentHistoryZipIsKeptInTheBucket() throws IOException {
		String agent = "agent-" + this.run;
		String id = conversation("history", agent);
		JsonNode job = awaitExport(body(this.http.post()
			.uri("/api/v1/agents/{agent}/history-exports", agent)
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"year\": 2025}")
			.exchange()
			.expectStatus()
			.isAccepted()));

		List<String> keys = TestS3.keys(BUCKET, PREFIX + "/exports/default/" + job.get("id").asString() + "/");
		assertThat(keys).singleElement().asString().endsWith("-2025-conversation-history.zip");
		try (ZipInputStream zip = new ZipInputStream(
				new ByteArrayInputStream(download(job.get("downloadUrl").asString())))) {
			assertThat(zip.getNextEntry().getName()).endsWith(".csv");
			String rows = new String(zip.readAllBytes(), StandardCharsets.UTF_8);
			assertThat(rows).contains("Hello from " + id);
		}
	}

	@Test
	void anImportIsReadFromItsUploadInTheBucket() {
		StringBuilder ndjson = new StringBuilder();
		for (int i = 1; i <= 5; i++) {
			ndjson.append(document("import-" + i + "-" + this.run, "ava")).append('\n');
		}
		LinkedMultiValueMap<String, Object> form = new LinkedMultiValueMap<>();
		form.add("file", new ByteArrayResource(ndjson.toString().getBytes(StandardCharsets.UTF_8)) {
			@Override
			public String getFilename() {
				return "five.ndjson";
			}
		});
		String importId = body(this.http.post()
			.uri("/api/v1/imports")
			.contentType(MediaType.MULTIPART_FORM_DATA)
			.body(form)
			.exchange()
			.expectStatus()
			.isAccepted()).get("id").asString();

		JsonNode[] done = new JsonNode[1];
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
			done[0] = body(this.http.get().uri("/api/v1/imports/{id}", importId).exchange().expectStatus().isOk());
			return !done[0].get("status").asString().matches("queued|running");
		});
		assertThat(done[0].get("status").asString()).isEqualTo("completed");
		assertThat(done[0].get("stored").asInt()).isEqualTo(5);
		assertThat(object(PREFIX + "/imports/default/" + importId + "/input"))
			.isEqualTo(ndjson.toString().getBytes(StandardCharsets.UTF_8));
		assertThat(this.archive.dataDir().resolve(Path.of("imports", "default", importId))).doesNotExist();
		this.http.get().uri("/api/v1/conversations/{id}", "import-5-" + this.run).exchange().expectStatus().isOk();
	}

	private JsonNode awaitExport(JsonNode started) {
		String id = started.get("id").asString();
		JsonNode[] job = new JsonNode[1];
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
			job[0] = body(this.http.get().uri("/api/v1/exports/{id}", id).exchange().expectStatus().isOk());
			String status = job[0].get("status").asString();
			assertThat(status).as(job[0].toString()).isNotEqualTo("failed");
			return status.equals("completed");
		});
		return job[0];
	}

	private byte[] download(String url) {
		return RestTestClient.bindToServer()
			.build()
			.get()
			.uri(url)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody();
	}

	private String conversation(String name, String agent) {
		String id = name + "-" + this.run;
		this.http.post()
			.uri("/api/v1/conversations?refresh=true")
			.contentType(MediaType.APPLICATION_JSON)
			.body(document(id, agent))
			.exchange()
			.expectStatus()
			.isCreated();
		return id;
	}

	private static String document(String id, String agent) {
		return "{\"id\": \"" + id + "\", \"platform\": \"voice\", \"status\": \"completed\", "
				+ "\"startedAt\": \"2025-04-01T10:00:00Z\", \"agent\": {\"id\": \"" + agent + "\", \"name\": \"Ava\"}, "
				+ "\"messages\": [{\"at\": \"2025-04-01T10:00:01Z\", \"senderType\": \"user\", \"text\": \"Hi\"},"
				+ "{\"at\": \"2025-04-01T10:00:02Z\", \"senderType\": \"agent\", \"text\": \"Hello from " + id
				+ "\"}]}";
	}

	private static byte[] object(String key) {
		try (S3Client s3 = TestS3.client()) {
			ResponseBytes<GetObjectResponse> bytes = s3.getObjectAsBytes((get) -> get.bucket(BUCKET).key(key));
			return bytes.asByteArray();
		}
	}

	private JsonNode body(RestTestClient.ResponseSpec response) {
		return this.json.readTree(response.expectBody().returnResult().getResponseBody());
	}

}
