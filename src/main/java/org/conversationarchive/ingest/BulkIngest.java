package org.conversationarchive.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.conversationarchive.conversation.Conversation;
import org.conversationarchive.system.JsonProblems;
import org.conversationarchive.system.StorageUnavailableException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

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

	private final ConversationValidator validator;

	private final IngestSettings settings;

	private final JsonMapper json;

	BulkIngest(ConversationWriter writer, ConversationValidator validator, IngestSettings settings, JsonMapper json) {
		this.writer = writer;
		this.validator = validator;
		this.settings = settings;
		this.json = json;
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
			batch.add(line.number(), parse(line), line.size());
			if (batch.conversations.size() >= this.settings.batchSize() || batch.bytes >= MAX_BATCH_BYTES
					|| batch.results.size() >= 10 * this.settings.batchSize()) {
				results.accept(write(org, batch, refresh, reported));
				reported = true;
				batch = new Batch();
			}
		}
		results.accept(write(org, batch, refresh, reported));
	}

	private Parsed parse(NdjsonLines.Line line) {
		if (line.oversized()) {
			return Parsed.invalid(null, "line is " + line.size() + " bytes; at most "
					+ this.settings.maxLineSize().toBytes() + " bytes are allowed (archive.ingest.max-line-size)");
		}
		Conversation conversation;
		try {
			conversation = this.json.readValue(line.bytes(), Conversation.class);
		}
		catch (JacksonException ex) {
			return Parsed.invalid(idOf(line.bytes()), JsonProblems.describe(ex));
		}
		if (conversation == null) {
			return Parsed.invalid(null, "expected a JSON object, not null");
		}
		String problem = this.validator.problem(conversation);
		return (problem != null) ? Parsed.invalid(conversation.id(), problem) : Parsed.valid(conversation);
	}

	/**
	 * The id of a line that could not be read as a conversation, if it has one.
	 */
	private @Nullable String idOf(byte[] bytes) {
		try {
			var id = this.json.readTree(bytes).get("id");
			return (id != null && id.isString()) ? id.asString() : null;
		}
		catch (JacksonException ex) {
			return null;
		}
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

		void add(long number, Parsed parsed, long size) {
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

	private record Parsed(@Nullable Conversation conversation, @Nullable String id, @Nullable String error) {

		static Parsed valid(Conversation conversation) {
			return new Parsed(conversation, conversation.id(), null);
		}

		static Parsed invalid(@Nullable String id, String error) {
			return new Parsed(null, id, error);
		}

	}

}
