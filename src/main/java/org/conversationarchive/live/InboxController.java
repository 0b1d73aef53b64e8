package org.conversationarchive.live;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.conversationarchive.conversation.ConversationDocument;
import org.conversationarchive.conversation.Conversations;
import org.conversationarchive.security.AuditEvent;
import org.conversationarchive.security.CurrentUser;
import org.conversationarchive.security.Role;
import org.conversationarchive.system.InvalidInputException;
import org.conversationarchive.system.NotFoundException;
import org.conversationarchive.system.StrictJson;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The inbox: conversations waiting for a human (handed off or enqueued, and not answered
 * since), oldest wait first, with who claimed each, and counts per queue. An analyst
 * claims one (one person at a time: a second gets a {@code 409} naming the first),
 * releases it, replies and ends it through the actions API; a manager assigns one to
 * someone.
 */
@RestController
class InboxController {

	private final LiveConversations live;

	private final Conversations conversations;

	private final Holds holds;

	private final LiveEvents events;

	private final CurrentUser user;

	private final ApplicationEventPublisher publisher;

	private final JsonMapper json;

	InboxController(LiveConversations live, Conversations conversations, Holds holds, LiveEvents events,
			CurrentUser user, ApplicationEventPublisher publisher, JsonMapper json) {
		this.live = live;
		this.conversations = conversations;
		this.holds = holds;
		this.events = events;
		this.user = user;
		this.publisher = publisher;
		this.json = json;
	}

	/**
	 * A conversation in the inbox.
	 *
	 * @param conversation its summary
	 * @param waitingSeconds how long the customer has waited for a human
	 */
	record Waiting(LiveSummary conversation, long waitingSeconds) {
	}

	/**
	 * A queue's counts.
	 *
	 * @param queue its name ({@code null}: handed off to no queue in particular)
	 * @param waiting conversations nobody claimed
	 * @param claimed conversations someone holds and has not answered yet
	 */
	record QueueCount(@Nullable String queue, int waiting, int claimed) {
	}

	/**
	 * The inbox.
	 *
	 * @param items the conversations waiting, the longest wait first
	 * @param queues the counts per queue
	 * @param complete whether every live conversation was looked at: more than
	 * {@link LiveConversations#MAX} are live, the earliest started are, and the counts
	 * are theirs
	 */
	record Inbox(List<Waiting> items, List<QueueCount> queues, boolean complete) {
	}

	record AssignRequest(@Nullable String to) {
	}

	@GetMapping("/api/v1/inbox")
	Inbox inbox() throws IOException {
		String org = this.user.id();
		Instant now = Instant.now();
		LiveConversations.Found live = this.live.oldestFirst(org);
		List<ConversationDocument> found = live.conversations();
		Map<String, Holds.Hold> held = this.holds.findAll(org, found.stream().map(ConversationDocument::id).toList());
		Map<String, int[]> counts = new TreeMap<>(Comparator.nullsFirst(Comparator.naturalOrder()));
		List<Waiting> items = found.stream()
			.map((conversation) -> LiveSummary.of(conversation, held.get(conversation.id()), now))
			.filter((summary) -> summary.waitingSince() != null
					&& ("queued".equals(summary.state()) || "held".equals(summary.state())))
			.sorted(Comparator.comparing(LiveSummary::waitingSince))
			.map((summary) -> new Waiting(summary,
					Math.max(0, Duration.between(summary.waitingSince(), now).toSeconds())))
			.toList();
		for (Waiting waiting : items) {
			int[] count = counts.computeIfAbsent(waiting.conversation().queue(), (queue) -> new int[2]);
			count[(waiting.conversation().heldBy() != null) ? 1 : 0]++;
		}
		return new Inbox(items,
				counts.entrySet()
					.stream()
					.map((e) -> new QueueCount(e.getKey(), e.getValue()[0], e.getValue()[1]))
					.toList(),
				live.complete());
	}

