package org.conversationarchive.elasticsearch;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.Refresh;
import org.conversationarchive.ConversationArchiveApplication;
import org.conversationarchive.TestElasticsearch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * The embedded default as {@code ./mvnw spring-boot:run} starts it: no external cluster,
 * so the service runs its own engine under the data directory, restarts it when it dies,
 * stops it on shutdown, and finds its data again on the next start.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddedModeIntegrationTests {

	static final String KEY = "embedded-mode-administrator-key";

	/**
	 * The archive the first test started again on its data, left running for the second
	 * to kill its engine: every start of an engine takes 20 to 40 s here. The second
	 * starts one of its own when run alone.
	 */
	private static Running running;

	@Test
	@Order(1)
	void runsItsOwnEngineAndKeepsTheDataAcrossRestarts() throws Exception {
		Path dataDir = TestElasticsearch.temporaryDirectory("archive-embedded");
		int port = TestElasticsearch.freePort();
		try {
			long pid;
			try (ConfigurableApplicationContext first = start(dataDir, port)) {
				Path pidFile = dataDir.resolve("elasticsearch/elasticsearch.pid");
				pid = Long.parseLong(Files.readString(pidFile).trim());
				ProcessHandle engine = ProcessHandle.of(pid).orElseThrow();
				if (new com.sun.security.auth.module.UnixSystem().getUid() == 0) {
					assertThat(engine.info().user()).contains("nobody");
				}
				ElasticsearchClient client = first.getBean(ElasticsearchClient.class);
				ArchiveIndices indices = first.getBean(ArchiveIndices.class);
				client.index((doc) -> doc.index(indices.conversations(2025))
					.id("default:kept")
					.routing("default")
					.refresh(Refresh.True)
					.withJson(new StringReader(
							"{\"org\":\"default\",\"id\":\"kept\",\"platform\":\"sms\",\"startedAt\":\"2025-06-01T00:00:00Z\"}")));
			}
			assertThat(ProcessHandle.of(pid)).isEmpty();

			running = new Running(start(dataDir, port), dataDir);
			ElasticsearchClient client = running.archive().getBean(ElasticsearchClient.class);
			ArchiveIndices indices = running.archive().getBean(ArchiveIndices.class);
			assertThat(client.count((count) -> count.index(indices.conversations())).count()).isEqualTo(1);
		}
		finally {
			if (running == null) {
				FileSystemUtils.deleteRecursively(dataDir);
			}
		}
	}

	@Test
	@Order(2)
	void restartsItsEngineWhenItDies() throws Exception {
		if (running == null) {
			Path dataDir = TestElasticsearch.temporaryDirectory("archive-engine-dies");
			running = new Running(start(dataDir, TestElasticsearch.freePort()), dataDir);
		}
		ConfigurableApplicationContext archive = running.archive();
		Path dataDir = running.dataDir();
		RestTestClient http = RestTestClient.bindToServer(new JdkClientHttpRequestFactory())
			.baseUrl("http://127.0.0.1:" + archive.getEnvironment().getProperty("local.server.port"))
			.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + KEY)
			.build();
		write(http, "before-death").expectStatus().isCreated();

		Instant killed = Instant.now();
		ProcessHandle engine = kill(dataDir);

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> http.get()
				.uri("/actuator/health")
				.exchange()
				.expectStatus()
				.isEqualTo(503)
				.expectBody()
				.jsonPath("$.components.elasticsearchEngine.status")
				.isEqualTo("DOWN")
				.jsonPath("$.components.elasticsearchEngine.description")
				.value(String.class, (description) -> assertThat(description).startsWith("restarting, attempt "))
				.jsonPath("$.components.elasticsearchEngine.details.lastExit")
				.value(String.class, (exit) -> assertThat(exit).startsWith("exit code 137")));
		// Refused, not acknowledged: the client sends it again later.
		write(http, "while-restarting").expectStatus().isEqualTo(503).expectHeader().exists("Retry-After");

		await().atMost(Duration.ofSeconds(60).minus(Duration.between(killed, Instant.now())))
			.pollInterval(Duration.ofMillis(500))
			.untilAsserted(() -> http.get()
				.uri("/actuator/health")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.components.elasticsearchEngine.details.restarts")
				.isEqualTo(1));
		assertThat(engine.isAlive()).isFalse();
		http.get().uri("/api/v1/conversations/before-death").exchange().expectStatus().isOk();
		write(http, "while-restarting").expectStatus().isCreated();
		assertThat(Duration.between(killed, Instant.now())).isLessThan(Duration.ofSeconds(60));
	}

	@AfterAll
	static void stopTheRunningArchive() throws IOException {
		if (running != null) {
			try {
				running.archive().close();
			}
			finally {
				FileSystemUtils.deleteRecursively(running.dataDir());
				running = null;
			}
		}
	}

	@Test
	void anUnreachableExternalClusterFailsTheStartWithWhatToSet(CapturedOutput output) {
		int closedPort = TestElasticsearch.freePort();
		assertThatException()
			.isThrownBy(() -> new SpringApplication(ConversationArchiveApplication.class).run("--server.port=0",
					"--spring.elasticsearch.uris=http://127.0.0.1:" + closedPort,
					"--archive.elasticsearch.startup-timeout=1s",
					"--archive.data-dir=" + TestElasticsearch.temporaryDirectory("archive-unreachable")))
			.havingRootCause()
			.isInstanceOf(EngineStartupException.class)
			.withMessageContaining("http://127.0.0.1:" + closedPort + " is not reachable");
		assertThat(output).contains("Action:").contains("Check SPRING_ELASTICSEARCH_URIS");
	}

	private static ConfigurableApplicationContext start(Path dataDir, int port) {
		// Writes wait to be searchable: at the next refresh, a moment here rather than
		// the production 5 s.
		return new SpringApplication(ConversationArchiveApplication.class).run("--server.port=0",
				"--archive.data-dir=" + dataDir, "--archive.elasticsearch.embedded.port=" + port,
				"--archive.demo.enabled=false", "--archive.security.bootstrap-key=" + KEY,
				"--archive.elasticsearch.refresh-interval=200ms");
	}

	record Running(ConfigurableApplicationContext archive, Path dataDir) {
	}

	private static RestTestClient.ResponseSpec write(RestTestClient http, String id) {
		return http.post()
			.uri("/api/v1/conversations")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"id\": \"" + id + "\", \"platform\": \"sms\", \"startedAt\": \"2025-06-01T00:00:00Z\"}")
			.exchange();
	}

	/**
	 * Kills the engine as the kernel's OOM killer would: the node named by its pid file,
	 * then the launcher this JVM started it with.
	 * @return the node that was killed
	 */
	private static ProcessHandle kill(Path dataDir) throws Exception {
		long pid = Long.parseLong(Files.readString(dataDir.resolve("elasticsearch/elasticsearch.pid")).trim());
		ProcessHandle node = ProcessHandle.of(pid).orElseThrow();
		ProcessHandle launcher = node.parent().orElseThrow();
		assertThat(launcher.parent().map(ProcessHandle::pid)).contains(ProcessHandle.current().pid());
		launcher.descendants().forEach(ProcessHandle::destroyForcibly);
		launcher.destroyForcibly();
		node.onExit().get(10, TimeUnit.SECONDS);
		return node;
	}

}
