package org.conversationarchive.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.conversationarchive.conversation.Conversation;
import org.conversationarchive.system.StorageUnavailableException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Ingests NDJSON, one conversation a line, in batches: every good line is written, every
 * bad one is reported with its number and what is wrong with it. Memory holds one batch
 * at a time, whatever the size of the input.
 */
@Component
class BulkIngest {

	private static final Logger logger = LoggerFactory.getLogger(BulkIngest.class);

	private static final long MAX_BATCH_BYTES = 16L * 1024 * 1024;

	private final ConversationWriter writer;

	private final ConversationParser parser;

	private final IngestSettings settings;

	BulkIngest(ConversationWriter writer, ConversationParser parser, IngestSettings settings) {
		this.writer = writer;
		this.parser = parser;
		this.settings = settings;
	}

	/**
	 * The result of one input line.
	 *
	 * @param line 1-based line number
	 * @param written what became of it
	 */
	record LineResult(long line, Written written) {
	}

	/**
	 * Reads the input to its end, reporting each non-blank line's result in line order.
	 * @param org the org the conversations belong to
	 * @param input NDJSON
	 * @param refresh whether to wait until written conversations are searchable
	 * @param results receives each batch's results as soon as it is written
	 * @throws IOException when the input cannot be read
	 * @throws StorageUnavailableException when Elasticsearch cannot take the first batch:
	 * nothing was reported or stored, the whole request can be resent; once results have
	 * been reported, a failing batch's lines are reported as not stored (503) instead
	 */
	void ingest(String org, InputStream input, boolean refresh, Consumer<List<LineResult>> results) throws IOException {
		NdjsonLines lines = new NdjsonLines(input, this.settings.maxLineSize().toBytes());
		Batch batch = new Batch();
		boolean reported = false;
		NdjsonLines.Line line;
		while ((line = lines.next()) != null) {
			if (line.blank()) {
				continue;
			}
			batch.add(line.number(), this.parser.parse(line), line.size());
			if (batch.conversations.size() >= this.settings.batchSize() || batch.bytes >= MAX_BATCH_BYTES
					|| batch.results.size() >= 10 * this.settings.batchSize()) {
				// One wait for searchability at the end covers every batch.
				results.accept(write(org, batch, false, reported));
				reported = true;
				batch = new Batch();
			}
		}
		results.accept(write(org, batch, refresh, reported));
	}

	private List<LineResult> write(String org, Batch batch, boolean refresh, boolean reported) {
		if (!batch.conversations.isEmpty()) {
			List<Written> written;
			try {
				written = this.writer.upsert(org, batch.conversations, refresh);
			}
			catch (IOException | RuntimeException ex) {
				if (!reported) {
					throw new StorageUnavailableException("Elasticsearch cannot take the conversations now", ex);
				}
				logger.warn("A batch of {} conversations was not stored: {}", batch.conversations.size(),
						ex.toString());
				return batch.notStored();
			}
			for (int i = 0; i < written.size(); i++) {
				batch.results.set(batch.positions.get(i), new LineResult(batch.lines.get(i), written.get(i)));
			}
		}
		return batch.results;
	}

	private static final class Batch {

		final List<LineResult> results = new ArrayList<>();

		final List<Conversation> conversations = new ArrayList<>();

		final List<Integer> positions = new ArrayList<>();

		final List<Long> lines = new ArrayList<>();

		long bytes;

		void add(long number, ConversationParser.Parsed parsed, long size) {
			if (parsed.conversation() != null) {
				this.positions.add(this.results.size());
				this.lines.add(number);
				this.conversations.add(parsed.conversation());
				this.results.add(null);
				this.bytes += size;
			}
			else {
				this.results.add(new LineResult(number, Written.invalid(parsed.id(), String.valueOf(parsed.error()))));
			}
		}

		List<LineResult> notStored() {
			for (int i = 0; i < this.positions.size(); i++) {
				this.results.set(this.positions.get(i),
						new LineResult(this.lines.get(i), new Written(this.conversations.get(i).id(), 503,
								"Elasticsearch is not reachable; resend this line")));
			}
			return this.results;
		}

	}

}
