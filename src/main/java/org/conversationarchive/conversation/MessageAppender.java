package org.conversationarchive.conversation;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import org.conversationarchive.conversation.Conversation.Message;
import org.conversationarchive.conversation.index.DocumentJson;
import org.conversationarchive.system.InvalidInputException;
import org.conversationarchive.system.NotFoundException;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Adds messages to a conversation that is still going. A message already in the
 * transcript is not added again, so a client may resend; the transcript stays in time
 * order and the derived fields follow. Concurrent appends do not lose each other: the
 * write is conditional on the version read, and retried.
 */
@Component
class MessageAppender {

	private static final int ATTEMPTS = 10;

	private final ElasticsearchClient client;

	private final Conversations conversations;

	private final ConversationMapper mapper;

	private final ConversationDocuments documents;

	private final DocumentJson documentJson;

	private final ApplicationEventPublisher events;

	MessageAppender(ElasticsearchClient client, Conversations conversations, ConversationMapper mapper,
			ConversationDocuments documents, DocumentJson documentJson, ApplicationEventPublisher events) {
		this.events = events;
		this.client = client;
		this.documents = documents;
		this.documentJson = documentJson;
		this.conversations = conversations;
		this.mapper = mapper;
	}

	Conversation append(String org, String id, List<Message> messages, Function<Conversation, @Nullable String> problem)
			throws IOException {
		for (int attempt = 1;; attempt++) {
			StoredConversation stored = this.conversations.find(org, id)
				.orElseThrow(() -> new NotFoundException("no conversation '" + id + "'"));
			ConversationDocument document = stored.document();
			Set<Message> transcript = new LinkedHashSet<>(document.transcript());
			if (!transcript.addAll(messages)) {
				return this.conversations.toApi(document);
			}
			Conversation conversation = this.mapper.withMessages(this.mapper.toConversation(document, null),
					new ArrayList<>(transcript));
			String problemWithAll = problem.apply(conversation);
			if (problemWithAll != null) {
				throw new InvalidInputException(problemWithAll);
			}
			// The token of the write that stored it stays: an append continues that
			// write, which may yet be retried and must recognise the conversation as its
			// own; the append's own retry is safe without one (a message is not added
			// twice).
			ConversationDocument updated = this.documents.of(org, conversation, document.contactConversationCount(),
					document.contactDailyRank(), document.audio(), document.artifacts(), document.flagHistory(),
					Instant.now(), document.writeToken());
			// Written as every other write of a whole document writes it.
			BinaryData source = BinaryData.of(this.documentJson.bytes(updated), ContentType.APPLICATION_JSON);
			if (LiveConversationsWriting.live(document.status())) {
				// Told before the write: its readers wait until it is applied.
				this.events.publishEvent(new LiveConversationsWriting(org, Map.of(id, stored.seqNo())));
			}
			try {
				this.client.index((index) -> index.index(stored.index())
					.id(updated.documentId())
					.routing(org)
					.ifSeqNo(stored.seqNo())
					.ifPrimaryTerm(stored.primaryTerm())
					.document(source));
				return this.conversations.toApi(updated);
			}
			catch (ElasticsearchException ex) {
				if (ex.status() != 409 || attempt == ATTEMPTS) {
					throw ex;
				}
			}
		}
	}

}
