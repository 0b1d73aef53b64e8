package org.conversationarchive.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.TestElasticsearch;
import org.conversationarchive.TestUsers;
import org.conversationarchive.search.SearchFixture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scheduled exports of views for BI: validated, run on their cron into their folder as
 * export jobs with a history, declared as files too, and never run twice for one time.
 */
@ArchiveIntegrationTest(
		properties = { "archive.elasticsearch.index-prefix=schedule-test", "archive.exports.schedule-check=1s" })
@Import(TestUsers.class)
class ScheduleIntegrationTests {

	static final Path DECLARED = declared();

	@DynamicPropertySource
	static void schedules(DynamicPropertyRegistry registry) {
		registry.add("archive.exports.schedules", DECLARED::toString);
	}

	@Autowired
	RestTestClient http;

	@Autowired
	JsonMapper json;

	@Autowired
	Schedules schedules;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	ExportJobs exportJobs;

	@Autowired
	JobOperator jobOperator;

	@Autowired
	org.springframework.batch.core.job.Job tableExportJob;

	@Value("${archive.data-dir}")
	Path dataDir;

	final String run = UUID.randomUUID().toString().substring(0, 8);

	@Test
	void aScheduleExportsItsViewIntoItsFolderOnItsCron() throws IOException {
		this.http.post()
			.uri("/api/v1/conversations/_bulk?refresh=true")
			.contentType(MediaType.parseMediaType("application/x-ndjson"))
			.body(String.join("\n", SearchFixture.conversations()) + "\n")
			.exchange()
			.expectStatus()
			.isOk();
		JsonNode schedule = body(this.http.post()
			.uri("/api/v1/schedules")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"id\": \"nightly-test\", \"name\": \"Test calls for BI\", \"viewId\": \"test\", "
					+ "\"cron\": \"* * * * * *\", \"timeZone\": \"Europe/Paris\", \"columns\": [\"id\", \"status\"]}")
			.exchange()
			.expectStatus()
			.isCreated());
		assertThat(schedule.get("destination").asString()).isEqualTo("nightly-test");
		assertThat(schedule.get("nextRun").asString()).isNotBlank();

