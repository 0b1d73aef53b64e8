package org.conversationarchive.conversation;

import java.io.IOException;
import java.util.List;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.Refresh;
import org.conversationarchive.conversation.index.ContactUpkeep;
import org.conversationarchive.security.AuditEvent;
import org.conversationarchive.system.NotFoundException;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Deletes a conversation; its contact is recounted and its files follow
 * ({@link ConversationDeleted}).
 */
@Component
class ConversationDeleter {

	private final ElasticsearchClient client;

	private final Conversations conversations;

	private final ContactUpkeep upkeep;

	private final ApplicationEventPublisher events;

	private final ConversationDeletions deletions;

	ConversationDeleter(ElasticsearchClient client, Conversations conversations, ContactUpkeep upkeep,
			ApplicationEventPublisher events, ConversationDeletions deletions) {
		this.client = client;
		this.deletions = deletions;
		this.conversations = conversations;
		this.upkeep = upkeep;
		this.events = events;
	}

	void delete(String org, String id) throws IOException {
		StoredConversation stored = this.conversations.find(org, id)
			.orElseThrow(() -> new NotFoundException("no conversation '" + id + "'"));
		String contactId = stored.document().contactId();
		String touch = (contactId != null) ? this.upkeep.record(org, List.of(contactId)) : null;
		if (contactId != null) {
			// The ranks of the contact's conversations of the day after it go down.
			this.upkeep.started(org, contactId, stored.document().startedAt());
		}
		// Recorded first: a rebuild of the index copying meanwhile must not miss it.
		this.deletions.record(stored.index(), stored.document().documentId());
		this.client.delete((delete) -> delete.index(stored.index())
			.id(stored.document().documentId())
			.routing(org)
			.refresh(Refresh.WaitFor));
		if (contactId != null) {
			this.upkeep.changed(org, java.util.Map.of(contactId, -1));
			this.upkeep.touched(org, List.of(contactId), touch);
		}
		this.events.publishEvent(new ConversationDeleted(org, id));
		this.events.publishEvent(new AuditEvent(org, "conversation.deleted", id, null));
	}

}
