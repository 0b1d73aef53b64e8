package org.conversationarchive.export;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch.core.search.Hit;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.conversation.Column;
import org.conversationarchive.conversation.ExportRows;
import org.conversationarchive.elasticsearch.ArchiveIndices;
import org.conversationarchive.search.SearchFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Exports on the real engine and database: the filtered CSV as BI tools read it,
 * previews, views, the agent's history zip, the signed link, and the notification.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ArchiveIntegrationTest(properties = { "archive.elasticsearch.index-prefix=export-test", "archive.exports.chunk-size=4",
		"archive.notifications.stream-poll=200ms" })
class ExportIntegrationTests {

	@Autowired
	RestTestClient http;

	@Autowired
	JsonMapper json;

	@LocalServerPort
	int port;

	@Autowired
	ElasticsearchClient elasticsearch;

	@Autowired
	ArchiveIndices indices;

	@Autowired
	ExportRows rows;

	@BeforeAll
	void fixture() {
		List<String> lines = new ArrayList<>(SearchFixture.conversations());
		lines.add("{\"id\": \"formula\", \"platform\": \"web\", \"startedAt\": \"2023-06-01T00:00:00Z\", "
				+ "\"contact\": {\"id\": \"x\", \"name\": \"=HYPERLINK(\\\"http://evil\\\")\"}, "
				+ "\"flow\": {\"id\": \"f\", \"name\": \"Line one\\nline two, \\\"quoted\\\"\"}, "
				+ "\"tags\": {\"Note\": \"@sum\"}}");
		this.http.post()
			.uri("/api/v1/conversations/_bulk?refresh=true")
			.contentType(MediaType.parseMediaType("application/x-ndjson"))
			.body(String.join("\n", lines) + "\n")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.errors")
			.isEqualTo(false);
	}

	@Test
	void aFilteredCsvOpensCleanlyAndHoldsEveryRow() throws IOException {
		JsonNode job = awaitCompleted(start("{\"filter\": {\"platforms\": [\"voice\"]}}"));
		assertThat(job.get("rowCount").asInt()).isEqualTo(4);
		assertThat(job.get("progress").get("done").asInt()).isEqualTo(4);
		assertThat(job.get("progress").get("total").asInt()).isEqualTo(4);
		assertThat(job.get("expiresAt").asString()).isNotBlank();

		byte[] file = download(job.get("downloadUrl").asString(), 200);
		assertThat(file).startsWith(0xEF, 0xBB, 0xBF);
		List<CSVRecord> records = csv(file);
		assertThat(records.get(0).values()).containsExactly("ID", "Platform", "Contact", "Status", "Flow", "Duration",
				"Last Message", "Date", "Flagged", "Functions", "Parameters", "Tags");
		assertThat(records).hasSize(5);
		CSVRecord s01 = records.stream().filter((record) -> record.get(0).equals("s01")).findFirst().orElseThrow();
		assertThat(s01.values()).containsExactly("s01", "voice", "Ada", "completed", "Billing", "300",
				"2025-01-10T10:02:00Z", "2025-01-10T10:00:00Z", "true", "issue_refund", "{\"account\":\"A-1\"}",
				"{\"Call Reason\":\"billing\",\"Language\":[\"en\",\"fr\"]}");
		assertThat(new String(file, StandardCharsets.UTF_8)).contains("\r\n");
	}