		Path folder = this.dataDir.resolve("exports/default/scheduled/nightly-test");
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> csvFiles(folder) > 0);
		this.http.put()
			.uri("/api/v1/schedules/nightly-test")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"enabled\": false}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.enabled")
			.isEqualTo(false);

		JsonNode runs = body(
				this.http.get().uri("/api/v1/schedules/nightly-test/runs").exchange().expectStatus().isOk());
		JsonNode run = runs.get("items").get(runs.get("items").size() - 1);
		assertThat(run.get("kind").asString()).isEqualTo("scheduled-export");
		await().atMost(Duration.ofSeconds(30))
			.until(() -> body(this.http.get().uri("/api/v1/exports/{id}", run.get("id").asString()).exchange())
				.get("status")
				.asString()
				.equals("completed"));
		try (Stream<Path> files = Files.list(folder)) {
			Path file = files.filter((each) -> each.toString().endsWith(".csv")).findFirst().orElseThrow();
			String csv = Files.readString(file);
			assertThat(csv).startsWith("\uFEFFID,Status\r\n").contains("s03,failed").hasLineCount(4);
		}
	}

	@Test
	void badSchedulesAreRefusedNamingTheProblem() {
		problem("{\"viewId\": \"all\", \"cron\": \"every day\"}", 400, "cron 'every day' is not a cron expression");
		problem("{\"viewId\": \"all\", \"cron\": \"0 6 * * *\", \"timeZone\": \"Mars/Olympus\"}", 400,
				"timeZone: unknown time zone 'Mars/Olympus'");
		problem("{\"viewId\": \"nope\", \"cron\": \"0 6 * * *\"}", 404, "no view 'nope'");
		problem("{\"viewId\": \"all\", \"cron\": \"0 6 * * *\", \"destination\": \"../../etc\"}", 400,
				"destination '../../etc' must be a folder inside the org's folder of scheduled exports "
						+ "(exports/default/scheduled/ under the data directory)");
		problem("{\"cron\": \"0 6 * * *\"}", 400, "viewId is required");
		problem("{\"viewId\": \"all\", \"cron\": \"0 6 * * *\", \"columns\": [\"price\"]}", 400,
				"columns[0]: unknown column 'price'");
		// Crons no date matches: they would be accepted and never run.
		for (String never : List.of("0 0 30 2 *", "0 0 31 4,6,9,11 *", "0 0 0 30 2 ?", "0 12 31 2 MON-FRI")) {
			problem("{\"viewId\": \"all\", \"cron\": \"" + never + "\"}", 400,
					"cron '" + never + "' never fires: no date matches it within the next 8 years");
		}
		problem("{\"viewId\": \"all\", \"cron\": \"0 0 29 2 *\", \"enabled\": \"true\"}", 400,
				"enabled: expected true or false");
		// What the file system and the schedules table cannot hold is refused when saved,
		// not found out when a run fails.
		problem("{\"viewId\": \"all\", \"cron\": \"0 6 * * *\", \"destination\": \"" + "d".repeat(1024) + "\"}", 400,
				"destination: 1024 characters; at most 1000 are allowed");
		problem("{\"viewId\": \"all\", \"cron\": \"0 6 * * *\", \"destination\": \"bi/" + "d".repeat(256) + "\"}", 400,
				"destination: the folder name '" + "d".repeat(40) + "…' is longer than 255 bytes");
		problem("{\"viewId\": \"all\", \"cron\": \"0 6 * * *\", \"columns\": [\"id\", \"status\", \"id\"]}", 400,
				"columns[2]: 'id' is given twice");
		// A field the API does not know is refused, not dropped.
		problem("{\"viewId\": \"all\", \"cron\": \"0 6 * * *\", \"org\": \"other\"}", 400, "unknown field 'org'");
		problem("{\"viewId\": \"all\", \"cron\": \"" + "0 6 * * *".repeat(20) + "\"}", 400,
				"cron: 180 characters; at most 100 are allowed");
	}

	@Test
	void aCronOfARareDateStillFires() {
		JsonNode schedule = body(this.http.post()
			.uri("/api/v1/schedules")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"id\": \"leap-day\", \"viewId\": \"all\", \"cron\": \"0 0 29 2 *\", \"enabled\": false}")
			.exchange()
			.expectStatus()
			.isCreated());
		assertThat(schedule.get("cron").asString()).isEqualTo("0 0 29 2 *");
	}

	@Test
	void twoOrgsSchedulesOfOneIdDeliverEachIntoItsOwnFolder() throws IOException {
		String other = "other-" + this.run;
		ingest("default", String.join("\n", SearchFixture.conversations()));
		ingest(other, "{\"id\": \"theirs-" + this.run
				+ "\", \"platform\": \"sms\", \"startedAt\": \"2025-02-01T00:00:00Z\"}");
		String id = "same-" + this.run;
		for (String org : List.of("default", other)) {
			JsonNode schedule = body(this.http.post()
				.uri("/api/v1/schedules")
				.header(TestUsers.ORG, org)
				.contentType(MediaType.APPLICATION_JSON)
				.body("{\"id\": \"" + id + "\", \"viewId\": \"all\", \"cron\": \"0 6 * * *\", \"columns\": [\"id\"]}")
				.exchange()
				.expectStatus()
				.isCreated());
			assertThat(schedule.get("destination").asString()).isEqualTo(id);
			awaitRun(org, id, "completed");
		}

		String ours = csvs(this.dataDir.resolve("exports/default/scheduled/" + id));
		String theirs = csvs(this.dataDir.resolve("exports/" + other + "/scheduled/" + id));
		assertThat(ours).contains("s01").doesNotContain("theirs-" + this.run);
		assertThat(theirs).contains("theirs-" + this.run).doesNotContain("s01");
		assertThat(this.dataDir.resolve("exports/scheduled/" + id)).doesNotExist();
	}

	@Test
	void aDestinationThatLeadsOutOfTheOrgsFolderIsRefused() throws IOException {
		String other = "victim-" + this.run;
		Path theirs = Files.createDirectories(this.dataDir.resolve("exports/" + other + "/scheduled/bi"));
		Path ours = Files.createDirectories(this.dataDir.resolve("exports/default/scheduled"));
		Files.createSymbolicLink(ours.resolve("link-" + this.run), theirs);
		for (String destination : List.of("../../" + other + "/scheduled/bi", "/tmp/bi", "..", ".", "", "a/../../x",
				"link-" + this.run, "link-" + this.run + "/deeper")) {
			problem("{\"viewId\": \"all\", \"cron\": \"0 6 * * *\", \"destination\": \"" + destination + "\"}", 400,
					"destination '" + destination + "' must be a folder inside the org's folder");
		}

		// A link put in place after the schedule was saved is refused when it runs.
		String id = "later-" + this.run;
		this.http.post()
			.uri("/api/v1/schedules")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"id\": \"" + id + "\", \"viewId\": \"all\", \"cron\": \"0 6 * * *\", "
					+ "\"destination\": \"later-" + this.run + "\"}")
			.exchange()
			.expectStatus()
			.isCreated();
		Files.createSymbolicLink(ours.resolve("later-" + this.run), theirs);
		JsonNode failed = awaitRun("default", id, "failed");
		// A failed delivery is a failed export: no link, and the reason in words.
		assertThat(failed.get("error").asString()).contains("leads out of the org's folder")
			.contains("nothing was delivered");
		assertThat(failed.hasNonNull("downloadUrl")).isFalse();
		try (Stream<Path> files = Files.list(theirs)) {
			assertThat(files).isEmpty();
		}
	}

	@Test
	void aSchedulesOldDefaultDestinationIsMovedIntoItsOrgsFolder() throws IOException {
		String id = "legacy-" + this.run;
		this.jdbc.update("insert into archive_schedule (id, org, owner, name, view_id, cron, time_zone, columns_list, "
				+ "destination, enabled, source, created_at, updated_at) values (?, 'default', 'system', ?, 'all', "
				+ "'0 6 * * *', 'UTC', 'id', ?, false, 'api', current_timestamp, current_timestamp)", id, id,
				"exports/scheduled/" + id);
		this.jdbc
			.execute(new String(new ClassPathResource("db/migration/h2/V6__schedule_destinations_in_org_folders.sql")
				.getContentAsByteArray(), StandardCharsets.UTF_8));
		ingest("default", String.join("\n", SearchFixture.conversations()));
		awaitRun("default", id, "completed");
		assertThat(csvs(this.dataDir.resolve("exports/default/scheduled/" + id))).contains("s01");
	}

	@Test
	void aScheduledExportPlannedWithTheOldDefaultDestinationIsDeliveredIntoItsOrgsFolder() throws Exception {
		// Queued (or running) when the service was upgraded: its plan says where the old
		// default put it.
		String scheduleId = "queued-" + this.run;
		String exportId = UUID.randomUUID().toString();
		ExportPlan plan = new ExportPlan(List.of(org.conversationarchive.search.Filter.ALL),
				List.of(org.conversationarchive.conversation.Column.ID), null, null, "exports/scheduled/" + scheduleId,
				"");
		this.exportJobs.insert(new ExportJobs.Export(exportId, "default", "system", Exports.SCHEDULED, "Queued",
				this.json.writeValueAsString(plan), scheduleId + ".csv", null, null, null, 0, null, scheduleId,
				Instant.now(), null, null, false));
		this.jdbc
			.execute(new String(new ClassPathResource("db/migration/h2/V7__scheduled_export_plans_in_org_folders.sql")
				.getContentAsByteArray(), StandardCharsets.UTF_8));
		ingest("default", String.join("\n", SearchFixture.conversations()));

		// As the service restarts it.
		this.jobOperator.start(this.tableExportJob,
				new JobParametersBuilder().addString("exportId", exportId).toJobParameters());

		awaitExport("default", exportId, "completed");
		assertThat(csvs(this.dataDir.resolve("exports/default/scheduled/" + scheduleId))).contains("s01");
		assertThat(this.dataDir.resolve("exports/default/scheduled/exports")).doesNotExist();
	}

	@Test
	void aDownloadServesOnlyAFileInItsOrgsFolder() throws IOException {
		ingest("default", String.join("\n", SearchFixture.conversations()));
		JsonNode started = body(this.http.post()
			.uri("/api/v1/exports")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"filter\": {\"ids\": [\"s01\"]}}")
			.exchange()
			.expectStatus()
			.isAccepted());
		String exportId = started.get("id").asString();
		JsonNode job = awaitExport("default", exportId, "completed");
		String url = job.get("downloadUrl").asString();
		assertThat(download(url, 200)).contains("s01");

		// The export's file swapped for a link to another org's file: not served.
		Path secret = Files.createDirectories(this.dataDir.resolve("exports/secret-" + this.run)).resolve("rows.csv");
		Files.writeString(secret, "another org's rows");
		Path file;
		try (Stream<Path> files = Files.list(this.dataDir.resolve("exports/default/" + exportId))) {
			file = files.filter((each) -> each.toString().endsWith(".csv")).findFirst().orElseThrow();
		}
		Files.delete(file);
		Files.createSymbolicLink(file, secret);
		assertThat(download(url, 404)).doesNotContain("another org's rows");
	}

	@Test
	void aDeclaredScheduleIsLoadedAndChangedOnlyThroughItsFile() {
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> this.http.get()
				.uri("/api/v1/schedules/weekly-production")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.source")
				.isEqualTo("file")
				.jsonPath("$.viewId")
				.isEqualTo("production")
				.jsonPath("$.cron")
				.isEqualTo("0 7 * * 1"));
		this.http.put()
			.uri("/api/v1/schedules/weekly-production")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"enabled\": false}")
			.exchange()
			.expectStatus()
			.isBadRequest();
		this.http.delete().uri("/api/v1/schedules/weekly-production").exchange().expectStatus().isBadRequest();
	}

	@Test
	void aFiringIsClaimedOnce() {
		Instant fireTime = Instant.parse("2030-01-01T06:00:00Z");
		assertThat(this.schedules.claim("default", "claimed", fireTime, "export-1")).isTrue();
		assertThat(this.schedules.claim("default", "claimed", fireTime, "export-2")).isFalse();
	}

	private void ingest(String org, String ndjson) {
		this.http.post()
			.uri("/api/v1/conversations/_bulk?refresh=true")
			.header(TestUsers.ORG, org)
			.contentType(MediaType.parseMediaType("application/x-ndjson"))
			.body(ndjson + "\n")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.errors")
			.isEqualTo(false);
	}

	private JsonNode awaitRun(String org, String scheduleId, String status) {
		JsonNode started = body(this.http.post()
			.uri("/api/v1/schedules/{id}/run", scheduleId)
			.header(TestUsers.ORG, org)
			.exchange()
			.expectStatus()
			.isAccepted());
		return awaitExport(org, started.get("id").asString(), status);
	}

	private JsonNode awaitExport(String org, String exportId, String status) {
		JsonNode[] job = new JsonNode[1];
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
			job[0] = body(this.http.get()
				.uri("/api/v1/exports/{id}", exportId)
				.header(TestUsers.ORG, org)
				.exchange()
				.expectStatus()
				.isOk());
			String now = job[0].get("status").asString();
			return now.equals(status) || now.equals("completed") || now.equals("failed");
		});
		assertThat(job[0].get("status").asString()).as("export %s", job[0]).isEqualTo(status);
		return job[0];
	}

	private String download(String url, int status) {
		byte[] body = RestTestClient.bindToServer()
			.build()
			.get()
			.uri(url)
			.exchange()
			.expectStatus()
			.isEqualTo(status)
			.expectBody()
			.returnResult()
			.getResponseBody();
		return (body != null) ? new String(body, StandardCharsets.UTF_8) : "";
	}

	private static String csvs(Path folder) throws IOException {
		StringBuilder all = new StringBuilder();
		try (Stream<Path> files = Files.list(folder)) {
			for (Path file : files.filter((each) -> each.toString().endsWith(".csv")).toList()) {
				all.append(Files.readString(file));
			}
		}
		return all.toString();
	}

	private void problem(String body, int status, String detail) {
		this.http.post()
			.uri("/api/v1/schedules")
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.exchange()
			.expectStatus()
			.isEqualTo(status)
			.expectBody()
			.jsonPath("$.detail")
			.value(String.class, (actual) -> assertThat(actual).startsWith(detail));
	}

	private static long csvFiles(Path folder) throws IOException {
		if (!Files.isDirectory(folder)) {
			return 0;
		}
		try (Stream<Path> files = Files.list(folder)) {
			return files.filter((file) -> file.toString().endsWith(".csv")).count();
		}
	}

	private JsonNode body(RestTestClient.ResponseSpec response) {
		return this.json.readTree(response.expectBody().returnResult().getResponseBody());
	}

	private static Path declared() {
		try {
			Path folder = TestElasticsearch.temporaryDirectory("declared-schedules");
			Files.writeString(folder.resolve("weekly-production.json"), """
					{"name": "Production calls, every Monday", "viewId": "production", "cron": "0 7 * * 1",
					 "timeZone": "UTC", "destination": "exports/bi/weekly"}
					""");
			return folder;
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
