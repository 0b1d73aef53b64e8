package org.conversationarchive.platform;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SimulateCommandTests {

	static final String SECRET = "a-secret-of-enough-length";

	private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();

	private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

	@Test
	void badArgumentsAreNamedWithTheUsage() {
		assertThat(run("--archive", "http://localhost:8080", "--key", "k")).isEqualTo(2);
		assertThat(errors()).contains("--archive, --key and --secret are required").contains("usage: simulate");
		assertThat(errors(run("--archive", "localhost:8080", "--key", "k", "--secret", SECRET)))
			.contains("--archive 'localhost:8080' must be an http or https URL");
		assertThat(errors(run("--archive", "http://localhost:8080", "--key", "k", "--secret", "short")))
			.contains("--secret must be 16 to 200 characters, not 5");
		assertThat(errors(run("--speed", "0"))).contains("--speed must be above 0");
		assertThat(errors(run("--speed", "fast"))).contains("--speed 'fast' is not a number");
		assertThat(errors(run("--concurrent", "0"))).contains("--concurrent must be from 1 to 1000, not 0");
		assertThat(errors(run("--port", "70000"))).contains("--port must be from 0 to 65535");
		assertThat(errors(run("--count", "-1"))).contains("--count must be from 0");
		assertThat(errors(run("--volume", "11"))).contains("unknown option '--volume'");
		assertThat(errors(run("--seed"))).contains("--seed needs a value");
	}

	@Test
	void helpIsTheUsage() {
		assertThat(run("--help")).isZero();
		assertThat(this.stdout.toString(StandardCharsets.UTF_8)).contains("--concurrent N").contains("--speed X");
	}

	@Test
	void anArchiveThatCannotBeReachedIsNamed() throws Exception {
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		assertThat(run("--archive", "http://127.0.0.1:" + port, "--key", "k", "--secret", SECRET)).isEqualTo(1);
		assertThat(errors()).contains("cannot reach the archive at http://127.0.0.1:" + port);
	}

	@Test
	void playsItsCountIntoTheArchiveAndTellsHowToPointTheArchiveAtIt() {
		try (FakeArchive archive = new FakeArchive()) {
			// Seed 11 starts with a call that ends as generated, in a second or two at
			// this speed.
			assertThat(run("--archive", archive.url(), "--key", FakeArchive.KEY, "--secret", SECRET, "--port", "0",
					"--count", "1", "--speed", "50", "--seed", "11"))
				.isZero();
			String out = this.stdout.toString(StandardCharsets.UTF_8);
			assertThat(out).containsPattern("takes actions at http://127\\.0\\.0\\.1:\\d+/actions")
				.contains("PUT " + archive.url() + "/api/v1/gateway/platform")
				.contains("ARCHIVE_GATEWAY_ALLOW_PRIVATE_ADDRESSES=true")
				.contains("Played 1 conversations.")
				.doesNotContain(SECRET);
			assertThat(errors()).contains("playing conv-");
			FakeArchive.Write last = archive.writes().getLast();
			assertThat(last.replace()).isTrue();
			assertThat(last.body().get("status").asString()).isEqualTo("completed");
		}
	}

	private int run(String... args) {
		this.stderr.reset();
		return SimulateCommand.run(args, new PrintStream(this.stdout, true, StandardCharsets.UTF_8),
				new PrintStream(this.stderr, true, StandardCharsets.UTF_8));
	}

	private String errors(int status) {
		assertThat(status).isEqualTo(2);
		return errors();
	}

	private String errors() {
		return this.stderr.toString(StandardCharsets.UTF_8);
	}

}
