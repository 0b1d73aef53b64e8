package org.conversationarchive.export;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.json.jackson.Jackson3JsonpMapper;
import org.conversationarchive.TestElasticsearch;
import org.conversationarchive.conversation.ConversationWalks;
import org.conversationarchive.conversation.TestConversationWalks;
import org.conversationarchive.system.Heartbeat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.infrastructure.item.ExecutionContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A sliced read of a point in time gives the very documents, in the very order, of an
 * unsliced one, and resumes from a saved position with any number of slices.
 */
class PitReaderIntegrationTests {

	static final String INDEX = "pit-reader-tests";

	static final int DOCUMENTS = 997;

	static final JsonMapper json = JsonMapper.builder().build();

	static ElasticsearchClient client;

	static ConversationWalks walks;

	record Doc(String id, Instant startedAt) {
	}

	@BeforeAll
	static void index() throws IOException {
		client = ElasticsearchClient
			.of((config) -> config.host(TestElasticsearch.uri()).jsonMapper(new Jackson3JsonpMapper(json)));
		walks = TestConversationWalks.on(client);
		client.indices().delete((delete) -> delete.index(INDEX).ignoreUnavailable(true));
		client.indices()
			.create((create) -> create.index(INDEX)
				.settings((settings) -> settings.numberOfShards("2").numberOfReplicas("0"))
				.mappings((mappings) -> mappings.properties("id", (id) -> id.keyword((keyword) -> keyword))
					.properties("startedAt", (startedAt) -> startedAt.date((date) -> date))));
		BulkRequest.Builder bulk = new BulkRequest.Builder().index(INDEX)
			.refresh(co.elastic.clients.elasticsearch._types.Refresh.True);
		Instant base = Instant.parse("2025-03-01T00:00:00Z");
		for (int i = 0; i < DOCUMENTS; i++) {
			// Many share a start: the order's tie-break (the id) must hold across slices
			// and points in time too.
			Doc doc = new Doc("c" + i, base.plusSeconds((i * 7919L) % 211));
			bulk.operations((op) -> op.index((index) -> index.id(doc.id()).document(doc)));
		}
		assertThat(client.bulk(bulk.build()).errors()).isFalse();
	}

	@AfterAll
	static void drop() throws IOException {
		client.indices().delete((delete) -> delete.index(INDEX).ignoreUnavailable(true));
		client.close();
	}

	@Test
	void slicedReadsGiveTheUnslicedOrder() throws IOException {
		String pit = open();
		List<String> unsliced = readAll(reader(pit, 1, new ExecutionContext()), Integer.MAX_VALUE);
		assertThat(unsliced).hasSize(DOCUMENTS).doesNotHaveDuplicates();
		assertThat(readAll(reader(pit, 2, new ExecutionContext()), Integer.MAX_VALUE)).isEqualTo(unsliced);
		assertThat(readAll(reader(pit, 3, new ExecutionContext()), Integer.MAX_VALUE)).isEqualTo(unsliced);
	}

	@Test
	void aSlicedReadResumesAfterItsSavedPositionWithAnyNumberOfSlices() throws IOException {
		String pit = open();
		List<String> whole = readAll(reader(pit, 1, new ExecutionContext()), Integer.MAX_VALUE);

		ExecutionContext saved = new ExecutionContext();
		PitReader<Doc> first = reader(pit, 3, saved);
		List<String> before = readAll(first, 400);
		first.update(saved);
		first.close();

		PitReader<Doc> second = reader(pit, 2, saved);
		List<String> after = readAll(second, Integer.MAX_VALUE);
		assertThat(second.handedOut()).isEqualTo(DOCUMENTS);

		List<String> joined = new ArrayList<>(before);
		joined.addAll(after);
		assertThat(before).hasSize(400);
		assertThat(joined).isEqualTo(whole);
	}

	@Test
	void aReadWhosePointInTimeIsGoneMidwayResumesOnAFreshOneWithEveryDocumentOnce() throws IOException {
		List<String> whole = readAll(reader(open(), 1, new ExecutionContext()), Integer.MAX_VALUE);

		PitReader<Doc> reader = reader(open(), 2, new ExecutionContext());
		List<String> read = readAll(reader, 400);
		// What a restarted engine or a lost node does to it.
		client.closePointInTime((close) -> close.id(reader.pit()));
		read.addAll(readAll(reader, Integer.MAX_VALUE));

		assertThat(read).isEqualTo(whole).hasSize(DOCUMENTS).doesNotHaveDuplicates();
		assertThat(reader.handedOut()).isEqualTo(DOCUMENTS);
		assertThat(reader.expected()).isEqualTo(DOCUMENTS);
	}

