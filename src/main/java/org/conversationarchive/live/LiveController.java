package org.conversationarchive.live;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.conversationarchive.conversation.ConversationDocument;
import org.conversationarchive.conversation.Conversations;
import org.conversationarchive.security.CurrentUser;
import org.conversationarchive.system.NotFoundException;

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

	LiveController(LiveConversations live, LiveStreams streams, Conversations conversations, Holds holds,
			CurrentUser user) {
		this.live = live;
		this.streams = streams;
		this.conversations = conversations;
		this.holds = holds;
		this.user = user;
	}

	@GetMapping("/api/v1/live")
	Map<String, List<LiveSummary>> list() throws IOException {
		return Map.of("items", this.live.summaries(this.user.id()));
	}

	/**
	 * {@code event: conversations} with the live list now, then {@code event:
	 * conversation} with each that changes (it may be over: drop it then) and {@code
	 * event: removed} for one deleted.
	 */
	@GetMapping(path = "/api/v1/live/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter stream() throws IOException {
		String org = this.user.id();
		return this.streams.list(org, this.live.summaries(org));
	}

	/**
	 * A conversation as it happens: {@code event: conversation} (its summary), {@code
	 * event: messages} ({@code {"from", "items"}}: the messages from that index on) and
	 * {@code event: actions} (all its actions), first as it is, then on every change.
	 */
	@GetMapping(path = "/api/v1/conversations/{id}/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter conversation(@PathVariable String id) throws IOException {
		String org = this.user.id();
		ConversationDocument conversation = this.conversations.find(org, id)
			.orElseThrow(() -> new NotFoundException("no conversation '" + id + "'"))
			.document();
		return this.streams.conversation(org, conversation, this.holds.find(org, id).orElse(null));
	}

}
