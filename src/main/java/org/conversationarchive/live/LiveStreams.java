package org.conversationarchive.live;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.conversationarchive.conversation.Conversation.Message;
import org.conversationarchive.conversation.ConversationDocument;
import org.conversationarchive.conversation.StoredConversation;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The server-sent-event streams of live conversations: one of the org's live list
 * ({@code event: conversations} first, then {@code event: conversation}, a
 * {@link LiveSummary}, per change), and one of a conversation ({@code event:
 * conversation} with its summary, {@code event: messages} with those it gained, {@code
 * event: actions} with its actions). Each stream sends on its own (virtual) thread, in
 * order, so a slow client holds up only itself; one that falls far behind is closed (its
 * browser reconnects and starts afresh), and a person has a limited number open.
 */
@Component
class LiveStreams implements ApplicationListener<ContextClosedEvent> {

	/** Streams one person may have open on this instance. */
	static final int MAX_STREAMS = 20;

	/** Sends a stream may have waiting before it is taken as gone. */
	static final int MAX_PENDING = 256;

	private final LiveHub hub;

	private final LiveSettings settings;

	private final ActionLog log;

	private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();

	LiveStreams(LiveHub hub, LiveSettings settings, ActionLog log) {
		this.hub = hub;
		this.settings = settings;
		this.log = log;
	}

	/**
	 * What a stream starts with.
	 */
	@FunctionalInterface
	interface Snapshot<T> {

		T read() throws IOException;

	}

	/**
	 * A stream of the org's live conversations, starting with those there are now.
	 */
	SseEmitter list(String org, String userId, Snapshot<LiveConversations.LiveList> now) throws IOException {
		Stream stream = open(org, userId, null);
		CompletableFuture<LiveConversations.LiveList> first = new CompletableFuture<>();
		// The snapshot goes first and every change after it, in order: a change made
		// while it is read is sent after it, never lost, never overwritten by it.
		stream.later(() -> stream.sendNow("conversations", first.join()));
		return start(stream, first, now);
	}

	/**
	 * A stream of one conversation, starting with it as it is now.
	 */
	SseEmitter conversation(String org, String userId, String id, Snapshot<Current> now) throws IOException {
		Stream stream = open(org, userId, id);
		CompletableFuture<Current> first = new CompletableFuture<>();
		stream.later(() -> {
			Current current = first.join();
			stream.sendConversationNow(current.conversation(), current.hold(), true);
		});
		return start(stream, first, now);
	}

	/**
	 * A conversation and who holds it, as a stream starts with them.
	 */
	record Current(ConversationDocument conversation, Holds.@Nullable Hold hold) {
	}

	private <T> SseEmitter start(Stream stream, CompletableFuture<T> first, Snapshot<T> now) throws IOException {
		this.hub.add(stream);
		try {
			first.complete(now.read());
		}
		catch (IOException | RuntimeException ex) {
			first.completeExceptionally(ex);
			this.hub.remove(stream);
			stream.close();
			throw ex;
		}
		return stream.emitter;
	}

