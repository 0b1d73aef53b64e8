package org.conversationarchive.ingest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NdjsonLinesTests {

	@Test
	void numbersEveryLineIncludingBlankOnesAndDropsLineBreaks() throws IOException {
		List<NdjsonLines.Line> lines = read("{\"a\":1}\r\n\n  \n{\"b\":2}", 100);
		assertThat(lines).extracting(NdjsonLines.Line::number).containsExactly(1L, 2L, 3L, 4L);
		assertThat(text(lines.get(0))).isEqualTo("{\"a\":1}");
		assertThat(lines.get(1).blank()).isTrue();
		assertThat(lines.get(2).blank()).isTrue();
		assertThat(text(lines.get(3))).isEqualTo("{\"b\":2}");
	}

	@Test
	void aTrailingLineBreakEndsTheInput() throws IOException {
		assertThat(read("{}\n", 100)).hasSize(1);
		assertThat(read("", 100)).isEmpty();
	}

	@Test
	void anOversizedLineIsSkippedToItsEndWithoutBeingHeld() throws IOException {
		String big = "x".repeat(200_000);
		List<NdjsonLines.Line> lines = read("{}\n" + big + "\n{\"after\":true}\n", 1000);
		assertThat(lines).hasSize(3);
		assertThat(lines.get(1).oversized()).isTrue();
		assertThat(lines.get(1).size()).isEqualTo(200_000);
		assertThat(text(lines.get(2))).isEqualTo("{\"after\":true}");
	}

	@Test
	void linesSpanningReadBuffersAreWhole() throws IOException {
		String line = "y".repeat(150_000);
		// A stream that hands out a few bytes at a time.
		InputStream trickle = new ByteArrayInputStream((line + "\n" + line).getBytes(StandardCharsets.UTF_8)) {
			@Override
			public synchronized int read(byte[] b, int off, int len) {
				return super.read(b, off, Math.min(len, 7));
			}
		};
		NdjsonLines lines = new NdjsonLines(trickle, 1_000_000);
		assertThat(text(lines.next())).isEqualTo(line);
		assertThat(text(lines.next())).isEqualTo(line);
		assertThat(lines.next()).isNull();
	}

	private static List<NdjsonLines.Line> read(String input, long max) throws IOException {
		NdjsonLines lines = new NdjsonLines(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), max);
		List<NdjsonLines.Line> all = new ArrayList<>();
		NdjsonLines.Line line;
		while ((line = lines.next()) != null) {
			all.add(line);
		}
		return all;
	}

	private static String text(NdjsonLines.Line line) {
		return new String(line.bytes(), StandardCharsets.UTF_8);
	}

}
