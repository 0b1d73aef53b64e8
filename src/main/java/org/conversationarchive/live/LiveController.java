package org.conversationarchive.live;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.List;
import java.util.Map;

import org.conversationarchive.conversation.ConversationDocument;
import org.conversationarchive.conversation.Conversations;
import org.conversationarchive.security.CurrentUser;
import org.conversationarchive.gateway.GatewayClient;
import org.conversationarchive.security.Role;
import org.conversationarchive.system.NotFoundException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The org's live conversations, as a list and as server-sent events; a conversation's
 * transcript as it grows. Anyone who reads conversations may watch them.
 */
@RestController
class LiveController {

	private final LiveConversations live;

	private final LiveStreams streams;

	private final Conversations conversations;

	private final Holds holds;

	private final CurrentUser user;

	private final ActionLog log;

	private final GatewayClient gateway;

	private final JsonMapper json;

	/** Calls one person may listen to at once, on this instance. */
	static final int MAX_LISTENING = 3;

	private final Map<String, AtomicInteger> listeners = new ConcurrentHashMap<>();

	LiveController(LiveConversations live, LiveStreams streams, Conversations conversations, Holds holds,
			CurrentUser user, ActionLog log, GatewayClient gateway, JsonMapper json) {
		this.log = log;
		this.gateway = gateway;
		this.json = json;
		this.live = live;
		this.streams = streams;
		this.conversations = conversations;
		this.holds = holds;
		this.user = user;
	}

	@GetMapping("/api/v1/live")
	LiveConversations.LiveList list() throws IOException {
		return this.live.summaries(this.user.id());
	}

	/**
	 * {@code event: conversations} with the live list now, then {@code event:
	 * conversation} with each that changes (it may be over: drop it then) and {@code
	 * event: removed} for one deleted.
	 */
	@GetMapping(path = "/api/v1/live/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter stream() throws IOException {
		String org = this.user.id();
		return this.streams.list(org, this.user.userId(), () -> this.live.summaries(org));
	}

	/**
	 * A conversation as it happens: {@code event: conversation} (its summary), {@code
	 * event: messages} ({@code {"from", "items"}}: the messages from that index on) and
	 * {@code event: actions} (all its actions), first as it is, then on every change.
	 */
	@GetMapping(path = "/api/v1/conversations/{id}/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter conversation(@PathVariable String id) throws IOException {
		String org = this.user.id();
		return this.streams.conversation(org, this.user.userId(), id,
				() -> new LiveStreams.Current(this.conversations.find(org, id)
					.orElseThrow(() -> new NotFoundException("no conversation '" + id + "'"))
					.document(), this.holds.find(org, id).orElse(null)));
	}

	/**
	 * Listen In: the call's live audio, which the platform handed out for the caller's
	 * last {@code listen} action, played through the service (the platform's address
	 * never reaches the browser). Analysts and above, while the call is in progress.
	 */
	@GetMapping("/api/v1/conversations/{id}/listen")
	void listen(@PathVariable String id, HttpServletResponse response) throws IOException {
		this.user.require(Role.ANALYST, "listen to calls");
		String org = this.user.id();
		ConversationDocument conversation = this.conversations.find(org, id)
			.orElseThrow(() -> new NotFoundException("no conversation '" + id + "'"))
			.document();
		if (LiveState.of(conversation, null).kind() == LiveState.Kind.OVER) {
			throw new ActionConflictException("the call is not in progress: there is nothing to listen to (its "
					+ "recording, if any, is the conversation's audio)");
		}
		String url = this.log.lastSent(org, id, "listen", this.user.userId())
			.map(ActionLog.Recorded::detail)
			.map(this::listenUrl)
			.orElseThrow(() -> new ActionConflictException("take the listen action first (POST /api/v1/conversations/"
					+ id + "/actions {\"type\": \"listen\"})"));
		AtomicInteger listening = this.listeners.computeIfAbsent(org + "\u0000" + this.user.userId(),
				(key) -> new AtomicInteger());
		if (listening.incrementAndGet() > MAX_LISTENING) {
			listening.decrementAndGet();
			throw new ActionConflictException(
					"you are listening to " + MAX_LISTENING + " calls already: close one to listen to another");
		}
		// Written here, on this request's (virtual) thread, for as long as the call
		// goes: no asynchronous request whose timeout would cut a call short.
		try (GatewayClient.Listening audio = this.gateway.listen(org, url); InputStream in = audio.audio()) {
			// Audio, whatever the other side says it is: never a page of this origin.
			response.setContentType("audio/mpeg");
			response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
			response.setHeader("X-Content-Type-Options", "nosniff");
			response.setHeader("Content-Security-Policy", "default-src 'none'; sandbox");
			OutputStream out = response.getOutputStream();
			byte[] buffer = new byte[8192];
			for (int read; (read = in.read(buffer)) >= 0;) {
				out.write(buffer, 0, read);
				// Sent as it comes: it is live.
				out.flush();
			}
		}
		finally {
			listening.decrementAndGet();
		}
	}

	private @Nullable String listenUrl(@Nullable String answer) {
		if (answer == null) {
			return null;
		}
		try {
			JsonNode node = this.json.readTree(answer);
			return (node.get("listenUrl") != null && node.get("listenUrl").isString())
					? node.get("listenUrl").asString() : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

}
