package org.conversationarchive.elasticsearch;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.conversationarchive.TestElasticsearch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Bad configuration of the embedded engine fails before anything is launched, with a
 * message that says what to set.
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