	@Test
	void aRestartFromASavedPositionWhosePointInTimeIsGoneReadsTheRestOnAFreshOne() throws IOException {
		List<String> whole = readAll(reader(open(), 1, new ExecutionContext()), Integer.MAX_VALUE);

		ExecutionContext saved = new ExecutionContext();
		String pit = open();
		PitReader<Doc> first = reader(pit, 2, saved);
		List<String> read = readAll(first, 400);
		first.update(saved);
		first.close();
		client.closePointInTime((close) -> close.id(pit));

		PitReader<Doc> restarted = reader(pit, 2, saved);
		read.addAll(readAll(restarted, Integer.MAX_VALUE));
		assertThat(read).isEqualTo(whole).hasSize(DOCUMENTS).doesNotHaveDuplicates();
		assertThat(restarted.handedOut()).isEqualTo(DOCUMENTS);
	}

	@Test
	void aShardThatStopsAnsweringFailsTheReadInsteadOfEndingItShort() throws IOException {
		String older = createOlderIndex();
		PitReader.Opener both = () -> client
			.openPointInTime((open) -> open.index(INDEX, older).keepAlive((time) -> time.time("2m")))
			.id();
		try {
			PitReader<Doc> reader = reader(both.open(), DOCUMENTS + 100, both, 2, new ExecutionContext());
			assertThat(readAll(reader, 300)).hasSize(300);
			// The newer documents come first: the older index's are still to read.
			client.indices().close((close) -> close.index(older));
			assertThatThrownBy(() -> readAll(reader, Integer.MAX_VALUE)).isInstanceOf(ExportFailure.class)
				.hasMessageContaining("index_closed_exception")
				.hasMessageContaining("nothing was published");
		}
		finally {
			client.indices().delete((delete) -> delete.index(older).ignoreUnavailable(true));
		}
	}

	@Test
	void aShardThatStopsAnsweringForAWhileIsWaitedForAndTheReadResumes() throws Exception {
		String older = createOlderIndex();
		PitReader.Opener both = () -> client
			.openPointInTime((open) -> open.index(INDEX, older).keepAlive((time) -> time.time("2m")))
			.id();
		try {
			List<String> whole = readAll(reader(both.open(), DOCUMENTS + 100, both, 1, new ExecutionContext()),
					Integer.MAX_VALUE);
			PitReader<Doc> reader = reader(both.open(), DOCUMENTS + 100, both, Duration.ofSeconds(30), 2,
					new ExecutionContext());
			List<String> read = readAll(reader, 300);
			// A lost node's shards, until their replicas serve them: failing pages, and
			// fresh points in time that cannot be opened.
			client.indices().close((close) -> close.index(older));
			Thread reopening = Thread.ofVirtual().start(() -> {
				try {
					Thread.sleep(Duration.ofSeconds(2));
					client.indices().open((open) -> open.index(older).waitForActiveShards((w) -> w.count(1)));
				}
				catch (InterruptedException | IOException ex) {
					throw new IllegalStateException(ex);
				}
			});
			read.addAll(readAll(reader, Integer.MAX_VALUE));
			reopening.join();
			assertThat(read).isEqualTo(whole).hasSize(DOCUMENTS + 100).doesNotHaveDuplicates();
			assertThat(reader.expected()).isEqualTo(DOCUMENTS + 100);
		}
		finally {
			client.indices().delete((delete) -> delete.index(older).ignoreUnavailable(true));
		}
	}

	@Test
	void aReadWaitingOutElasticsearchSaysItIsAliveAtLeastEverySecond() throws IOException {
		String gone = open();
		client.closePointInTime((close) -> close.id(gone));
		List<Long> beats = new CopyOnWriteArrayList<>();
		// Pauses of 250 ms doubling: the last ones, 1 and 2 s, are longer than a beat
		// apart.
		PitReader<Doc> reader = new PitReader<>(walks, json, gone, DOCUMENTS, () -> {
			throw new IOException("Connection refused");
		}, Duration.ofSeconds(4), () -> beats.add(System.nanoTime()), Query.of((query) -> query.matchAll((all) -> all)),
				List.of("id", "startedAt"), Doc.class, "2m", 50, 1);
		reader.open(new ExecutionContext());

		assertThatThrownBy(reader::read).isInstanceOf(ExportFailure.class)
			.hasMessageContaining("Elasticsearch could not read the whole snapshot");
		long longest = 0;
		for (int i = 1; i < beats.size(); i++) {
			longest = Math.max(longest, beats.get(i) - beats.get(i - 1));
		}
		assertThat(beats).hasSizeGreaterThanOrEqualTo(4);
		assertThat(Duration.ofNanos(longest)).isLessThan(Duration.ofMillis(1500));
	}

	@Test
	void aReadThatEndsWithOtherThanTheSnapshotsCountFails() throws IOException {
		PitReader<Doc> reader = reader(open(), DOCUMENTS + 1, PitReaderIntegrationTests::open, 2,
				new ExecutionContext());
		assertThatThrownBy(() -> readAll(reader, Integer.MAX_VALUE)).isInstanceOf(ExportFailure.class)
			.hasMessageContaining("Read " + DOCUMENTS + " rows where the snapshot held " + (DOCUMENTS + 1));
	}

