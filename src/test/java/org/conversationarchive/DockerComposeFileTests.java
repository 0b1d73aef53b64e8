package org.conversationarchive;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code docker-compose.yml} is accepted by Compose ({@code docker compose config}, or
 * the older {@code docker-compose config}); skipped where neither is installed.
 */
class DockerComposeFileTests {

	@Test
	void composeAcceptsTheFile() throws Exception {
		List<String> compose = List.of(List.of("docker", "compose"), List.of("docker-compose"))
			.stream()
			.filter(DockerComposeFileTests::works)
			.findFirst()
			.orElse(null);
		assumeTrue(compose != null, "neither docker compose nor docker-compose is installed");

		Process config = new ProcessBuilder(concat(compose, "config", "--quiet")).redirectErrorStream(true).start();
		String output = new String(config.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(config.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(config.exitValue()).as(output).isZero();
	}

	private static boolean works(List<String> command) {
		try {
			Process version = new ProcessBuilder(concat(command, "version")).redirectErrorStream(true).start();
			version.getInputStream().readAllBytes();
			return version.waitFor(30, TimeUnit.SECONDS) && version.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static List<String> concat(List<String> command, String... arguments) {
		return java.util.stream.Stream.concat(command.stream(), java.util.Arrays.stream(arguments)).toList();
	}

}
