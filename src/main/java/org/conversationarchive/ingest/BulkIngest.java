package org.conversationarchive.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import org.conversationarchive.conversation.Conversation;
import org.conversationarchive.conversation.ConversationWriter;
import org.conversationarchive.conversation.Written;
import org.conversationarchive.system.StorageUnavailableException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Ingests NDJSON, one conversation a line, in batches: every good line is written, every
 * bad one is reported with its number and what is wrong with it. Memory holds a few
 * batches at a time, whatever the size of the input: the next is read and parsed while
 * the previous ones are written.
 */
@Component
class BulkIngest {

	private static final Logger logger = LoggerFactory.getLogger(BulkIngest.class);

	private static final long MAX_BATCH_BYTES = 16L * 1024 * 1024;

	private final ConversationWriter writer;

	private final ConversationParser parser;

	private final IngestSettings settings;

	private final ExecutorService writes = Executors.newVirtualThreadPerTaskExecutor();

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
	 * @param refresh whether to return only once every conversation stored is searchable
	 * @param results receives each batch's results as soon as it is written
	 * @throws IOException when the input cannot be read
	 * @throws StorageUnavailableException when Elasticsearch cannot take the first batch:
	 * nothing was reported or stored, the whole request can be resent; once results have
	 * been reported, a failing batch's lines are reported as not stored (503) instead.
	 * Any other failure of a batch is thrown as it is before the first results, and
	 * reported as its lines' 500 after them. Also when what was stored could not be made
	 * searchable, if that was asked for (resending replaces, never duplicates)
	 */
	void ingest(String org, InputStream input, boolean refresh, Consumer<List<LineResult>> results) throws IOException {
		NdjsonLines lines = new NdjsonLines(input, this.settings.maxLineSize().toBytes());
		Set<String> indices = ConcurrentHashMap.newKeySet();
		Pipeline pipeline = new Pipeline(org, results, indices);
		try {
			Batch batch = new Batch();
			NdjsonLines.Line line;
			while ((line = lines.next()) != null) {
				if (line.blank()) {
					continue;
				}
				batch.add(line.number(), this.parser.parse(line), line.size());
				if (batch.conversations.size() >= this.settings.batchSize() || batch.bytes >= MAX_BATCH_BYTES
						|| batch.results.size() >= 10 * this.settings.batchSize()) {
					pipeline.submit(batch);
					batch = new Batch();
				}
			}
			pipeline.submit(batch);
			pipeline.drainAll();
		}
		finally {
			pipeline.abandon();
		}
		if (refresh) {
			// Once every batch is written, one refresh of every index any of them wrote
			// to: a batch that waited for its own refresh covered only its own shards.
			try {
				this.writer.refresh(indices);
			}
			catch (IOException | RuntimeException ex) {
				if (!StorageUnavailableException.isUnavailability(ex)) {
					throw ex;
				}
				throw new StorageUnavailableException(
						"The conversations were stored, but Elasticsearch could not "
								+ "make them searchable now; resend the request (its lines replace, never duplicate)",
						ex);
			}
		}
	}

	/**
	 * Batches written while the next ones are read and parsed, a few at a time, their
	 * results reported in input order. A batch with an id that an unfinished one also has
	 * waits for it, so the last line for an id still wins.
	 */
	private final class Pipeline {

		private final String org;

		private final Consumer<List<LineResult>> results;

		private final Deque<InFlight> inFlight = new ArrayDeque<>();

		private final Set<String> indices;

		private boolean reported;

		Pipeline(String org, Consumer<List<LineResult>> results, Set<String> indices) {
			this.org = org;
			this.results = results;
			this.indices = indices;
		}

		void submit(Batch batch) {
			Set<String> ids = new HashSet<>();
			batch.conversations.forEach((conversation) -> ids.add(conversation.id()));
			if (this.inFlight.stream().anyMatch((other) -> !Collections.disjoint(other.ids(), ids))) {
				drainAll();
			}
			while (this.inFlight.size() >= BulkIngest.this.settings.parallelBatches()) {
				drainOne();
			}
			Future<List<Written>> written = batch.conversations.isEmpty() ? CompletableFuture.completedFuture(List.of())
					: BulkIngest.this.writes
						.submit(() -> BulkIngest.this.writer.upsert(this.org, batch.conversations, this.indices));
			this.inFlight.add(new InFlight(batch, ids, written));
			while (!this.inFlight.isEmpty() && this.inFlight.peek().written().isDone()) {
				drainOne();
			}
		}

		void drainAll() {
			while (!this.inFlight.isEmpty()) {
				drainOne();
			}
		}

		private void drainOne() {
			InFlight head = this.inFlight.poll();
			List<LineResult> batchResults;
			try {
				List<Written> written = head.written().get();
				Batch batch = head.batch();
				for (int i = 0; i < written.size(); i++) {
					batch.results.set(batch.positions.get(i), new LineResult(batch.lines.get(i), written.get(i)));
				}
				batchResults = batch.results;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new StorageUnavailableException("interrupted while writing", ex);
			}
			catch (ExecutionException ex) {
				Throwable cause = ex.getCause();
				boolean unavailable = StorageUnavailableException.isUnavailability(cause);
				if (!this.reported) {
					if (unavailable) {
						throw new StorageUnavailableException("Elasticsearch cannot take the conversations now", cause);
					}
					// A fault of this service is not Elasticsearch being away: it is
					// answered as the error it is, never as "resend later".
					throw (cause instanceof RuntimeException runtime) ? runtime
							: new IllegalStateException("writing a batch failed", cause);
				}
				if (unavailable) {
					logger.warn("A batch of {} conversations was not stored: {}", head.batch().conversations.size(),
							cause.toString());
					batchResults = head.batch().notStored(503, "Elasticsearch is not reachable; resend this line");
				}
				else {
					// The fault's details are for the operators' log, not for clients.
					String fault = UUID.randomUUID().toString().substring(0, 8);
					logger.error("A batch of {} conversations was not stored (fault {})",
							head.batch().conversations.size(), fault, cause);
					batchResults = head.batch()
						.notStored(500, "not stored: the archive failed to write it (fault " + fault
								+ " in its log); resending will not help until that is mended");
				}
			}
			this.results.accept(batchResults);
			this.reported = true;
		}

		/**
		 * Waits for writes still under way when the request ends early, so none is left
		 * running unseen.
		 */
		void abandon() {
			for (InFlight each : this.inFlight) {
				try {
					each.written().get();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				catch (ExecutionException ex) {
					// Its lines were not reported: the client resends them.
				}
			}
			this.inFlight.clear();
		}

	}

	private record InFlight(Batch batch, Set<String> ids, Future<List<Written>> written) {
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
				this.results.add(new LineResult(number,
						new Written(parsed.id(), parsed.status(), String.valueOf(parsed.error()))));
			}
		}

		List<LineResult> notStored(int status, String error) {
			for (int i = 0; i < this.positions.size(); i++) {
				this.results.set(this.positions.get(i),
						new LineResult(this.lines.get(i), new Written(this.conversations.get(i).id(), status, error)));
			}
			return this.results;
		}

	}

}