	@Test
	void whatComesAfterAPositionIsCountedInTheOrder() throws IOException {
		String pit = open();
		List<String> whole = readAll(reader(pit, 1, new ExecutionContext()), Integer.MAX_VALUE);
		PitReader<Doc> reader = reader(pit, 1, new ExecutionContext());
		readAll(reader, 123);
		ExecutionContext saved = new ExecutionContext();
		reader.update(saved);
		List<FieldValue> position = new ArrayList<>();
		for (Object value : json.readValue(saved.getString("pit.after"), List.class)) {
			position.add((value instanceof Number number) ? FieldValue.of(number.longValue())
					: FieldValue.of(String.valueOf(value)));
		}
		long after = client.count((count) -> count.index(INDEX).query(PitReader.after(PitReader.ORDER, position)))
			.count();
		assertThat(after).isEqualTo(whole.size() - 123);
	}

	@Test
	void sortValuesCompareAsElasticsearchOrdersThem() {
		var descending = PitReader.comparator(PitReader.ORDER);
		assertThat(descending.compare(List.of(FieldValue.of(2), FieldValue.of(5)),
				List.of(FieldValue.of(1), FieldValue.of(1))))
			.isNegative();
		assertThat(descending.compare(List.of(FieldValue.of(2), FieldValue.of(5)),
				List.of(FieldValue.of(2), FieldValue.of(9))))
			.isNegative();
		assertThat(descending.compare(List.of(FieldValue.NULL, FieldValue.of(1)),
				List.of(FieldValue.of(1), FieldValue.of(9))))
			.as("a missing value sorts last")
			.isPositive();
		var ascending = PitReader.comparator(PitReader.ASCENDING);
		assertThat(ascending.compare(List.of(FieldValue.of(1), FieldValue.of(5)),
				List.of(FieldValue.of(2), FieldValue.of(1))))
			.isNegative();
		assertThat(ascending.compare(List.of(FieldValue.of(1), FieldValue.of("\uFFFF")),
				List.of(FieldValue.of(1), FieldValue.of("\uD83D\uDE00"))))
			.as("text in the order of its UTF-8 bytes, as keywords sort")
			.isNegative();
	}

	@Test
	void smallReadsAreNotSliced() {
		assertThat(PitReader.slicesFor(100, 1000, 4)).isEqualTo(1);
		assertThat(PitReader.slicesFor(1_000_000, 1000, 4)).isEqualTo(4);
	}

	/**
	 * A second index of 100 documents, older than the main one's: read last, newest
	 * first.
	 */
	private static String createOlderIndex() throws IOException {
		String older = INDEX + "-older";
		client.indices().delete((delete) -> delete.index(older).ignoreUnavailable(true));
		client.indices()
			.create((create) -> create.index(older)
				.settings((settings) -> settings.numberOfShards("1").numberOfReplicas("0"))
				.mappings((mappings) -> mappings.properties("id", (id) -> id.keyword((keyword) -> keyword))
					.properties("startedAt", (startedAt) -> startedAt.date((date) -> date))));
		BulkRequest.Builder bulk = new BulkRequest.Builder().index(older)
			.refresh(co.elastic.clients.elasticsearch._types.Refresh.True);
		for (int i = 0; i < 100; i++) {
			Doc doc = new Doc("o" + i, Instant.parse("2024-03-01T00:00:00Z").plusSeconds(i));
			bulk.operations((op) -> op.index((index) -> index.id(doc.id()).document(doc)));
		}
		assertThat(client.bulk(bulk.build()).errors()).isFalse();
		return older;
	}

	private static String open() throws IOException {
		return client.openPointInTime((open) -> open.index(INDEX).keepAlive((time) -> time.time("2m"))).id();
	}

	private static PitReader<Doc> reader(String pit, int slices, ExecutionContext context) {
		return reader(pit, DOCUMENTS, PitReaderIntegrationTests::open, slices, context);
	}

	private static PitReader<Doc> reader(String pit, long expected, PitReader.Opener opener, int slices,
			ExecutionContext context) {
		return reader(pit, expected, opener, Duration.ofSeconds(2), slices, context);
	}

	private static PitReader<Doc> reader(String pit, long expected, PitReader.Opener opener, Duration patience,
			int slices, ExecutionContext context) {
		// Small pages, so that every slice turns many pages.
		PitReader<Doc> reader = new PitReader<>(walks, json, pit, expected, opener, patience, Heartbeat.NONE,
				Query.of((query) -> query.matchAll((all) -> all)), List.of("id", "startedAt"), Doc.class, "2m", 50,
				slices);
		reader.open(context);
		return reader;
	}

	private static List<String> readAll(PitReader<Doc> reader, int most) throws IOException {
		List<String> ids = new ArrayList<>();
		Doc doc;
		while (ids.size() < most && (doc = reader.read()) != null) {
			ids.add(doc.id());
		}
		return ids;
	}

}
