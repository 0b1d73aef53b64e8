package org.conversationarchive.elasticsearch;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.conversationarchive.TestElasticsearch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Bad configuration of the embedded engine fails before anything is launched, with a
 * message that says what to set; a node an earlier run left behind is stopped, and only
 * that node.
 */
class ElasticsearchEngineTests {

	@TempDir
	Path temp;

	@Test
	void missingDistributionSaysHowToGetOne() {
		assertThatExceptionOfType(EngineStartupException.class)
			.isThrownBy(() -> ElasticsearchEngine.start(options(this.temp.resolve("nothing-here"), javaHome(), 0)))
			.withMessageContaining("No Elasticsearch distribution at")
			.satisfies((ex) -> org.assertj.core.api.Assertions.assertThat(ex.action())
				.contains("ARCHIVE_ELASTICSEARCH_EMBEDDED_DISTRIBUTION")
				.contains("SPRING_ELASTICSEARCH_URIS"));
	}

	@Test
	void javaOlderThan21IsRefused() throws IOException {
		Path java17 = this.temp.resolve("jdk17");
		Files.createDirectories(java17.resolve("bin"));
		Files.writeString(java17.resolve("release"), "JAVA_VERSION=\"17.0.15\"\n");
		Path java = Files.createFile(java17.resolve("bin/java"));
		java.toFile().setExecutable(true);

		assertThatExceptionOfType(EngineStartupException.class)
			.isThrownBy(() -> ElasticsearchEngine.start(options(distribution(), java17, 0)))
			.withMessageContaining("needs Java 21 or newer")
			.withMessageContaining("is Java 17")
			.satisfies((ex) -> org.assertj.core.api.Assertions.assertThat(ex.action())
				.contains("ARCHIVE_ELASTICSEARCH_EMBEDDED_JAVA_HOME"));
	}

	@Test
	void aJavaHomeThatIsNoJdkIsRefused() {
		assertThatExceptionOfType(EngineStartupException.class)
			.isThrownBy(() -> ElasticsearchEngine.start(options(distribution(), this.temp, 0)))
			.withMessageContaining("of an unknown version");
	}

	@Test
	void portInUseSaysWhichSettingToChange() throws IOException {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			assertThatExceptionOfType(EngineStartupException.class)
				.isThrownBy(() -> ElasticsearchEngine.start(options(distribution(), javaHome(), taken.getLocalPort())))
				.withMessageContaining("Port " + taken.getLocalPort() + " on 127.0.0.1 is already in use")
				.satisfies((ex) -> org.assertj.core.api.Assertions.assertThat(ex.action())
					.contains("ARCHIVE_ELASTICSEARCH_EMBEDDED_PORT"));
		}
	}

	@Test
	void aPidFileLeftByAKilledEngineNeverStopsAnotherProcess() throws Exception {
		// The pid was written long before this process started: the number was reused.
		Process stranger = namedElasticsearch();
		Path pidFile = Files.createDirectories(this.temp.resolve("home")).resolve("elasticsearch.pid");
		Files.writeString(pidFile, Long.toString(stranger.pid()));
		Files.setLastModifiedTime(pidFile, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			assertThatExceptionOfType(EngineStartupException.class)
				.isThrownBy(() -> ElasticsearchEngine.start(options(distribution(), javaHome(), taken.getLocalPort())));
			assertThat(stranger.isAlive()).isTrue();
		}
		finally {
			stranger.destroyForcibly();
		}
	}

	@Test
	void anEngineLeftRunningByAKilledArchiveIsStopped() throws Exception {
		Process orphan = namedElasticsearch();
		Thread.sleep(1100);
		Path pidFile = Files.createDirectories(this.temp.resolve("home")).resolve("elasticsearch.pid");
		Files.writeString(pidFile, Long.toString(orphan.pid()));
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			assertThatExceptionOfType(EngineStartupException.class)
				.isThrownBy(() -> ElasticsearchEngine.start(options(distribution(), javaHome(), taken.getLocalPort())));
			assertThat(orphan.waitFor(10, TimeUnit.SECONDS)).isTrue();
		}
		finally {
			orphan.destroyForcibly();
		}
	}

	/**
	 * A process whose command line says "elasticsearch", as a node's does.
	 */
	private Process namedElasticsearch() throws IOException {
		Path sleep = this.temp.resolve("elasticsearch-stand-in");
		if (!Files.exists(sleep)) {
			Files.copy(Path.of("/bin/sleep"), sleep);
			sleep.toFile().setExecutable(true);
		}
		return new ProcessBuilder(sleep.toString(), "600").start();
	}

	private ElasticsearchEngine.Options options(Path distribution, Path javaHome, int port) {
		return new ElasticsearchEngine.Options(distribution, javaHome, this.temp.resolve("home"), port, "256m",
				"nobody", Duration.ofSeconds(5));
	}

	private static Path distribution() {
		return TestElasticsearch.distribution();
	}

	private static Path javaHome() {
		return Path.of(System.getProperty("java.home"));
	}

}
