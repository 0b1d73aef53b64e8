package org.conversationarchive.ingest;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.conversationarchive.conversation.Conversation;
import org.conversationarchive.conversation.Conversation.FunctionCall;
import org.conversationarchive.conversation.Conversation.Message;
import org.conversationarchive.conversation.Conversation.Ref;
import org.conversationarchive.conversation.Platform;
import org.conversationarchive.conversation.SenderType;
import org.conversationarchive.conversation.Status;
import org.conversationarchive.system.InvalidInputException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.infrastructure.item.support.AbstractItemCountingItemStreamItemReader;
import org.springframework.core.io.Resource;

/**
 * Reads an agent's conversation history CSV (the seed's "Download Conversations" format:
 * {@code Sender type, Channel type, Sender name, Time in GMT, Message, Data}, one row per
 * message in time order) back into conversations.
 * <p>
 * The format has no conversation column, so rows are grouped: by a {@code conversationId}
 * in the row's Data when there is one; otherwise into sessions of one channel and one
 * customer (the user rows' sender name), which end after {@link #SESSION_GAP} without a
 * message. Agent and system rows join the most recent open session of their channel. The
 * grouping is deterministic, so a restart skips the conversations already committed by
 * reading again, and a re-import replaces rather than duplicates.
 */
class HistoryCsvImportReader extends AbstractItemCountingItemStreamItemReader<ImportRecord> {

	static final List<String> HEADER = List.of("Sender type", "Channel type", "Sender name", "Time in GMT", "Message",
			"Data");

	static final Duration SESSION_GAP = Duration.ofMinutes(30);

	private static final DateTimeFormatter GMT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

	private final Resource file;

	private final @Nullable String agentId;

	private final ConversationValidator validator;

	private final JsonMapper json;

	private @Nullable CSVParser csv;

	private @Nullable Iterator<CSVRecord> rows;

	private final Deque<ImportRecord> ready = new ArrayDeque<>();

	private final Map<String, Session> open = new LinkedHashMap<>();

	private boolean drained;

	HistoryCsvImportReader(Resource file, @Nullable String agentId, ConversationValidator validator, JsonMapper json) {
		this.file = file;
		this.agentId = agentId;
		this.validator = validator;
		this.json = json;
		setName("historyCsv");
	}

	@Override
	protected @Nullable ImportRecord doRead() {
		while (this.ready.isEmpty() && this.rows.hasNext()) {
			consume(this.rows.next());
		}
		if (this.ready.isEmpty() && !this.drained) {
			this.drained = true;
			closeSessions(null);
		}
		return this.ready.poll();
	}

