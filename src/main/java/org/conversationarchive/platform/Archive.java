package org.conversationarchive.platform;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.conversationarchive.conversation.Conversation;
import org.conversationarchive.conversation.Conversation.Message;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The archive as the platform reaches it: its ingest API over HTTP with an API key of the
 * {@code ingest} role. Each conversation's writes go out one after another, in the order
 * they were made, so that a message is never appended before the conversation exists and
 * a replace never loses a message appended before it.
 */
final class Archive {

	static final JsonMapper JSON = JsonMapper.builder()
		.changeDefaultPropertyInclusion((inclusion) -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
		.disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	private static final int ATTEMPTS = 6;

	private final String base;

	private final String key;

	private final Consumer<String> log;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	Archive(String base, String key, Consumer<String> log) {
		this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
		this.key = key;
		this.log = log;
	}

	String base() {
		return this.base;
	}

	/**
	 * The writes of one conversation, in order.
	 * @param conversationId its id
	 * @return its outbox
	 */
	Outbox outbox(String conversationId) {
		return new Outbox(conversationId);
	}

	/**
	 * Sends one write, tried again while the archive is unreachable or answers 5xx or 429
	 * (it may be restarting): a write given up would leave the conversation behind.
	 * @return the status of the last answer, or 0 when none came
	 */
	int send(String path, Object body) throws InterruptedException {
		return send("POST", path, body);
	}

	/**
	 * Sends one request with a JSON body, tried again as {@link #send(String, Object)}.
	 * @param method e.g. {@code PUT}
	 * @return the status of the last answer, or 0 when none came
	 */
	int send(String method, String path, Object body) throws InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(Duration.ofSeconds(30))
			.header("Authorization", "Bearer " + this.key)
			.header("Content-Type", "application/json")
			.method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
			.build();
		long backoff = 500;
		for (int attempt = 1;; attempt++) {
			String failure;
			int status = 0;
			try {
				HttpResponse<String> answer = this.http.send(request, HttpResponse.BodyHandlers.ofString());
				status = answer.statusCode();
				if (status < 300) {
					return status;
				}
				failure = status + " " + abbreviate(answer.body());
				if (status != 429 && status < 500) {
					this.log.accept("the archive refused " + method + " " + path + ": " + failure);
					return status;
				}
			}
			catch (IOException ex) {
				failure = ex.toString();
			}
			if (attempt == ATTEMPTS) {
				this.log.accept("gave up " + method + " " + path + " after " + ATTEMPTS + " attempts: " + failure);
				return status;
			}
			Thread.sleep(backoff);
			backoff = Math.min(backoff * 2, 8000);
		}
	}

	private static String abbreviate(String text) {
		return (text.length() > 300) ? text.substring(0, 300) + "…" : text;
	}

	/**
	 * One conversation's writes, in order, one at a time. The archive answers a write
	 * once it is searchable (up to its refresh interval, 5 s by default), longer than
	 * messages come at speed: what queued meanwhile goes out together, consecutive
	 * appends as one, and everything before a replace not at all, as the replace holds
	 * it.
	 */
	final class Outbox {

		private final String path;

		private final String conversationId;

		private final List<Write> pending = new ArrayList<>();

		private boolean sending;

		private boolean closed;

		private Outbox(String conversationId) {
			this.conversationId = conversationId;
			this.path = "/api/v1/conversations/" + conversationId + "/messages";
		}

		/**
		 * Creates or replaces the conversation with this state.
		 * @param conversation its whole state
		 */
		void replace(Conversation conversation) {
			submit(new Write(null, conversation));
		}

		/**
		 * Appends messages.
		 * @param messages the messages
		 */
		void append(List<Message> messages) {
			submit(new Write(messages, null));
		}

		private synchronized void submit(Write write) {
			if (this.closed) {
				throw new IllegalStateException("the writes of " + this.conversationId + " were closed");
			}
			this.pending.add(write);
			if (!this.sending) {
				this.sending = true;
				Thread.ofVirtual().name("archive-" + this.conversationId).start(this::drain);
			}
		}

		private void drain() {
			try {
				for (Write next = next(); next != null; next = next()) {
					if (next.conversation() != null) {
						send("/api/v1/conversations", next.conversation());
					}
					else {
						send(this.path, next.messages());
					}
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				synchronized (this) {
					this.pending.clear();
					this.sending = false;
					notifyAll();
				}
			}
		}

		/** What to send next, or {@code null} (and no longer sending) when nothing is. */
		private synchronized @Nullable Write next() {
			if (this.pending.isEmpty()) {
				this.sending = false;
				notifyAll();
				return null;
			}
			int lastReplace = -1;
			for (int i = 0; i < this.pending.size(); i++) {
				if (this.pending.get(i).conversation() != null) {
					lastReplace = i;
				}
			}
			if (lastReplace >= 0) {
				Write replace = this.pending.get(lastReplace);
				this.pending.subList(0, lastReplace + 1).clear();
				return replace;
			}
			List<Message> messages = new ArrayList<>();
			this.pending.forEach((write) -> messages.addAll(write.messages()));
			this.pending.clear();
			return new Write(messages, null);
		}

		/**
		 * Sends what was written so far and nothing after it.
		 */
		synchronized void close() {
			this.closed = true;
			notifyAll();
		}

		/**
		 * Waits, once it is closed, for what was written to be sent.
		 * @param timeout how long at most
		 * @return whether it was all sent
		 */
		synchronized boolean awaitSent(Duration timeout) throws InterruptedException {
			long deadline = System.nanoTime() + timeout.toNanos();
			while (!this.closed || this.sending) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return false;
				}
				wait(Math.max(1, left / 1_000_000));
			}
			return true;
		}

	}

	/**
	 * A write: messages to append, or the whole conversation.
	 */
	private record Write(@Nullable List<Message> messages, @Nullable Conversation conversation) {
	}

}
