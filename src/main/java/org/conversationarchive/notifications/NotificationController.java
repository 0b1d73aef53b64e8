package org.conversationarchive.notifications;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.conversationarchive.security.CurrentUser;
import org.conversationarchive.system.NotFoundException;

import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The caller's notifications ("… export successful …" with the link, an alert that
 * fired), as a list and as a server-sent-event stream.
 */
@RestController
class NotificationController {

	private static final long STREAM_TIMEOUT = 30 * 60 * 1000L;

	private final Notifications notifications;

	private final CurrentUser user;

	private final NotificationSettings settings;

	private final Set<SseEmitter> streams = ConcurrentHashMap.newKeySet();

	private volatile boolean closing;

	NotificationController(Notifications notifications, CurrentUser user, NotificationSettings settings) {
		this.notifications = notifications;
		this.user = user;
		this.settings = settings;
	}

	@GetMapping("/api/v1/notifications")
	Map<String, List<Notifications.Notification>> list() {
		return Map.of("items", this.notifications.list(this.user.id(), this.user.userId(), null, 100));
	}

	@PostMapping("/api/v1/notifications/{id}/read")
	ResponseEntity<Void> read(@PathVariable String id) {
		if (!this.notifications.markRead(this.user.id(), this.user.userId(), id)) {
			throw new NotFoundException("no notification '" + id + "'");
		}
		return ResponseEntity.noContent().build();
	}

	/**
	 * New notifications as they come ({@code event: notification}, data: one as JSON).
	 * They are read from the database, so the stream sees them whichever instance ran the
	 * export.
	 */
	@GetMapping(path = "/api/v1/notifications/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter stream() {
		String org = this.user.id();
		String userId = this.user.userId();
		SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT);
		this.streams.add(emitter);
		Thread.ofVirtual().name("notifications-" + userId).start(() -> {
			Instant after = Instant.now();
			long deadline = System.currentTimeMillis() + STREAM_TIMEOUT;
			try {
				emitter.send(SseEmitter.event().comment("connected"));
				while (System.currentTimeMillis() < deadline && !this.closing) {
					for (Notifications.Notification notification : this.notifications.list(org, userId, after, 100)) {
						emitter.send(SseEmitter.event()
							.name("notification")
							.id(notification.id())
							.data(notification, MediaType.APPLICATION_JSON));
						after = notification.at();
					}
					Thread.sleep(this.settings.streamPoll());
				}
				emitter.complete();
			}
			catch (IOException | IllegalStateException ex) {
				// The client went away.
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				this.streams.remove(emitter);
			}
		});
		return emitter;
	}

	/**
	 * Ends the open streams when the service stops, so a graceful shutdown does not wait
	 * for them (clients reconnect to another instance).
	 */
	@EventListener(ContextClosedEvent.class)
	void closeStreams() {
		this.closing = true;
		this.streams.forEach(SseEmitter::complete);
	}

}