	/**
	 * Claims a conversation waiting for a human: it is the caller's to answer until they
	 * release it, hand it back or end it.
	 */
	@PostMapping("/api/v1/inbox/{id}/claim")
	Holds.Hold claim(@PathVariable String id) throws IOException {
		this.user.require(Role.ANALYST, "claim conversations");
		String org = this.user.id();
		LiveState state = state(org, id);
		if (state.kind() == LiveState.Kind.OVER) {
			throw new ActionConflictException("the conversation is not in progress: there is nothing to claim");
		}
		if (state.kind() == LiveState.Kind.AI) {
			throw new ActionConflictException(
					"the AI agent has the conversation: it is not waiting for a human (take it over instead)");
		}
		Holds.Hold hold = this.holds.take(org, id, this.user.userId(), Holds.CLAIM);
		if (!hold.holder().equals(this.user.userId())) {
			throw ActionConflictException.held(hold);
		}
		changed(org, id, "conversation.claimed", null);
		return hold;
	}

	/**
	 * Lets go of a claim, the caller's own (a manager's may be anyone's).
	 */
	@PostMapping("/api/v1/inbox/{id}/release")
	Map<String, String> release(@PathVariable String id) throws IOException {
		this.user.require(Role.ANALYST, "release conversations");
		String org = this.user.id();
		state(org, id);
		Holds.Hold hold = this.holds.find(org, id)
			.orElseThrow(() -> new ActionConflictException("nobody holds the conversation"));
		takenOver(hold);
		if (!hold.holder().equals(this.user.userId())) {
			if (!this.user.can(Role.MANAGER)) {
				throw ActionConflictException.held(hold);
			}
		}
		this.holds.clear(org, id);
		changed(org, id, "conversation.released", hold.holder());
		return Map.of("released", hold.holder());
	}

	/**
	 * Gives a conversation waiting for a human to someone (managers).
	 */
	@PostMapping(path = "/api/v1/inbox/{id}/assign", consumes = MediaType.APPLICATION_JSON_VALUE)
	Holds.Hold assign(@PathVariable String id, @RequestBody(required = false) byte @Nullable [] body)
			throws IOException {
		this.user.require(Role.MANAGER, "assign conversations");
		AssignRequest request = StrictJson.read(this.json, body, AssignRequest.class, "{\"to\": \"user id\"}");
		String to = request.to();
		if (to == null || to.isBlank() || to.length() > 200 || !to.equals(to.strip())) {
			throw new InvalidInputException("to: the user id to assign it to, 1 to 200 characters");
		}
		String org = this.user.id();
		LiveState state = state(org, id);
		if (state.kind() == LiveState.Kind.OVER || state.kind() == LiveState.Kind.AI) {
			throw new ActionConflictException(
					(state.kind() == LiveState.Kind.OVER) ? "the conversation is not in progress"
							: "the AI agent has the conversation: it is not waiting for a human");
		}
		if (state.hold() != null) {
			takenOver(state.hold());
		}
		Holds.Hold hold = this.holds.give(org, id, to, Holds.ASSIGNED);
		changed(org, id, "conversation.assigned", to);
		return hold;
	}

	/**
	 * A take-over is the platform's too (the person is on the call): it ends with a hand
	 * back or an end, never by the inbox.
	 */
	private static void takenOver(Holds.Hold hold) {
		if (Holds.TAKE_OVER.equals(hold.kind())) {
			throw new ActionConflictException("'" + hold.holder() + "' took the conversation over: it ends with their "
					+ "hand_back or end action, not in the inbox");
		}
	}

	private LiveState state(String org, String id) throws IOException {
		ConversationDocument conversation = this.conversations.find(org, id)
			.orElseThrow(() -> new NotFoundException("no conversation '" + id + "'"))
			.document();
		LiveState state = LiveState.of(conversation, this.holds.find(org, id).orElse(null));
		if (state.kind() == LiveState.Kind.OVER) {
			// A hold outlives nothing: the conversation ended.
			this.holds.clear(org, id);
		}
		return state;
	}

	private void changed(String org, String id, String action, @Nullable String detail) {
		this.events.changed(org, id);
		this.publisher.publishEvent(new AuditEvent(org, action, id, detail));
	}

}
