package org.conversationarchive.ingest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.conversationarchive.conversation.Conversation;
import org.conversationarchive.conversation.ConversationWriter;
import org.conversationarchive.conversation.Written;
import org.conversationarchive.ingest.BulkIngest.LineResult;
import org.conversationarchive.system.StorageUnavailableException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anySet;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * How a failing batch is answered: Elasticsearch being away is a {@code 503} to resend
 * later; a fault of the archive itself is said as such, never as "resend later".
 */
class BulkIngestTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final ConversationWriter writer = mock(ConversationWriter.class);

	private final ConversationParser parser = mock(ConversationParser.class);

	// One line a batch, one batch written at a time: the first is reported before the
	// second is written.
	private final BulkIngest ingest = new BulkIngest(this.writer, this.parser,
			new IngestSettings(1, DataSize.ofMegabytes(1), 1000, 100, 100, 1));

	@Test
	void elasticsearchAwayBeforeAnythingIsReportedIsAServiceUnavailable() throws IOException {
		parsesLines();
		given(this.writer.upsert(eq("acme"), anyList(), anySet())).willThrow(new IOException("Connection refused"));
		assertThatExceptionOfType(StorageUnavailableException.class).isThrownBy(() -> ingest("a"));
	}

	@Test
	void aFaultOfTheArchiveBeforeAnythingIsReportedIsThatFault() throws IOException {
		parsesLines();
		given(this.writer.upsert(eq("acme"), anyList(), anySet())).willThrow(new IllegalStateException("a bug"));
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> ingest("a")).withMessage("a bug");
	}

	@Test
	void aFaultOfTheArchiveAfterTheFirstResultsFailsItsLinesWithoutAskingToResendThem() throws IOException {
		parsesLines();
		given(this.writer.upsert(eq("acme"), anyList(), anySet())).willReturn(List.of(new Written("a", 201, null)))
			.willThrow(new IllegalStateException("a bug"))
			.willThrow(new IOException("Connection reset"));
		List<LineResult> results = ingest("a", "b", "c");
		assertThat(results).extracting((result) -> result.written().status()).containsExactly(201, 500, 503);
		assertThat(results.get(1).written().error()).containsPattern("\\(fault [0-9a-f]{8} in its log\\)")
			.contains("resending will not help")
			.doesNotContain("a bug");
		assertThat(results.get(2).written().error()).contains("resend this line");
	}

	@Test
	void aRefreshAskedForIsOneOfEveryIndexWrittenAfterEveryBatchIsWritten() throws IOException {
		parsesLines();
		List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
		given(this.writer.upsert(eq("acme"), anyList(), anySet())).willAnswer((invocation) -> {
			List<Conversation> batch = invocation.getArgument(1);
			java.util.Set<String> written = invocation.getArgument(2);
			// Each batch writes an index of its own: the last one's is not the others'.
			written.add("index-of-" + batch.get(0).id());
			events.add("wrote " + batch.get(0).id());
			return List.of(new Written(batch.get(0).id(), 201, null));
		});
		org.mockito.BDDMockito.willAnswer((invocation) -> {
			events.add("refreshed " + new java.util.TreeSet<>(invocation.<java.util.Collection<String>>getArgument(0)));
			return null;
		}).given(this.writer).refresh(any());
		assertThat(ingest(true, "a", "b", "c")).extracting((result) -> result.written().status())
			.containsExactly(201, 201, 201);
		assertThat(events).hasSize(4)
			.endsWith("refreshed [index-of-a, index-of-b, index-of-c]")
			.contains("wrote a", "wrote b", "wrote c");
	}

	@Test
	void storedButNotMadeSearchableIsAServiceUnavailableNotASuccess() throws IOException {
		parsesLines();
		given(this.writer.upsert(eq("acme"), anyList(), anySet())).willReturn(List.of(new Written("a", 201, null)));
		org.mockito.BDDMockito.willThrow(new IOException("Connection reset")).given(this.writer).refresh(any());
		assertThatExceptionOfType(StorageUnavailableException.class).isThrownBy(() -> ingest(true, "a"))
			.withMessageContaining("stored, but Elasticsearch could not make them searchable");
	}

	private void parsesLines() {
		given(this.parser.parse(any())).willAnswer((invocation) -> {
			NdjsonLines.Line line = invocation.getArgument(0);
			return ConversationParser.Parsed.valid(JSON.readValue(line.bytes(), Conversation.class));
		});
	}

	private List<LineResult> ingest(String... ids) throws IOException {
		return ingest(false, ids);
	}

	private List<LineResult> ingest(boolean refresh, String... ids) throws IOException {
		StringBuilder ndjson = new StringBuilder();
		for (String id : ids) {
			ndjson.append(IngestIntegrationTests.conversation(id, "2025-01-01T00:00:00Z", null, null)).append('\n');
		}
		List<LineResult> results = new ArrayList<>();
		this.ingest.ingest("acme", new ByteArrayInputStream(ndjson.toString().getBytes(StandardCharsets.UTF_8)),
				refresh, results::addAll);
		return results;
	}

}
