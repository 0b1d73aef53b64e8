package org.conversationarchive.live;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.search.Hit;
import org.conversationarchive.conversation.ConversationDocument;
import org.conversationarchive.conversation.ConversationSearches;
import org.conversationarchive.conversation.Conversations;
import org.conversationarchive.conversation.Status;

import org.springframework.stereotype.Component;

/**
 * The org's live conversations now: those a search finds in progress or handed to a
 * human, and those written since the last refresh (which the search cannot see yet), each
 * as it is now.
 */
@Component
class LiveConversations {

	/** At most this many: a live list is for watching, not for paging through. */
	static final int MAX = 500;

	/** Longer than any refresh interval a searchable write may wait for. */
	private static final Duration UNSEARCHABLE = Duration.ofSeconds(60);

	private final ConversationSearches searches;

	private final Conversations conversations;

	private final LiveEvents events;

	private final Holds holds;

	private final LiveSettings settings;

	LiveConversations(ConversationSearches searches, Conversations conversations, LiveEvents events, Holds holds,
			LiveSettings settings) {
		this.settings = settings;
		this.searches = searches;
		this.conversations = conversations;
		this.events = events;
		this.holds = holds;
	}

	/**
	 * Live conversations as found: at most {@link #MAX} of them, and how many more there
	 * are, so that a list says it is not whole rather than end silently.
	 *
	 * @param conversations those listed
	 * @param unlisted how many more there are
	 */
	record Found(List<ConversationDocument> conversations, long unlisted) {

		boolean complete() {
			return this.unlisted == 0;
		}

	}

	/**
	 * The org's live list as the API answers it.
	 *
	 * @param items at most {@link #MAX}, the latest started first
	 * @param total how many conversations are live
	 */
	record LiveList(List<LiveSummary> items, long total) {
	}

	/**
	 * The org's live conversations, latest started first.
	 * @param org the org
	 * @return the conversations started or spoken in within {@code archive.live.window}
	 */
	Found find(String org) throws IOException {
		return find(org, SortOrder.Desc);
	}

	/**
	 * The org's live conversations, the earliest started first: the inbox's, whose
	 * longest waits must not fall off the end of a list of the latest.
	 */
	Found oldestFirst(String org) throws IOException {
		return find(org, SortOrder.Asc);
	}

	private Found find(String org, SortOrder order) throws IOException {
		Map<String, ConversationDocument> found = new LinkedHashMap<>();
		Instant since = Instant.now().minus(this.settings.window());
		var response = this.searches.search(org,
				(search) -> search.size(MAX)
					.trackTotalHits((total) -> total.enabled(true))
					.query(live(org, since))
					.sort((sort) -> sort.field((field) -> field.field("startedAt").order(order))),
				ConversationDocument.class);
		for (Hit<ConversationDocument> hit : response.hits().hits()) {
			if (hit.source() != null) {
				found.put(hit.source().id(), hit.source());
			}
		}
		long unlisted = (response.hits().total() != null)
				? Math.max(0, response.hits().total().value() - response.hits().hits().size()) : 0;
		List<String> lately = this.events.writtenSince(org, Instant.now().minus(UNSEARCHABLE));
		this.conversations.findAll(org, lately, List.of()).forEach((id, stored) -> found.put(id, stored.document()));
		List<ConversationDocument> live = new ArrayList<>();
		for (ConversationDocument conversation : found.values()) {
			// The search's window, for those found by their writes too.
			if (recent(conversation, since) && LiveState.of(conversation, null).kind() != LiveState.Kind.OVER) {
				live.add(conversation);
			}
		}
		Comparator<ConversationDocument> started = Comparator.comparing(ConversationDocument::startedAt);
		live.sort((order == SortOrder.Asc) ? started : started.reversed());
		return new Found(live, unlisted);
	}

	/**
	 * The org's conversations in progress or handed to a human, started or spoken in
	 * since a time: not history a platform never ended.
	 */
	private static Query live(String org, Instant since) {
		List<FieldValue> statuses = List.of(FieldValue.of(Status.IN_PROGRESS.json()),
				FieldValue.of(Status.HUMAN_HANDOFF.json()));
		Query recent = Query.of((query) -> query.bool((bool) -> bool.minimumShouldMatch("1")
			.should((should) -> should
				.range((range) -> range.date((date) -> date.field("lastMessageAt").gte(since.toString()))))
			.should((should) -> should
				.range((range) -> range.date((date) -> date.field("startedAt").gte(since.toString()))))));
		return Query.of((query) -> query
			.bool((bool) -> bool.filter((filter) -> filter.term((term) -> term.field("org").value(org)))
				.filter((filter) -> filter
					.terms((terms) -> terms.field("status").terms((values) -> values.value(statuses))))
				.filter(recent)));
	}

	/**
	 * Whether a conversation started or was spoken in since a time.
	 */
	static boolean recent(ConversationDocument conversation, Instant since) {
		return !conversation.startedAt().isBefore(since)
				|| (conversation.lastMessageAt() != null && !conversation.lastMessageAt().isBefore(since));
	}

	LiveList summaries(String org) throws IOException {
		Found found = find(org);
		List<ConversationDocument> live = found.conversations();
		Map<String, Holds.Hold> held = this.holds.findAll(org, live.stream().map(ConversationDocument::id).toList());
		Instant now = Instant.now();
		return new LiveList(live.stream()
			.map((conversation) -> LiveSummary.of(conversation, held.get(conversation.id()), now))
			.toList(), live.size() + found.unlisted());
	}

}