	private Stream open(String org, String userId, @Nullable String conversationId) {
		String who = org + "\u0000" + userId;
		AtomicInteger count = this.open.computeIfAbsent(who, (key) -> new AtomicInteger());
		if (count.incrementAndGet() > MAX_STREAMS) {
			count.decrementAndGet();
			throw new ResponseStatusException(HttpStatus.TOO_MANY_REQUESTS,
					"you have " + MAX_STREAMS + " live streams open already: close a page or tab first");
		}
		return new Stream(org, conversationId, this.settings, this.log, count::decrementAndGet);
	}

	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		// Ends the open streams, so that a graceful shutdown does not wait for them
		// (clients reconnect to another instance).
		this.hub.closeAll();
	}

	/**
	 * One client's stream.
	 */
	static final class Stream implements LiveHub.Viewer {

		private final String org;

		private final @Nullable String conversationId;

		private final SseEmitter emitter;

		private final ExecutorService sender = Executors.newSingleThreadExecutor(Thread.ofVirtual().factory());

		private final AtomicInteger pending = new AtomicInteger();

		private final Duration window;

		private final ActionLog log;

		private final Runnable closing;

		private volatile boolean closed;

		/** Only on the sender's thread. */
		private int messagesSent;

		Stream(String org, @Nullable String conversationId, LiveSettings settings, ActionLog log, Runnable closing) {
			this.org = org;
			this.conversationId = conversationId;
			this.window = settings.window();
			this.log = log;
			this.closing = closing;
			this.emitter = new SseEmitter(settings.streamTimeout().toMillis());
			this.emitter.onCompletion(this::close);
			this.emitter.onTimeout(this::close);
			this.emitter.onError((ex) -> close());
		}

		@Override
		public String org() {
			return this.org;
		}

		@Override
		public boolean watches(String id) {
			return this.conversationId == null || this.conversationId.equals(id);
		}

		@Override
		public void changed(String id, @Nullable StoredConversation stored, Holds.@Nullable Hold hold) {
			if (this.conversationId == null) {
				if (stored == null || !LiveConversations.recent(stored.document(), Instant.now().minus(this.window))) {
					// Gone, or history written again (an import of old conversations in
					// progress): not live.
					later(() -> sendNow("removed", Map.of("id", id)));
				}
				else {
					LiveSummary summary = LiveSummary.of(stored.document(), hold, Instant.now());
					later(() -> sendNow("conversation", summary));
				}
			}
			else if (stored != null) {
				later(() -> sendConversationNow(stored.document(), hold, false));
			}
		}

		/**
		 * Sends the conversation's summary, the messages the client does not have yet and
		 * its actions; on the sender's thread.
		 */
		void sendConversationNow(ConversationDocument conversation, Holds.@Nullable Hold hold, boolean first) {
			List<Message> messages = conversation.transcript();
			Map<String, LiveActions.Outcome> outcomes = LiveActions.outcomes(conversation);
			List<LiveActions.Action> actions = this.log.of(this.org, conversation.id())
				.stream()
				.map((recorded) -> LiveActions.Action.of(recorded, outcomes.get(recorded.id())))
				.toList();
			int from = this.messagesSent;
			// A transcript that shrank (the conversation was replaced) is sent again
			// whole.
			if (first || messages.size() < from) {
				from = 0;
			}
			this.messagesSent = messages.size();
			sendNow("conversation", LiveSummary.of(conversation, hold, Instant.now()));
			if (first || from < messages.size()) {
				Map<String, Object> gained = new LinkedHashMap<>();
				gained.put("from", from);
				gained.put("items", new ArrayList<>(messages.subList(from, messages.size())));
				sendNow("messages", gained);
			}
			sendNow("actions", Map.of("items", actions));
		}

		@Override
		public void heartbeat() {
			later(() -> {
				try {
					this.emitter.send(SseEmitter.event().comment("heartbeat"));
				}
				catch (IOException | IllegalStateException ex) {
					close();
				}
			});
		}

		@Override
		public boolean closed() {
			return this.closed;
		}

		/**
		 * Runs a send on the stream's thread, after those before it; none once closed. A
		 * client that has not read for so long that hundreds wait is taken as gone.
		 */
		void later(Runnable send) {
			if (this.closed) {
				return;
			}
			if (this.pending.incrementAndGet() > MAX_PENDING) {
				close();
				return;
			}
			try {
				this.sender.execute(() -> {
					try {
						send.run();
					}
					catch (RuntimeException ex) {
						close();
					}
					finally {
						this.pending.decrementAndGet();
					}
				});
			}
			catch (RejectedExecutionException ex) {
				// Closed meanwhile.
			}
		}

		void sendNow(String name, Object data) {
			if (this.closed) {
				return;
			}
			try {
				this.emitter.send(SseEmitter.event().name(name).data(data, MediaType.APPLICATION_JSON));
			}
			catch (IOException | IllegalStateException ex) {
				// The client went away.
				close();
			}
		}

		@Override
		public synchronized void close() {
			if (!this.closed) {
				this.closed = true;
				this.closing.run();
				this.sender.shutdown();
				try {
					this.emitter.complete();
				}
				catch (IllegalStateException ex) {
					// Already completed.
				}
			}
		}

	}

}
