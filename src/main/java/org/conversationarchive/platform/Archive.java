package org.conversationarchive.platform;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.conversationarchive.conversation.Conversation;
import org.conversationarchive.conversation.Conversation.Message;
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
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(Duration.ofSeconds(30))
			.header("Authorization", "Bearer " + this.key)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
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
					this.log.accept("the archive refused POST " + path + ": " + failure);
					return status;
				}
			}
			catch (IOException ex) {
				failure = ex.toString();
			}
			if (attempt == ATTEMPTS) {
				this.log.accept("gave up POST " + path + " after " + ATTEMPTS + " attempts: " + failure);
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
	 * One conversation's writes, sent in order on a thread of their own.
	 */
	final class Outbox {

		private final String path;

		private final ExecutorService sender;

		private Outbox(String conversationId) {
			this.path = "/api/v1/conversations/" + conversationId + "/messages";
			this.sender = Executors
				.newSingleThreadExecutor(Thread.ofVirtual().name("archive-" + conversationId).factory());
		}

		/**
		 * Creates or replaces the conversation with this state.
		 * @param conversation its whole state
		 */
		void replace(Conversation conversation) {
			submit("/api/v1/conversations", conversation);
		}

		/**
		 * Appends messages.
		 * @param messages the messages
		 */
		void append(List<Message> messages) {
			submit(this.path, List.copyOf(messages));
		}

		private void submit(String path, Object body) {
			this.sender.execute(() -> {
				try {
					send(path, body);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
		}

		/**
		 * Sends what was written so far and nothing after it.
		 */
		void close() {
			this.sender.shutdown();
		}

		/**
		 * Waits for what was written to be sent.
		 * @param timeout how long at most
		 * @return whether it was all sent
		 */
		boolean awaitSent(Duration timeout) throws InterruptedException {
			return this.sender.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}

	}

}
