package org.conversationarchive.conversation;

import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import org.conversationarchive.elasticsearch.ArchiveIndices;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Reads conversations by id, always within one org: the document ids are org-qualified
 * and the reads are routed to the org.
 */
@Component
public class Conversations {

	private final ElasticsearchClient client;

	private final ArchiveIndices indices;

	private final Contacts contacts;

	private final ConversationMapper mapper;

	private final ObjectProvider<ArtifactLinks> artifactLinks;

	Conversations(ElasticsearchClient client, ArchiveIndices indices, Contacts contacts, ConversationMapper mapper,
			ObjectProvider<ArtifactLinks> artifactLinks) {
		this.client = client;
		this.indices = indices;
		this.contacts = contacts;
		this.mapper = mapper;
		this.artifactLinks = artifactLinks;
	}

	/**
	 * One conversation, whole.
	 * @param org the org
	 * @param id the conversation id
	 * @return the stored conversation, if the org has it
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	public Optional<StoredConversation> find(String org, String id) throws IOException {
		return Optional.ofNullable(findAll(org, List.of(id), List.of()).get(id));
	}

	/**
	 * Several conversations, whole or in part, wherever (whichever year) they are.
	 * @param org the org
	 * @param ids the conversation ids
	 * @param fields the source fields to read; empty for all
	 * @return conversation id to stored conversation, for those that exist
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	public Map<String, StoredConversation> findAll(String org, Collection<String> ids, List<String> fields)
			throws IOException {
		Map<String, StoredConversation> found = new HashMap<>();
		if (ids.isEmpty()) {
			return found;
		}
		List<String> documentIds = ids.stream()
			.distinct()
			.map((id) -> ConversationDocument.documentId(org, id))
			.toList();
		SearchResponse<ConversationDocument> response = this.client.search((search) -> {
			search.index(this.indices.conversations())
				.ignoreUnavailable(true)
				.allowNoIndices(true)
				.routing(org)
				.query((query) -> query.ids((idsQuery) -> idsQuery.values(documentIds)))
				.size(documentIds.size() * 2)
				.seqNoPrimaryTerm(true);
			if (!fields.isEmpty()) {
				search.source((source) -> source.filter((filter) -> filter.includes(fields)));
			}
			return search;
		}, ConversationDocument.class);
		for (Hit<ConversationDocument> hit : response.hits().hits()) {
			ConversationDocument document = hit.source();
			String id = hit.id().substring(org.length() + 1);
			if (document != null && hit.index() != null && hit.seqNo() != null && hit.primaryTerm() != null) {
				// A conversation lives in one yearly index; should a crash between the
				// writes of a
				// move have left a second copy, the same one is always picked.
				StoredConversation stored = new StoredConversation(hit.index(), hit.seqNo(), hit.primaryTerm(),
						document);
				found.merge(id, stored, (a, b) -> (a.index().compareTo(b.index()) >= 0) ? a : b);
			}
		}
		return found;
	}

	/**
	 * The conversation as the API shows it, with its contact's exact conversation count
	 * and links to its artifacts.
	 * @param document the stored document
	 * @return the conversation
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	public Conversation toApi(ConversationDocument document) throws IOException {
		Integer count = document.contactConversationCount();
		String contactId = document.contactId();
		if (contactId != null) {
			count = this.contacts.counts(document.org(), List.of(contactId)).getOrDefault(contactId, count);
		}
		Conversation conversation = this.mapper.toConversation(document, count);
		ArtifactLinks links = this.artifactLinks.getIfAvailable();
		if (links != null && conversation.artifacts() != null) {
			conversation = this.mapper.withArtifacts(conversation,
					conversation.artifacts()
						.stream()
						.map((artifact) -> this.mapper.withUrl(artifact, links.url(artifact)))
						.toList());
		}
		return conversation;
	}

}
