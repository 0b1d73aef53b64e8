package org.conversationarchive.export;

import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.commons.csv.CSVRecord;
import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.ConversationArchiveApplication;
import org.conversationarchive.OrgApi;
import org.conversationarchive.TcpProxy;
import org.conversationarchive.TestElasticsearch;
import org.conversationarchive.conversation.Column;
import org.conversationarchive.search.Filter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two service instances on one engine and one PostgreSQL, as behind a balancer: each
 * schedule firing and each recovery of a dead instance's job happens once, an export
 * whose instance dies mid-way is taken over by the other from its last commit, and
 * contact counts stay exact while both ingest the same contacts. Runs where a PostgreSQL
 * answers at 127.0.0.1:5432 (the project's machines), in a schema of its own.
 */
@EnabledIf("postgresAvailable")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ArchiveIntegrationTest(properties = {
		"spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema="
				+ SeveralInstancesIntegrationTests.SCHEMA,
		"spring.datasource.username=postgres", "spring.datasource.password=",
		"spring.flyway.default-schema=" + SeveralInstancesIntegrationTests.SCHEMA,
		"archive.elasticsearch.index-prefix=" + SeveralInstancesIntegrationTests.PREFIX, "archive.jobs.stale-after=3s",
		"archive.exports.recovery=1s", "archive.jobs.recovery-interval=1s", "archive.exports.schedule-check=1s",
		"archive.exports.chunk-size=10", "archive.exports.read-slices=1", "archive.alerts.check-interval=1s" })
class SeveralInstancesIntegrationTests {

	static final String SCHEMA = "archive_several_instances_test";

	static final String PREFIX = "several-instances";

	private static final String POSTGRES = "127.0.0.1:5432";

	/**
	 * The other instance's way to the engine and to the database: cut, it is an instance
	 * that died (it can record nothing more anywhere).
	 */
	private final TcpProxy engineLine = new TcpProxy(URI.create(TestElasticsearch.uri()));

	private final TcpProxy databaseLine = new TcpProxy(URI.create("http://" + POSTGRES));

	@Autowired
	RestTestClient http;

	@Autowired
	JsonMapper json;

	@Autowired
	JobRepository repository;

	@Autowired
	ExportJobs jobs;

	@Autowired
	JdbcTemplate jdbc;

	private ConfigurableApplicationContext other;

	private RestTestClient otherHttp;

	static boolean postgresAvailable() {
		try (Connection connection = DriverManager.getConnection("jdbc:postgresql://" + POSTGRES + "/test", "postgres",
				"")) {
			return connection.isValid(2);
		}
		catch (SQLException ex) {
			return false;
		}
	}

	@BeforeAll
	static void freshSchema() throws SQLException {
		try (Connection connection = DriverManager.getConnection("jdbc:postgresql://" + POSTGRES + "/test", "postgres",
				""); Statement statement = connection.createStatement()) {
			statement.execute("drop schema if exists " + SCHEMA + " cascade");
		}
	}

	@BeforeAll
	void startTheOtherInstance() {
		Map<String, Object> properties = new HashMap<>();
		properties.put("spring.elasticsearch.uris", this.engineLine.uri());
		properties.put("spring.datasource.url",
				"jdbc:postgresql://127.0.0.1:" + port(this.databaseLine) + "/test?currentSchema=" + SCHEMA);
		properties.put("spring.datasource.username", "postgres");
		properties.put("spring.datasource.password", "");
		properties.put("spring.flyway.default-schema", SCHEMA);
		properties.put("archive.elasticsearch.index-prefix", PREFIX);
		properties.put("archive.jobs.stale-after", "3s");
		properties.put("archive.exports.recovery", "1s");
		properties.put("archive.jobs.recovery-interval", "1s");
		properties.put("archive.exports.schedule-check", "1s");
		properties.put("archive.exports.chunk-size", "10");
		properties.put("archive.exports.read-slices", "1");
		properties.put("archive.alerts.check-interval", "1s");
		properties.put("server.port", "0");
		this.other = new SpringApplicationBuilder(ConversationArchiveApplication.class)
			.initializers(new ArchiveIntegrationTest.SharedElasticsearch(),
					(context) -> context.getEnvironment()
						.getPropertySources()
						.addFirst(new MapPropertySource("otherInstance", properties)))
			.run();
		int otherPort = this.other.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
		this.otherHttp = RestTestClient.bindToServer()
			.baseUrl("http://localhost:" + otherPort)
			.defaultHeader("Authorization", "Bearer " + ArchiveIntegrationTest.ADMIN_KEY)
			.build();
	}

	@AfterAll
	void stopTheOtherInstance() {
		if (this.other != null && this.other.isActive()) {
			this.other.close();
		}
		this.engineLine.close();
		this.databaseLine.close();
	}

	@Test
	void aScheduleFiresOnceAtEachTimeWhicheverInstanceClaimsIt() {
		ingest(this.http, conversations("scheduled", 5, "scheduled", 5));
		this.http.post()
			.uri("/api/v1/schedules")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"id\": \"every-two-seconds\", \"name\": \"Both instances look\", \"viewId\": \"test\", "
					+ "\"cron\": \"*/2 * * * * *\", \"columns\": [\"id\"]}")
			.exchange()
			.expectStatus()
			.isCreated();
		try {
			await().atMost(Duration.ofSeconds(40))
				.pollInterval(Duration.ofMillis(500))
				.until(() -> this.jdbc.queryForObject(
						"select count(*) from archive_schedule_run where schedule_id = 'every-two-seconds'",
						Integer.class) >= 4);
		}
		finally {
			this.http.put()
				.uri("/api/v1/schedules/every-two-seconds")
				.contentType(MediaType.APPLICATION_JSON)
				.body("{\"enabled\": false}")
				.exchange()
				.expectStatus()
				.isOk();
		}
		List<Map<String, Object>> runs = this.jdbc.queryForList(
				"select fire_time, export_id from archive_schedule_run where schedule_id = 'every-two-seconds'");
		// One export per firing: the one instance that claimed it started it.
		assertThat(runs).extracting((run) -> run.get("fire_time")).doesNotHaveDuplicates();
		for (Map<String, Object> run : runs) {
			String exportId = (String) run.get("export_id");
			await().atMost(Duration.ofSeconds(30)).until(() -> status(exportId).equals("completed"));
		}
		assertThat(this.jdbc.queryForObject(
				"select count(*) from archive_export where id in (select export_id from archive_schedule_run "
						+ "where schedule_id = 'every-two-seconds')",
				Integer.class))
			.isEqualTo(runs.size());
	}

	@Test
	void anAlertsBreachIsToldOnceThoughBothInstancesEvaluateItEverySecond() {
		Instant now = Instant.now();
		List<String> calls = new ArrayList<>();
		for (int n = 0; n < 3; n++) {
			calls.add("{\"id\": \"alerting-" + n + "\", \"platform\": \"voice\", \"startedAt\": \""
					+ now.minusSeconds(600L * (n + 1)) + "\"}");
		}
		ingest(this.http, calls);
		String viewId = post(this.http, "/api/v1/views",
				"{\"name\": \"Voice calls\", \"filter\": {\"platforms\": [\"voice\"]}, \"scope\": \"org\"}")
			.get("id")
			.asString();
		String alertId = post(this.otherHttp, "/api/v1/alerts",
				"{\"name\": \"Many voice calls\", \"viewId\": \"" + viewId + "\", \"window\": \"PT1H\", \"above\": 2}")
			.get("id")
			.asString();
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> get(this.http, "/api/v1/alerts/" + alertId).get("state").asString().equals("breached"));
		// Evaluated again every second by both while it stays breached: told once.
		await().during(Duration.ofSeconds(4))
			.atMost(Duration.ofSeconds(10))
			.until(() -> get(this.otherHttp, "/api/v1/alerts/" + alertId + "/events").get("items").size() == 1);
		assertThat(get(this.http, "/api/v1/alerts/" + alertId + "/events").get("items").get(0).get("kind").asString())
			.isEqualTo("triggered");
		assertThat(this.jdbc.queryForObject("select count(*) from archive_notification where message like ?",
				Integer.class, "%Many voice calls%"))
			.isEqualTo(1);
	}

	@Test
	void aRuleFlagsEachConversationOnceWhileBothInstancesIngest() throws Exception {
		String ruleId = post(this.http, "/api/v1/rules",
				"{\"name\": \"Refunds\", \"filter\": {\"content\": {\"query\": \"refund\"}}, "
						+ "\"actions\": {\"flag\": {\"severity\": \"high\"}, \"tag\": {\"key\": \"Swept\", "
						+ "\"value\": \"refund\"}}, \"enabled\": true}")
			.get("id")
			.asString();
		List<String> here = new ArrayList<>();
		List<String> there = new ArrayList<>();
		List<String> expected = new ArrayList<>();
		for (int n = 0; n < 40; n++) {
			String id = "swept-" + n;
			String text = (n % 2 == 0) ? "I want a refund" : "Where is my parcel";
			if (n % 2 == 0) {
				expected.add(id);
			}
			Instant started = Instant.parse("2025-04-01T00:00:00Z").plusSeconds(60L * n);
			((n % 4 < 2) ? here : there).add("{\"id\": \"" + id + "\", \"platform\": \"web\", \"startedAt\": \""
					+ started + "\", \"messages\": [{\"at\": \"" + started
					+ "\", \"senderType\": \"user\", \"text\": \"" + text + "\"}]}");
		}
		try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
			Future<?> ours = threads.submit(() -> ingest(this.http, here));
			Future<?> theirs = threads.submit(() -> ingest(this.otherHttp, there));
			ours.get();
			theirs.get();
		}
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
			JsonNode page = get(this.http, "/api/v1/conversations?tag=Swept:refund&size=100");
			List<String> swept = new ArrayList<>();
			page.get("items").forEach((row) -> swept.add(row.get("id").asString()));
			assertThat(swept).containsExactlyInAnyOrderElementsOf(expected);
		});
		for (String id : expected) {
			JsonNode flags = get(this.otherHttp, "/api/v1/conversations/" + id + "/flags");
			int byRule = 0;
			for (JsonNode flag : flags.get("history")) {
				byRule += ruleId.equals(flag.path("ruleId").asString("")) ? 1 : 0;
			}
			assertThat(byRule).as(id).isEqualTo(1);
		}
	}

	@Test
	void aJobLeftByADeadInstanceIsRestartedOnceThoughEveryInstanceLooks() {
		ingest(this.http, conversations("recovered", 15, "recovered", 15));
		String id = UUID.randomUUID().toString();
		ExportPlan plan = new ExportPlan(List.of(Filter.ALL), Column.ALL, null, null, null, "http://localhost");
		this.jobs.insert(new ExportJobs.Export(id, "default", "api-key:bootstrap", Exports.TABLE, "Left running",
				this.json.writeValueAsString(plan), "left-running.csv", null, null, null, 0, null, null, Instant.now(),
				null, null, false));
		JobParameters parameters = new JobParametersBuilder().addString("exportId", id).toJobParameters();
		JobInstance instance = this.repository.createJobInstance(TableExportJobConfiguration.JOB, parameters);
		JobExecution left = this.repository.createJobExecution(instance, parameters, new ExecutionContext());
		left.setStatus(BatchStatus.STARTED);
		left.setStartTime(LocalDateTime.now());
		this.repository.update(left);

		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> status(id).equals("completed"));
		long total = count(this.http);
		assertThat(this.jobs.find(id).orElseThrow().rowCount()).isEqualTo(total);
		// Both instances found it stale; one restarted it.
		await().during(Duration.ofSeconds(4))
			.atMost(Duration.ofSeconds(10))
			.until(() -> this.repository.getJobExecutions(instance).size() == 2);
	}

	@Test
	void anExportWhoseInstanceDiesIsTakenOverFromItsLastCommit() throws IOException {
		int conversations = 400;
		ingest(this.http, conversations("taken-over", conversations, "taken-over", 40));
		long total = count(this.http);
		// The other instance answers slowly, so that it dies half-way.
		this.engineLine.delay(Duration.ofMillis(150));
		String id = this.json
			.readTree(this.otherHttp.post()
				.uri("/api/v1/exports")
				.contentType(MediaType.APPLICATION_JSON)
				.body("{\"filter\": {}, \"columns\": [\"id\", \"status\"]}")
				.exchange()
				.expectStatus()
				.isAccepted()
				.expectBody()
				.returnResult()
				.getResponseBody())
			.get("id")
			.asString();
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> this.jobs.find(id).map(ExportJobs.Export::done).orElse(0L), (done) -> done >= 50);
		// Killed: it reaches neither the engine nor the database any more.
		this.engineLine.close();
		this.databaseLine.close();
		this.other.close();

		// The dead instance's threads fail as they find it gone: not this test's concern.
		await().dontCatchUncaughtExceptions()
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> status(id).equals("completed"));
		ExportJobs.Export export = this.jobs.find(id).orElseThrow();
		assertThat(export.rowCount()).isEqualTo(total);
		JsonNode job = this.json.readTree(this.http.get()
			.uri("/api/v1/exports/{id}", id)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody());
		// Behind a balancer both instances answer at one address: the link the dead
		// instance made is asked of this one.
		URI link = URI.create(job.get("downloadUrl").asString());
		List<CSVRecord> rows = ExportIntegrationTests.csv(this.http.get()
			.uri(link.getRawPath())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody());
		assertThat(rows).hasSize((int) total + 1);
		assertThat(rows.subList(1, rows.size())).extracting((row) -> row.get(0)).doesNotHaveDuplicates();
		// Taken over where the dead instance's last commit left it, not from the start.
		JobInstance instance = this.repository.getJobInstance(TableExportJobConfiguration.JOB,
				new JobParametersBuilder().addString("exportId", id).toJobParameters());
		JobExecution last = this.repository.getLastJobExecution(instance);
		assertThat(this.repository.getJobExecutions(instance)).hasSizeGreaterThan(1);
		long readOnTakeOver = last.getStepExecutions().stream().mapToLong(StepExecution::getReadCount).sum();
		assertThat(readOnTakeOver).isPositive().isLessThan(total);
	}

	@Test
	void contactCountsStayExactWhileBothInstancesIngestTheSameContacts() throws Exception {
		// Each contact ends with the exact limit's 10 conversations, stored as they are.
		int contacts = 12;
		int perInstance = 60;
		List<String> here = conversations("counted-a", perInstance, "counted", contacts);
		List<String> there = conversations("counted-b", perInstance, "counted", contacts);
		try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
			List<Future<?>> writes = new ArrayList<>();
			for (int from = 0; from < perInstance; from += 10) {
				List<String> ours = here.subList(from, from + 10);
				List<String> theirs = there.subList(from, from + 10);
				writes.add(threads.submit(() -> ingest(this.http, ours)));
				writes.add(threads.submit(() -> ingest(this.otherHttp, theirs)));
			}
			for (Future<?> write : writes) {
				write.get();
			}
		}
		int each = 2 * perInstance / contacts;
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
			for (int n = 0; n < perInstance; n += 7) {
				for (String prefix : List.of("counted-a", "counted-b")) {
					String body = this.http.get()
						.uri("/api/v1/conversations/{id}", prefix + "-" + n)
						.exchange()
						.expectStatus()
						.isOk()
						.expectBody(String.class)
						.returnResult()
						.getResponseBody();
					assertThat(body).as(prefix + "-" + n).contains("\"contactConversationCount\":" + each);
				}
			}
		});
		// And the Repeat contacts filter finds them all by that count.
		assertThat(count(this.http, "repeatMin=" + each + "&repeatMax=" + each)).isEqualTo(2L * perInstance);
	}

	/**
	 * Conversations {@code <prefix>-<n>} in 2025, taking turns among {@code contacts}
	 * contacts of a group.
	 */
	private static List<String> conversations(String prefix, int count, String group, int contacts) {
		List<String> lines = new ArrayList<>();
		for (int n = 0; n < count; n++) {
			Instant started = Instant.parse("2025-03-01T00:00:00Z").plusSeconds(60L * n);
			String contact = group + "-" + (n % contacts);
			lines.add("{\"id\": \"" + prefix + "-" + n + "\", \"platform\": \"web\", \"status\": \"completed\", "
					+ "\"startedAt\": \"" + started + "\", \"contact\": {\"id\": \"" + contact
					+ "\", \"name\": \"Sam\"}, \"messages\": [{\"at\": \"" + started
					+ "\", \"senderType\": \"user\", \"text\": \"Hello number " + n + "\"}]}");
		}
		return lines;
	}

	private void ingest(RestTestClient client, List<String> lines) {
		api(client).bulk(String.join("\n", lines) + "\n");
	}

	private JsonNode post(RestTestClient client, String path, String body) {
		return api(client).post(path, body, 201);
	}

	private JsonNode get(RestTestClient client, String path) {
		return api(client).get(path);
	}

	private String status(String exportId) {
		return get(this.http, "/api/v1/exports/" + exportId).get("status").asString();
	}

	private long count(RestTestClient client) {
		return count(client, "size=1");
	}

	private long count(RestTestClient client, String query) {
		return get(client, "/api/v1/conversations?" + query).get("total").asLong();
	}

	/**
	 * Org {@code default}'s API through one instance, as its bootstrap administrator.
	 */
	private OrgApi api(RestTestClient client) {
		return new OrgApi(client, this.json, "default");
	}

	private static int port(TcpProxy proxy) {
		return URI.create(proxy.uri()).getPort();
	}

}