	@Test
	void rowsAreReadFromExportRowsAndFromTheSourceOfDocumentsWrittenWithout() throws IOException {
		// Documents carry the export row...
		Hit<Map> s01 = stored("s01");
		assertThat(s01.source()).containsKey(ExportRows.FIELD);
		ExportRows.Cells cells = this.rows.read((String) s01.source().get(ExportRows.FIELD));
		assertThat(Column.DEFAULT.stream().map(cells::get)).containsExactly("s01", "voice", "Ada", "completed",
				"Billing", "300", "2025-01-10T10:02:00Z", "2025-01-10T10:00:00Z", "true", "issue_refund",
				"{\"account\":\"A-1\"}", "{\"Call Reason\":\"billing\",\"Language\":[\"en\",\"fr\"]}");
		// ...but one written before rows existed has none, and is exported all the same.
		Hit<Map> s02 = stored("s02");
		Map<String, Object> withoutRow = new HashMap<>(s02.source());
		withoutRow.remove(ExportRows.FIELD);
		this.elasticsearch.index((index) -> index.index(s02.index())
			.id(s02.id())
			.routing(s02.routing())
			.refresh(Refresh.True)
			.document(withoutRow));

		JsonNode job = awaitCompleted(start("{\"filter\": {\"ids\": [\"s01\", \"s02\"]}, \"columns\": "
				+ "[\"id\", \"platform\", \"contact\", \"flow\", \"date\"]}"));
		List<CSVRecord> records = csv(download(job.get("downloadUrl").asString(), 200));
		assertThat(records).hasSize(3);
		assertThat(records.get(1).values()).containsExactly("s02", "sms", "c1", "Billing", "2025-01-11T09:00:00Z");
		assertThat(records.get(2).values()).containsExactly("s01", "voice", "Ada", "Billing", "2025-01-10T10:00:00Z");
	}

	@SuppressWarnings("rawtypes")
	private Hit<Map> stored(String id) throws IOException {
		return this.elasticsearch
			.search((search) -> search.index(this.indices.conversations())
				.query((query) -> query.term((term) -> term.field("id").value(id))), Map.class)
			.hits()
			.hits()
			.get(0);
	}

	@Test
	void cellsASpreadsheetWouldRunAreEscapedAndQuotesSurvive() throws IOException {
		JsonNode job = awaitCompleted(start("{\"filter\": {\"ids\": [\"formula\"]}}"));
		CSVRecord row = csv(download(job.get("downloadUrl").asString(), 200)).get(1);
		assertThat(row.get(2)).isEqualTo("'=HYPERLINK(\"http://evil\")");
		assertThat(row.get(4)).isEqualTo("Line one\nline two, \"quoted\"");
		assertThat(row.get(11)).isEqualTo("{\"Note\":\"@sum\"}");
		assertThat(row.get(5)).isEmpty();
	}

	@Test
	void aPreviewSaysHowLargeBeforeAnythingStarts() throws IOException {
		JsonNode preview = body(this.http.post()
			.uri("/api/v1/exports?preview=true")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{}")
			.exchange()
			.expectStatus()
			.isOk());
		assertThat(preview.get("rowCount").asInt()).isEqualTo(16);
		JsonNode job = awaitCompleted(start("{}"));
		long size = download(job.get("downloadUrl").asString(), 200).length;
		assertThat(preview.get("estimatedBytes").asLong()).isBetween(size / 2, size * 2);
		assertThat(job.get("rowCount").asInt()).isEqualTo(16);
	}

