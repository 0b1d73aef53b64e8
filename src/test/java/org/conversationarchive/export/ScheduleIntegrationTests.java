package org.conversationarchive.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.TestElasticsearch;
import org.conversationarchive.search.SearchFixture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
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

	@Value("${archive.data-dir}")
	Path dataDir;

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
		assertThat(schedule.get("destination").asString()).isEqualTo("exports/scheduled/nightly-test");
		assertThat(schedule.get("nextRun").asString()).isNotBlank();

		Path folder = this.dataDir.resolve("exports/scheduled/nightly-test");
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
				"destination '../../etc' must be a folder under the data directory");
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
