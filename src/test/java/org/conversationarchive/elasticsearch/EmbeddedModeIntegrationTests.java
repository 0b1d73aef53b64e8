package org.conversationarchive.elasticsearch;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.Refresh;
import org.conversationarchive.ConversationArchiveApplication;
import org.conversationarchive.TestElasticsearch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The embedded default as {@code ./mvnw spring-boot:run} starts it: no external cluster,
 * so the service runs its own engine under the data directory, stops it on shutdown, and
 * finds its data again on the next start.
 */
@ExtendWith(OutputCaptureExtension.class)
class EmbeddedModeIntegrationTests {

	@Test
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

			try (ConfigurableApplicationContext second = start(dataDir, port)) {
				ElasticsearchClient client = second.getBean(ElasticsearchClient.class);
				ArchiveIndices indices = second.getBean(ArchiveIndices.class);
				assertThat(client.count((count) -> count.index(indices.conversations())).count()).isEqualTo(1);
			}
		}
		finally {
			FileSystemUtils.deleteRecursively(dataDir);
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
		return new SpringApplication(ConversationArchiveApplication.class).run("--server.port=0",
				"--archive.data-dir=" + dataDir, "--archive.elasticsearch.embedded.port=" + port,
				"--archive.demo.enabled=false");
	}

}