	@Test
	void aViewExportsItsFilterAndColumns() throws IOException {
		JsonNode view = body(this.http.post()
			.uri("/api/v1/views")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"name\": \"Test calls, two columns\", \"scope\": \"org\", \"filter\": {\"environments\": [\"test\"]},"
					+ " \"columns\": [\"id\", \"status\"]}")
			.exchange()
			.expectStatus()
			.isCreated());
		JsonNode job = awaitCompleted(start("{\"viewId\": \"" + view.get("id").asString() + "\"}"));
		List<CSVRecord> records = csv(download(job.get("downloadUrl").asString(), 200));
		assertThat(records.get(0).values()).containsExactly("ID", "Status");
		assertThat(records).hasSize(4);
		JsonNode narrowed = awaitCompleted(start("{\"viewId\": \"" + view.get("id").asString()
				+ "\", \"filter\": {\"statuses\": [\"failed\"]}, \"columns\": [\"status\", \"id\"]}"));
		List<CSVRecord> rows = csv(download(narrowed.get("downloadUrl").asString(), 200));
		assertThat(rows).hasSize(2);
		assertThat(rows.get(1).values()).containsExactly("failed", "s03");
	}

	@Test
	void badRequestsAreRefusedNamingTheProblem() {
		problem("{\"filtre\": {}}", 400, "unknown field 'filtre'");
		problem("{\"columns\": [\"id\", \"price\"]}", 400, "columns[1]: unknown column 'price'");
		problem("{\"filter\": {\"statuses\": [\"done\"]}}", 400, "filter: statuses[0]: unknown status 'done'");
		problem("{\"viewId\": \"nope\"}", 404, "no view 'nope'");
		problem("{\"filter\": {\"ids\": [1]}}", 400, "filter: ids[0]: 1 is not a string");
		problem("{\"filter\": {\"repeatContacts\": {\"min\": 1.5}}}", 400,
				"filter: repeatContacts.min: 1.5 is not a whole number");
		this.http.get().uri("/api/v1/exports/nope").exchange().expectStatus().isNotFound();
		// The year of a history export is a whole number, never a fraction or text made
		// one, and one of the years the archive takes.
		for (String year : List.of("2024.5", "2025.0", "\"2025\"", "true", "1969", "10000", "-1")) {
			this.http.post()
				.uri("/api/v1/agents/ava/history-exports")
				.contentType(MediaType.APPLICATION_JSON)
				.body("{\"year\": " + year + "}")
				.exchange()
				.expectStatus()
				.isBadRequest()
				.expectBody()
				.jsonPath("$.detail")
				.value(String.class, (detail) -> assertThat(detail).startsWith("year: ")
					.doesNotContain("java.", "Integer", "HistoryRequest"));
		}
		this.http.post()
			.uri("/api/v1/agents/ava/history-exports")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"year\": 2025, \"yaer\": 2024}")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.detail")
			.value(String.class, (detail) -> assertThat(detail).startsWith("unknown field 'yaer'"));
	}

	@Test
	void theLinkWorksWithoutCredentialsAndRefusesForgeries() {
		JsonNode job = awaitCompleted(start("{\"filter\": {\"ids\": [\"s01\"]}}"));
		String url = job.get("downloadUrl").asString();
		assertThat(url).startsWith("http://localhost:" + this.port + "/api/v1/downloads/");
		download(url, 200);
		String token = url.substring(url.lastIndexOf('/') + 1);
		String forged = token.substring(0, token.indexOf('.') + 1) + "AAAA" + token.substring(token.indexOf('.') + 5);
		download(url.replace(token, forged), 404);
		download(url.replace(token, "garbage"), 404);
	}

	@Test
	void anAgentsYearOfHistoryIsAZipOfMessagesInTimeOrder() throws IOException {
		JsonNode started = body(this.http.post()
			.uri("/api/v1/agents/ava/history-exports")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"year\": 2025}")
			.exchange()
			.expectStatus()
			.isAccepted());
		assertThat(started.get("kind").asString()).isEqualTo("agent-history");
		JsonNode job = awaitCompleted(started);
		byte[] zip = download(job.get("downloadUrl").asString(), 200);
		try (ZipInputStream entries = new ZipInputStream(new ByteArrayInputStream(zip))) {
			ZipEntry entry = entries.getNextEntry();
			assertThat(entry.getName()).isEqualTo("ava-2025-conversation-history.csv");
			List<CSVRecord> rows = csv(entries.readAllBytes());
			assertThat(rows.get(0).values()).containsExactly("Sender type", "Channel type", "Sender name",
					"Time in GMT", "Message", "Data");
			List<CSVRecord> messages = rows.subList(1, rows.size());
			assertThat(messages).hasSize(10);
			assertThat(messages).extracting((row) -> row.get(3)).isSorted();
			assertThat(messages.get(0).values()).containsExactly("user", "Call", "Ada", "2025-01-10 10:00:30",
					"I want a refund for my last invoice", "");
			assertThat(messages.get(2).get(5)).isEqualTo(
					"{\"function\":{\"name\":\"issue_refund\",\"arguments\":{\"amount\":42},\"result\":{\"status\":\"refunded\"}}}");
			assertThat(entries.getNextEntry()).isNull();
		}
		assertThat(job.get("rowCount").asInt()).isEqualTo(10);
		// Progress counts conversations, not the messages the rows are.
		assertThat(job.get("progress").get("total").asInt()).isBetween(1, 9);
		assertThat(job.get("progress").get("done").asInt()).isEqualTo(job.get("progress").get("total").asInt());
		this.http.post()
			.uri("/api/v1/agents/ava/history-exports")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{}")
			.exchange()
			.expectStatus()
			.isBadRequest();
	}

	@Test
	void aFinishedExportIsAnnouncedWithItsLinkInTheListAndTheStream() throws Exception {
		HttpClient client = HttpClient.newHttpClient();
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.port + "/api/v1/notifications/stream"))
			.header("Authorization", "Bearer " + ArchiveIntegrationTest.ADMIN_KEY)
			.build();
		CompletableFuture<String> event = client.sendAsync(request, HttpResponse.BodyHandlers.ofLines())
			.thenApply((response) -> response.body()
				.dropWhile((line) -> !line.startsWith("event:notification"))
				.limit(3)
				.reduce("", (a, b) -> a + b + "\n"));
		Thread.sleep(500);
		JsonNode job = awaitCompleted(start("{\"filter\": {\"ids\": [\"s02\"]}}"));
		String streamed = event.get(20, java.util.concurrent.TimeUnit.SECONDS);
		assertThat(streamed).contains("export successful").contains(job.get("downloadUrl").asString());
		JsonNode list = body(this.http.get().uri("/api/v1/notifications").exchange().expectStatus().isOk());
		assertThat(list.get("items").toString()).contains("Conversation export successful")
			.contains(job.get("downloadUrl").asString());
	}

	@Test
	void exportsAndDownloadsAreAudited() {
		JsonNode job = awaitCompleted(start("{\"filter\": {\"ids\": [\"s03\"]}}"));
		download(job.get("downloadUrl").asString(), 200);
		String log = body(this.http.get().uri("/api/v1/audit?size=1000").exchange().expectStatus().isOk()).toString();
		assertThat(log).contains("export.completed").contains("export.downloaded").contains(job.get("id").asString());
	}

	JsonNode start(String request) {
		return body(this.http.post()
			.uri("/api/v1/exports")
			.contentType(MediaType.APPLICATION_JSON)
			.body(request)
			.exchange()
			.expectStatus()
			.isAccepted());
	}

	JsonNode awaitCompleted(JsonNode started) {
		String id = started.get("id").asString();
		JsonNode[] job = new JsonNode[1];
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
			job[0] = body(this.http.get().uri("/api/v1/exports/{id}", id).exchange().expectStatus().isOk());
			String status = job[0].get("status").asString();
			assertThat(status).isNotEqualTo("failed");
			return status.equals("completed");
		});
		return job[0];
	}

	byte[] download(String url, int status) {
		return RestTestClient.bindToServer()
			.build()
			.get()
			.uri(url)
			.exchange()
			.expectStatus()
			.isEqualTo(status)
			.expectBody()
			.returnResult()
			.getResponseBody();
	}

	static List<CSVRecord> csv(byte[] bytes) throws IOException {
		String text = new String(bytes, StandardCharsets.UTF_8).replace("\uFEFF", "");
		return CSVFormat.RFC4180.parse(new StringReader(text)).getRecords();
	}

	JsonNode body(RestTestClient.ResponseSpec response) {
		return this.json.readTree(response.expectBody().returnResult().getResponseBody());
	}

	void problem(String request, int status, String detail) {
		this.http.post()
			.uri("/api/v1/exports")
			.contentType(MediaType.APPLICATION_JSON)
			.body(request)
			.exchange()
			.expectStatus()
			.isEqualTo(status)
			.expectBody()
			.jsonPath("$.detail")
			.value(String.class, (actual) -> assertThat(actual).startsWith(detail));
	}

}
