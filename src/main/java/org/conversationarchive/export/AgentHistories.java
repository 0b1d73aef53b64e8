package org.conversationarchive.export;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import org.conversationarchive.conversation.Conversation.Message;
import org.conversationarchive.conversation.ConversationDocument;
import org.conversationarchive.conversation.ConversationWalks;
import org.conversationarchive.conversation.Platform;
import org.conversationarchive.conversation.SenderType;
import org.conversationarchive.system.Heartbeat;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * An agent's conversation history for a year, as the seed's "Download Conversations"
 * gives it: a zip with one CSV of {@code Sender type, Channel type, Sender name, Time in
 * GMT, Message, Data}, one row per message of every conversation the agent handled that
 * year (UTC), in time order.
 * <p>
 * The year is one index. Conversations are read in order of their start from a point in
 * time; their messages wait in a heap until no conversation still to come can have an
 * earlier one (every message of a later conversation comes after its start), so rows
 * leave in time order while memory holds only the conversations open at the same time.
 * Compression runs on its own thread, beside the reading.
 */
@Component
class AgentHistories {

	static final List<String> HEADER = List.of("Sender type", "Channel type", "Sender name", "Time in GMT", "Message",
			"Data");

	private static final DateTimeFormatter GMT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
		.withZone(ZoneOffset.UTC);

	private static final List<String> FIELDS = List.of("id", "platform", "contact", "agent", "startedAt", "messages");

	private static final int PAGE = 500;

	private static final int BUFFER = 256 * 1024;

	private final ConversationWalks walks;

	private final ExportJobs jobs;

	private final ExportRuns runs;

	private final JsonMapper json;

	private final ExportSettings settings;

	AgentHistories(ConversationWalks walks, ExportJobs jobs, ExportRuns runs, JsonMapper json,
			ExportSettings settings) {
		this.walks = walks;
		this.jobs = jobs;
		this.runs = runs;
		this.json = json;
		this.settings = settings;
	}

	/**
	 * Writes the history zip of an export and publishes it. Run again after a crash, it
	 * starts over on a fresh point in time: the zip is written whole or not at all. A
	 * point in time lost midway is replaced by a fresh one, read after the last
	 * conversation read ({@link PitReader}).
	 * @param exportId the export
	 * @param heartbeat told that the export is alive as it reads
	 * @throws IOException when Elasticsearch or the disk fails
	 */
	void write(String exportId, Heartbeat heartbeat) throws IOException {
		ExportJobs.Export export = this.runs.export(exportId);
		ExportPlan plan = this.runs.plan(exportId);
		String agentId = java.util.Objects.requireNonNull(plan.agentId());
		int year = java.util.Objects.requireNonNull(plan.year());
		Query query = Query
			.of((q) -> q.bool((bool) -> bool.filter((f) -> f.term((term) -> term.field("org").value(export.org())))
				.filter((f) -> f.term((term) -> term.field("agent.id").value(agentId)))
				.filter((f) -> f.range((range) -> range.date((date) -> date.field("startedAt")
					.gte(year + "-01-01T00:00:00Z")
					.lt((year + 1) + "-01-01T00:00:00Z"))))));
		String pit = openPointInTime(export.org(), year);
		Path part = this.runs.partFile(exportId);
		Files.createDirectories(part.getParent());
		long rows = 0;
		List<String> pits = new java.util.ArrayList<>();
		try (Compressor zip = new Compressor(part, export.fileName().replace(".zip", ".csv"))) {
			zip.write(("\uFEFF" + CsvRows.line(HEADER.toArray()) + "\r\n").getBytes(StandardCharsets.UTF_8));
			if (pit != null) {
				pits.add(pit);
				long total = this.runs.countTotal(exportId, pit, query);
				PitReader<ConversationDocument> reader = reader(export.org(), year, pit, total, query, heartbeat);
				try {
					rows = writeRows(reader, zip, exportId);
				}
				finally {
					reader.close();
					pits.add(reader.pit());
				}
			}
			else {
				this.jobs.total(exportId, 0);
			}
		}
		// The reader checks that it read every conversation the snapshot held; a row is a
		// message, and nothing counted messages beforehand.
		this.runs.publish(exportId, part, rows, pits);
	}

	private PitReader<ConversationDocument> reader(String org, int year, String pit, long total, Query query,
			Heartbeat heartbeat) {
		return new PitReader<>(this.walks, this.json, pit, total, () -> openYear(org, year), this.settings.recovery(),
				heartbeat, query, FIELDS, ConversationDocument.class, this.settings.keepAlive(), PAGE,
				PitReader.slicesFor(total, PAGE, this.settings.readSlices())) {
			@Override
			protected List<co.elastic.clients.elasticsearch._types.SortOptions> order() {
				return ASCENDING;
			}
		};
	}

	private long writeRows(PitReader<ConversationDocument> reader, Compressor zip, String exportId) throws IOException {
		PriorityQueue<Row> waiting = new PriorityQueue<>();
		ByteArrayOutputStream buffer = new ByteArrayOutputStream(BUFFER + 4096);
		long sequence = 0;
		long rows = 0;
		long conversations = 0;
		ConversationDocument conversation;
		while ((conversation = reader.read()) != null) {
			for (Message message : conversation.transcript()) {
				waiting.add(new Row((message.at() != null) ? message.at() : conversation.startedAt(), sequence++,
						conversation, message));
			}
			// Every message still to come is at or after this conversation's start.
			Instant watermark = conversation.startedAt();
			while (!waiting.isEmpty() && !waiting.peek().at().isAfter(watermark)) {
				rows += write(waiting.poll(), buffer);
			}
			if (buffer.size() >= BUFFER) {
				zip.write(buffer.toByteArray());
				buffer.reset();
			}
			if (++conversations % PAGE == 0) {
				this.jobs.progress(exportId, conversations, reader.expected());
			}
		}
		while (!waiting.isEmpty()) {
			rows += write(waiting.poll(), buffer);
		}
		zip.write(buffer.toByteArray());
		this.jobs.progress(exportId, conversations, reader.expected());
		return rows;
	}

