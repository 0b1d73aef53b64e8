package org.conversationarchive.live;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.conversationarchive.conversation.Conversations;
import org.conversationarchive.conversation.StoredConversation;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Each instance's side of live updates: reads the writes of live conversations that any
 * instance recorded ({@link LiveEvents}), reads those conversations as they are now (a
 * real-time get, so a write is seen before it is searchable), and hands them to the
 * instance's viewers that watch them. Reads only while someone watches.
 */
@Component
class LiveHub {

	private static final Logger logger = LoggerFactory.getLogger(LiveHub.class);

	/**
	 * Rows are read from a little before the last one seen: a row whose insert committed
	 * after a later one's would otherwise be skipped.
	 */
	private static final int LOOKBACK = 200;

	/** How long a write that is not applied yet is waited for. */
	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final int SEEN = 20_000;

	private final LiveEvents events;

	private final Conversations conversations;

	private final Holds holds;

	private final LiveSettings settings;

	private final Set<Viewer> viewers = ConcurrentHashMap.newKeySet();

	private final Map<Long, Waiting> waiting = new LinkedHashMap<>();

	private final Set<Long> seen = new LinkedHashSet<>();

	private long cursor = -1;

	/**
	 * Someone watching: the whole org's live conversations, or one conversation.
	 */
	interface Viewer {

		String org();

		/**
		 * @param conversationId a conversation
		 * @return whether this viewer wants its changes
		 */
		boolean watches(String conversationId);

		/**
		 * Hands a conversation as it is now to the viewer.
		 * @param conversationId the conversation
		 * @param stored it, or {@code null} when it is gone
		 * @param hold who holds it
		 */
		void changed(String conversationId, @Nullable StoredConversation stored, Holds.@Nullable Hold hold);

		/**
		 * Keeps an idle stream open, and finds one whose client went away.
		 */
		void heartbeat();

		boolean closed();

		/**
		 * Ends the stream (the service is stopping).
		 */
		void close();

	}

	private record Waiting(LiveEvents.Event event, Instant since) {
	}

	LiveHub(LiveEvents events, Conversations conversations, Holds holds, LiveSettings settings) {
		this.events = events;
		this.conversations = conversations;
		this.holds = holds;
		this.settings = settings;
	}

	void add(Viewer viewer) {
		this.viewers.add(viewer);
	}

	void remove(Viewer viewer) {
		this.viewers.remove(viewer);
	}

	@Scheduled(fixedDelayString = "${archive.live.poll:100ms}")
	synchronized void poll() {
		this.viewers.removeIf(Viewer::closed);
		if (this.viewers.isEmpty()) {
			// Nobody to tell: start from the end again when someone comes.
			this.cursor = -1;
			this.waiting.clear();
			this.seen.clear();
			return;
		}
		try {
			if (this.cursor < 0) {
				this.cursor = this.events.latest();
			}
			Instant now = Instant.now();
			for (LiveEvents.Event event : this.events.after(Math.max(0, this.cursor - LOOKBACK), 5000)) {
				if (this.seen.add(event.id())) {
					this.waiting.put(event.id(), new Waiting(event, now));
					this.cursor = Math.max(this.cursor, event.id());
				}
			}
			while (this.seen.size() > SEEN) {
				Iterator<Long> oldest = this.seen.iterator();
				oldest.next();
				oldest.remove();
			}
			deliver(now);
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Could not read live conversations for their viewers: {}", ex.toString());
		}
	}

	private void deliver(Instant now) throws IOException {
		Map<String, Map<String, Long>> byOrg = new HashMap<>();
		for (Iterator<Waiting> each = this.waiting.values().iterator(); each.hasNext();) {
			LiveEvents.Event event = each.next().event();
			if (this.viewers.stream()
				.noneMatch((viewer) -> viewer.org().equals(event.org()) && viewer.watches(event.conversationId()))) {
				each.remove();
				continue;
			}
			byOrg.computeIfAbsent(event.org(), (org) -> new HashMap<>())
				.merge(event.conversationId(), event.afterSeqNo(), Math::max);
		}
		for (Map.Entry<String, Map<String, Long>> org : byOrg.entrySet()) {
			Map<String, StoredConversation> found = this.conversations.findAll(org.getKey(), org.getValue().keySet(),
					List.of());
			Map<String, Holds.Hold> held = this.holds.findAll(org.getKey(), org.getValue().keySet());
			List<String> ready = new ArrayList<>();
			for (Map.Entry<String, Long> change : org.getValue().entrySet()) {
				StoredConversation stored = found.get(change.getKey());
				long after = change.getValue();
				if (after == LiveEvents.NOW || (stored != null && stored.seqNo() > after)) {
					ready.add(change.getKey());
				}
			}
			for (Iterator<Waiting> each = this.waiting.values().iterator(); each.hasNext();) {
				Waiting waited = each.next();
				LiveEvents.Event event = waited.event();
				if (!event.org().equals(org.getKey())) {
					continue;
				}
				boolean late = waited.since().plus(WAIT).isBefore(now);
				if (ready.contains(event.conversationId()) || late) {
					each.remove();
				}
			}
			for (String id : ready) {
				for (Viewer viewer : this.viewers) {
					if (viewer.org().equals(org.getKey()) && viewer.watches(id)) {
						try {
							viewer.changed(id, found.get(id), held.get(id));
						}
						catch (RuntimeException ex) {
							// One viewer's failure is not the others'.
							logger.warn("Could not tell a live viewer of {}: {}", id, ex.toString());
							viewer.close();
						}
					}
				}
			}
		}
	}

	@Scheduled(fixedDelayString = "${archive.live.heartbeat:15s}")
	void heartbeat() {
		this.viewers.forEach(Viewer::heartbeat);
		this.viewers.removeIf(Viewer::closed);
	}

	@Scheduled(initialDelayString = "PT1M", fixedDelayString = "PT1M")
	void forget() {
		try {
			this.events.forget(Instant.now().minus(this.settings.keepEvents()));
			// A conversation the platform ended leaves its hold behind; one older than
			// the live window is of no conversation anyone can act on any more.
			this.holds.forget(Instant.now().minus(this.settings.window()));
		}
		catch (RuntimeException ex) {
			logger.warn("Could not forget old live events: {}", ex.toString());
		}
	}

	void closeAll() {
		this.viewers.forEach(Viewer::close);
		this.viewers.clear();
	}

	int viewers() {
		return this.viewers.size();
	}

}
