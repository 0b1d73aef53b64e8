package org.conversationarchive.generator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.conversationarchive.conversation.Conversation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class GenerateCommandTests {

	private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();

	private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

	@TempDir
	Path directory;

	@Test
	void writesOneConversationPerLineThatReadsBack() throws IOException {
		Path out = this.directory.resolve("conversations.ndjson");
		assertThat(run("--count", "700", "--seed", "11", "--out", out.toString())).isZero();
		List<String> lines = Files.readAllLines(out);
		assertThat(lines).hasSize(700);
		JsonMapper json = JsonMapper.builder().build();
		ConversationGenerator generator = new ConversationGenerator(11, ConversationGenerator.Options.of(700));
		for (int i = 0; i < lines.size(); i++) {
			Conversation conversation = json.readValue(lines.get(i), Conversation.class);
			assertThat(conversation).isEqualTo(generator.conversation(i));
		}
		assertThat(lines.get(0)).doesNotContain("null").contains("\"startedAt\":\"20");
		assertThat(Files.readString(out)).endsWith("}\n");
		assertThat(this.stderr.toString(StandardCharsets.UTF_8)).startsWith("generated 700 conversations (seed 11")
			.contains(out.toString());
		assertThat(this.stdout.size()).isZero();
	}

	@Test
	void sameArgumentsWriteTheSameBytes() throws IOException {
		Path one = this.directory.resolve("one.ndjson");
		Path two = this.directory.resolve("two.ndjson");
		assertThat(run("--count", "1500", "--seed", "3", "--out", one.toString())).isZero();
		assertThat(run("--count=1500", "--seed=3", "--out=" + two)).isZero();
		assertThat(Files.mismatch(one, two)).isEqualTo(-1);
	}

	@Test
	void writesToStandardOutputWithoutOut() {
		assertThat(run("--count", "10", "--contact", "c-1", "--from", "2026-01-05", "--to", "2026-01-06")).isZero();
		String[] lines = this.stdout.toString(StandardCharsets.UTF_8).split("\n");
		assertThat(lines).hasSize(10);
		JsonMapper json = JsonMapper.builder().build();
		for (String line : lines) {
			Conversation conversation = json.readValue(line, Conversation.class);
			assertThat(conversation.contact().id()).isEqualTo("c-1");
			assertThat(conversation.startedAt()).isBetween(Instant.parse("2026-01-05T00:00:00Z"),
					Instant.parse("2026-01-06T23:59:59Z"));
		}
	}

	@Test
	void badArgumentsExitWithTwoAndSayWhy() {
		assertBad("--count is required");
		assertBad("--count is required", "--seed", "4");
		assertBad("--count 'many' is not a whole number", "--count", "many");
		assertBad("--count must be at least 0", "--count", "-5");
		assertBad("unknown option '--colour'", "--count", "5", "--colour", "red");
		assertBad("--seed needs a value", "--count", "5", "--seed");
		assertBad("unexpected argument 'now'", "now");
		assertBad("--from 'yesterday' is not an ISO-8601 instant", "--count", "5", "--from", "yesterday");
		assertBad("is after --to", "--count", "5", "--from", "2025-02-01", "--to", "2025-01-01");
		assertBad("--contacts must be at least 1", "--count", "5", "--contacts", "0");
		assertBad("cannot be used together", "--count", "5", "--contacts", "2", "--contact", "x");
	}

	@Test
	void unwritableOutputExitsWithOne() {
		assertThat(run("--count", "5", "--out", this.directory.resolve("missing/dir/x.ndjson").toString()))
			.isEqualTo(1);
		assertThat(this.stderr.toString(StandardCharsets.UTF_8)).contains("cannot write");
	}

	@Test
	void helpPrintsUsage() {
		assertThat(run("--help")).isZero();
		assertThat(this.stdout.toString(StandardCharsets.UTF_8)).startsWith("usage: generate --count N");
	}

	private void assertBad(String message, String... args) {
		this.stderr.reset();
		assertThat(run(args)).isEqualTo(2);
		assertThat(this.stderr.toString(StandardCharsets.UTF_8)).contains(message).contains("usage:");
	}

	private int run(String... args) {
		return GenerateCommand.run(args, new PrintStream(this.stdout, true, StandardCharsets.UTF_8),
				new PrintStream(this.stderr, true, StandardCharsets.UTF_8));
	}

}