	@Override
	protected void doOpen() throws Exception {
		Reader reader = new BufferedReader(
				new InputStreamReader(this.file.getInputStream(), StandardCharsets.UTF_8.newDecoder()));
		this.csv = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).setTrim(true).get().parse(reader);
		List<String> header = this.csv.getHeaderNames()
			.stream()
			.map((name) -> name.replace("\uFEFF", "").trim())
			.toList();
		for (String column : HEADER) {
			if (header.stream().noneMatch(column::equalsIgnoreCase)) {
				throw new InvalidInputException(
						"the history CSV has no '" + column + "' column; expected " + String.join(", ", HEADER));
			}
		}
		this.rows = this.csv.iterator();
	}

	@Override
	protected void doClose() throws Exception {
		if (this.csv != null) {
			this.csv.close();
		}
	}

	private void consume(CSVRecord row) {
		// The header is line 1; a record's line is where it starts.
		long line = row.getRecordNumber() + 1;
		Row parsed;
		try {
			parsed = parse(row);
		}
		catch (IllegalArgumentException ex) {
			this.ready.add(ImportRecord.invalid(line, null, ex.getMessage()));
			return;
		}
		closeSessions(parsed.at().minus(SESSION_GAP));
		String key = sessionKey(parsed, line);
		Session session = this.open.computeIfAbsent(key,
				(k) -> new Session(line, parsed.channel(), parsed.platform(), parsed.conversationId()));
		if (parsed.senderType() == SenderType.USER && session.contact == null) {
			session.contact = parsed.senderName();
		}
		session.add(parsed);
	}

	private String sessionKey(Row row, long line) {
		if (row.conversationId() != null) {
			return "id:" + row.conversationId();
		}
		String channel = row.channel().toLowerCase(Locale.ROOT);
		Session latest = null;
		for (Map.Entry<String, Session> entry : this.open.entrySet()) {
			Session session = entry.getValue();
			if (session.conversationId == null && session.channel.equalsIgnoreCase(channel)
					&& (latest == null || !session.lastAt.isBefore(latest.lastAt))) {
				if (row.senderType() != SenderType.USER || session.contact == null
						|| session.contact.equals(row.senderName())) {
					latest = session;
				}
			}
		}
		if (latest != null) {
			return latest.key();
		}
		return "session:" + channel + ":" + line;
	}

	/**
	 * Emits the sessions idle since before {@code idleBefore} (all of them when null), in
	 * the order they started.
	 */
	private void closeSessions(@Nullable Instant idleBefore) {
		List<Session> closing = new ArrayList<>();
		this.open.values().removeIf((session) -> {
			boolean idle = idleBefore == null || session.lastAt.isBefore(idleBefore);
			if (idle) {
				closing.add(session);
			}
			return idle;
		});
		closing.sort(Comparator.comparingLong((Session session) -> session.firstLine));
		for (Session session : closing) {
			Conversation conversation = session.toConversation(this.agentId);
			String problem = this.validator.problem(conversation);
			this.ready.add((problem != null) ? ImportRecord.invalid(session.firstLine, conversation.id(), problem)
					: new ImportRecord(session.firstLine, conversation, conversation.id(), null));
		}
	}

	private Row parse(CSVRecord row) {
		String senderTypeText = column(row, "Sender type");
		String channel = column(row, "Channel type");
		String time = column(row, "Time in GMT");
		SenderType senderType = senderType(senderTypeText);
		if (channel.isEmpty()) {
			throw new IllegalArgumentException("Channel type is empty");
		}
		Platform platform = platform(channel);
		Instant at = instant(time);
		Object data = null;
		FunctionCall function = null;
		String conversationId = null;
		String flowNode = null;
		String dataText = column(row, "Data");
		if (!dataText.isEmpty()) {
			try {
				data = this.json.readValue(dataText, Object.class);
			}
			catch (JacksonException ex) {
				// Not JSON: keep it as the text it is.
				data = dataText;
			}
			if (data instanceof Map<?, ?> map) {
				Map<String, Object> rest = new LinkedHashMap<>();
				map.forEach((key, value) -> rest.put(String.valueOf(key), value));
				if (rest.remove("function") instanceof Map<?, ?> call && call.get("name") instanceof String name) {
					function = new FunctionCall(name, call.get("arguments"), call.get("result"));
				}
				if (rest.remove("conversationId") instanceof String id && !id.isBlank()) {
					conversationId = id;
				}
				// The history export keeps a message's flow node in its data.
				if (rest.get("flowNode") instanceof String node) {
					rest.remove("flowNode");
					flowNode = node;
				}
				data = rest.isEmpty() ? null : rest;
			}
		}
		String text = column(row, "Message");
		String senderName = column(row, "Sender name");
		return new Row(senderType, channel, platform, senderName.isEmpty() ? null : senderName, at,
				text.isEmpty() ? null : text, data, function, conversationId, flowNode);
	}

	private static String column(CSVRecord row, String name) {
		for (String header : row.getParser().getHeaderNames()) {
			if (header.replace("\uFEFF", "").trim().equalsIgnoreCase(name)) {
				return row.isSet(header) ? row.get(header) : "";
			}
		}
		return "";
	}

	static SenderType senderType(String text) {
		String value = text.trim().toLowerCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
		return switch (value) {
			case "user", "customer", "contact", "client" -> SenderType.USER;
			case "agent", "ai_agent", "bot", "assistant", "ai" -> SenderType.AGENT;
			case "human_agent", "live_agent", "human", "operator", "staff" -> SenderType.HUMAN_AGENT;
			case "system", "system_notification", "notification" -> SenderType.SYSTEM;
			case "function", "tool", "function_call" -> SenderType.FUNCTION;
			case "coaching", "coach" -> SenderType.COACHING;
			default -> throw new IllegalArgumentException("unknown Sender type '" + text + "'; expected one of "
					+ org.conversationarchive.conversation.JsonEnum.allowed(SenderType.class));
		};
	}

	static Platform platform(String channel) {
		String value = channel.trim().toLowerCase(Locale.ROOT).replace(" ", "").replace("_", "").replace("-", "");
		return switch (value) {
			case "web", "webchat", "chat", "website", "livechat" -> Platform.WEB;
			case "whatsapp" -> Platform.WHATSAPP;
			case "voice", "call", "calls", "phone", "phonecall", "telephony" -> Platform.VOICE;
			case "humanphone" -> Platform.HUMAN_PHONE;
			case "sms", "text", "textmessage" -> Platform.SMS;
			case "email", "mail" -> Platform.EMAIL;
			case "slack" -> Platform.SLACK;
			default -> throw new IllegalArgumentException("unknown Channel type '" + channel
					+ "'; expected WebChat, WhatsApp, Call, SMS, Email, Slack or Human Phone");
		};
	}

	static Instant instant(String text) {
		try {
			return LocalDateTime.parse(text.trim(), GMT).toInstant(ZoneOffset.UTC);
		}
		catch (DateTimeParseException ex) {
			try {
				return Instant.parse(text.trim());
			}
			catch (DateTimeParseException iso) {
				throw new IllegalArgumentException(
						"Time in GMT '" + text + "' is not a time like 2025-03-01 10:15:30 (GMT)");
			}
		}
	}

	private record Row(SenderType senderType, String channel, Platform platform, @Nullable String senderName,
			Instant at, @Nullable String text, @Nullable Object data, @Nullable FunctionCall function,
			@Nullable String conversationId, @Nullable String flowNode) {
	}

	private static final class Session {

		final long firstLine;

		final String channel;

		final Platform platform;

		final @Nullable String conversationId;

		@Nullable String contact;

		Instant lastAt = Instant.MIN;

		final List<Message> messages = new ArrayList<>();

		final Set<String> liveAgents = new LinkedHashSet<>();

		Session(long firstLine, String channel, Platform platform, @Nullable String conversationId) {
			this.firstLine = firstLine;
			this.channel = channel;
			this.platform = platform;
			this.conversationId = conversationId;
		}

		String key() {
			return (this.conversationId != null) ? "id:" + this.conversationId
					: "session:" + this.channel.toLowerCase(Locale.ROOT) + ":" + this.firstLine;
		}

		void add(Row row) {
			this.messages.add(new Message(row.at(), row.senderType(), row.senderName(), row.channel(), row.text(),
					row.data(), row.function(), row.flowNode()));
			if (row.at().isAfter(this.lastAt)) {
				this.lastAt = row.at();
			}
			if (row.senderType() == SenderType.HUMAN_AGENT && row.senderName() != null) {
				this.liveAgents.add(row.senderName());
			}
		}

		Conversation toConversation(@Nullable String agentId) {
			Instant startedAt = this.messages.stream().map(Message::at).min(Comparator.naturalOrder()).orElseThrow();
			String id = (this.conversationId != null) ? this.conversationId
					: "hist-" + digest(agentId + "|" + this.channel + "|" + this.contact + "|" + startedAt);
			List<Ref> humans = this.liveAgents.stream().map((name) -> new Ref(name, name)).toList();
			return new Conversation(id, this.platform, null,
					(this.contact != null) ? new Conversation.Contact(this.contact, null, null, null) : null, null,
					null, Status.COMPLETED, null, (agentId != null) ? new Ref(agentId, null) : null,
					humans.isEmpty() ? null : humans, null, startedAt, this.lastAt, null, null, null, null, null, null,
					null, null, List.copyOf(this.messages), null, null, null, null, null, null, null, null, null, null,
					null, null);
		}

		private static String digest(String text) {
			try {
				byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
				return HexFormat.of().formatHex(hash, 0, 12);
			}
			catch (java.security.NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
