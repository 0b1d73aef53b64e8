package org.conversationarchive.live;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.conversationarchive.conversation.Conversation.Message;
import org.conversationarchive.conversation.ConversationDocument;
import org.conversationarchive.conversation.StoredConversation;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The server-sent-event streams of live conversations: one of the org's live list
 * ({@code event: conversation}, a {@link LiveSummary}), and one of a conversation
 * ({@code event: conversation} with its summary, {@code event: messages} with those it
 * gained, {@code event: actions} with its actions). Each stream sends on its own
 * (virtual) thread, in order, so a slow client holds up only itself.
 */
@Component
class LiveStreams implements ApplicationListener<ContextClosedEvent> {

	private final LiveHub hub;

	private final LiveSettings settings;

	private final ActionLog log;

	LiveStreams(LiveHub hub, LiveSettings settings, ActionLog log) {
		this.hub = hub;
		this.settings = settings;
		this.log = log;
	}

	/**
	 * What a stream starts with, read once the stream is watching: a change made while it
	 * is read is then sent too, never lost between the two.
	 */
	@FunctionalInterface
	interface Snapshot<T> {

		T read() throws IOException;

	}

	/**
	 * A stream of the org's live conversations, starting with those there are now.
	 */
	SseEmitter list(String org, Snapshot<List<LiveSummary>> now) throws IOException {
		Stream stream = new Stream(org, null, this.settings);
		this.hub.add(stream);
		try {
			stream.send("conversations", Map.of("items", now.read()));
		}
		catch (IOException | RuntimeException ex) {
			this.hub.remove(stream);
			throw ex;
		}
		return stream.emitter;
	}

	/**
	 * A stream of one conversation, starting with it as it is now.
	 */
	SseEmitter conversation(String org, String id, Snapshot<ConversationDocument> now,
			Snapshot<Holds.@Nullable Hold> hold) throws IOException {
		Stream stream = new Stream(org, id, this.settings);
		this.hub.add(stream);
		try {
			stream.sendConversation(now.read(), hold.read(), this.log, true);
		}
		catch (IOException | RuntimeException ex) {
			this.hub.remove(stream);
			throw ex;
		}
		return stream.emitter;
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

		private final java.time.Duration window;

		private volatile boolean closed;

		private int messagesSent;

		private @Nullable ActionLog log;

		Stream(String org, @Nullable String conversationId, LiveSettings settings) {
			this.org = org;
			this.conversationId = conversationId;
			this.window = settings.window();
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
				if (stored == null) {
					send("removed", Map.of("id", id));
				}
				else if (!LiveConversations.recent(stored.document(), Instant.now().minus(this.window))) {
					// History written again (an import of old conversations in progress):
					// not live.
					send("removed", Map.of("id", id));
				}
				else {
					send("conversation", LiveSummary.of(stored.document(), hold, Instant.now()));
				}
			}
			else if (stored != null && this.log != null) {
				sendConversation(stored.document(), hold, this.log, false);
			}
		}

		void sendConversation(ConversationDocument conversation, Holds.@Nullable Hold hold, ActionLog log,
				boolean first) {
			this.log = log;
			List<Message> messages = (conversation.messages() != null) ? conversation.messages() : List.of();
			Map<String, LiveActions.Outcome> outcomes = LiveActions.outcomes(conversation);
			List<LiveActions.Action> actions = log.of(this.org, conversation.id())
				.stream()
				.map((recorded) -> LiveActions.Action.of(recorded, outcomes.get(recorded.id())))
				.toList();
			later(() -> {
				LiveSummary summary = LiveSummary.of(conversation, hold, Instant.now());
				int from = this.messagesSent;
				// A transcript that shrank (the conversation was replaced) is sent again
				// whole.
				if (first || messages.size() < from) {
					from = 0;
				}
				Map<String, Object> gained = new LinkedHashMap<>();
				gained.put("from", from);
				gained.put("items", new ArrayList<>(messages.subList(from, messages.size())));
				this.messagesSent = messages.size();
				sendNow("conversation", summary);
				if (first || from < messages.size()) {
					sendNow("messages", gained);
				}
				sendNow("actions", Map.of("items", actions));
			});
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

		/**
		 * Runs a send on the stream's thread, after those before it; none once closed.
		 */
		private void later(Runnable send) {
			if (this.closed) {
				return;
			}
			try {
				this.sender.execute(send);
			}
			catch (java.util.concurrent.RejectedExecutionException ex) {
				// Closed meanwhile.
			}
		}

		@Override
		public boolean closed() {
			return this.closed;
		}

		void send(String name, Object data) {
			later(() -> sendNow(name, data));
		}

		private void sendNow(String name, Object data) {
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
		public void close() {
			if (!this.closed) {
				this.closed = true;
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