	private int write(Row row, ByteArrayOutputStream buffer) {
		Message message = row.message();
		ConversationDocument conversation = row.conversation();
		String line = CsvRows.line(CsvRows.cell((message.senderType() != null) ? message.senderType().json() : null),
				CsvRows.cell(channel(message, conversation.platform())),
				CsvRows.cell(senderName(message, conversation)), GMT.format(row.at()), CsvRows.cell(message.text()),
				data(message));
		buffer.writeBytes(line.getBytes(StandardCharsets.UTF_8));
		buffer.writeBytes(new byte[] { '\r', '\n' });
		return 1;
	}

	static String channel(Message message, Platform platform) {
		if (message.channel() != null && !message.channel().isBlank()) {
			return message.channel();
		}
		return switch (platform) {
			case VOICE -> "Call";
			case WEB -> "WebChat";
			case SMS -> "SMS";
			case WHATSAPP -> "WhatsApp";
			case EMAIL -> "Email";
			case SLACK -> "Slack";
			case HUMAN_PHONE -> "Human Phone";
		};
	}

	/**
	 * The sender's name; for the customer, their id or email when the message has no
	 * name.
	 */
	private static @Nullable String senderName(Message message, ConversationDocument conversation) {
		if (message.senderName() != null && !message.senderName().isBlank()) {
			return message.senderName();
		}
		if (message.senderType() == SenderType.USER && conversation.contact() != null) {
			return (conversation.contact().email() != null) ? conversation.contact().email()
					: (conversation.contact().id() != null) ? conversation.contact().id()
							: conversation.contact().phone();
		}
		if (message.senderType() == SenderType.AGENT && conversation.agent() != null) {
			return (conversation.agent().name() != null) ? conversation.agent().name() : conversation.agent().id();
		}
		return null;
	}

	/**
	 * The message's JSON data, its function call and flow node included; empty when it
	 * has none of them.
	 */
	private @Nullable String data(Message message) {
		if (message.function() == null && message.flowNode() == null) {
			return (message.data() != null) ? this.json.writeValueAsString(message.data()) : null;
		}
		Map<String, Object> data = new LinkedHashMap<>();
		if (message.data() instanceof Map<?, ?> map) {
			map.forEach((key, value) -> data.put(String.valueOf(key), value));
		}
		else if (message.data() != null) {
			data.put("data", message.data());
		}
		if (message.function() != null) {
			Map<String, Object> function = new LinkedHashMap<>();
			function.put("name", message.function().name());
			function.put("arguments", message.function().arguments());
			function.put("result", message.function().result());
			data.put("function", function);
		}
		if (message.flowNode() != null) {
			data.put("flowNode", message.flowNode());
		}
		return this.json.writeValueAsString(data);
	}

	private @Nullable String openPointInTime(String org, int year) throws IOException {
		try {
			return openYear(org, year);
		}
		catch (ElasticsearchException ex) {
			if (ex.status() == 404) {
				// No conversation started that year: the history is the header alone.
				return null;
			}
			throw new ExportFailure(
					"Elasticsearch could not open a snapshot of the year's conversations (" + PitReader.describe(ex)
							+ "); nothing was published. Restart the export once Elasticsearch is whole.");
		}
	}

	private String openYear(String org, int year) throws IOException {
		return this.walks.openYear(org, year, this.settings.keepAlive());
	}

	private record Row(Instant at, long sequence, ConversationDocument conversation,
			Message message) implements Comparable<Row> {

		@Override
		public int compareTo(Row other) {
			int byTime = this.at.compareTo(other.at);
			return (byTime != 0) ? byTime : Long.compare(this.sequence, other.sequence);
		}

	}

	/**
	 * A zip of one entry, deflated on a thread of its own while rows are being read.
	 */
	private static final class Compressor implements AutoCloseable {

		private static final byte[] END = new byte[0];

		private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(16);

		private final Future<?> done;

		Compressor(Path file, String entry) throws IOException {
			OutputStream out = Files.newOutputStream(file);
			ZipOutputStream zip = new ZipOutputStream(new java.io.BufferedOutputStream(out, 1 << 16));
			zip.putNextEntry(new ZipEntry(entry));
			this.done = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor().submit(() -> {
				try (zip) {
					byte[] chunk;
					while ((chunk = this.chunks.take()) != END) {
						zip.write(chunk);
					}
					zip.closeEntry();
				}
				return null;
			});
		}

		void write(byte[] chunk) throws IOException {
			if (this.done.isDone()) {
				finish();
			}
			try {
				this.chunks.put(chunk);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IOException("interrupted while compressing", ex);
			}
		}

		@Override
		public void close() throws IOException {
			write(END);
			finish();
		}

		private void finish() throws IOException {
			try {
				this.done.get();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IOException("interrupted while compressing", ex);
			}
			catch (ExecutionException ex) {
				if (ex.getCause() instanceof IOException io) {
					throw io;
				}
				throw new UncheckedIOException(new IOException(ex.getCause()));
			}
		}

	}

}
