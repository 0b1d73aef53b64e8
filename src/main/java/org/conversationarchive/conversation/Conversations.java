package org.conversationarchive.conversation;

import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.MgetResponse;
import co.elastic.clients.elasticsearch.core.get.GetResult;
import co.elastic.clients.elasticsearch.core.mget.MultiGetResponseItem;
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

	private final Contacts contacts;

	private final ConversationMapper mapper;

	private final ObjectProvider<ArtifactLinks> artifactLinks;

	private final YearlyIndices yearlyIndices;

	private final ArchiveIndices indices;

	Conversations(ElasticsearchClient client, Contacts contacts, ConversationMapper mapper,
			ObjectProvider<ArtifactLinks> artifactLinks, YearlyIndices yearlyIndices, ArchiveIndices indices) {
		this.client = client;
		this.indices = indices;
		this.yearlyIndices = yearlyIndices;
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
		return find(org, ids, fields, (id, index) -> true);
	}

	/**
	 * Several conversations, in part, wherever they are but in the index each is about to
	 * be written to: a write that creates a conversation there learns whether it was
	 * already there from the write itself.
	 * @param org the org
	 * @param indexById conversation id to the index not to read it from
	 * @param fields the source fields to read; empty for all
	 * @return conversation id to stored conversation, for those found elsewhere
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	public Map<String, StoredConversation> findOutside(String org, Map<String, String> indexById, List<String> fields)
			throws IOException {
		return find(org, indexById.keySet(), fields, (id, index) -> !index.equals(indexById.get(id)));
	}

	private Map<String, StoredConversation> find(String org, Collection<String> ids, List<String> fields,
			BiPredicate<String, String> read) throws IOException {
		for (int attempt = 1;; attempt++) {
			try {
				return findOnce(org, ids, fields, read);
			}
			catch (ShardsMoved ex) {
				// A rebuilt year's index was swapped in while the gets were on their way
				// to the old one: its yearly name leads to the new one now.
				if (attempt == 3) {
					throw new IOException("Reading conversations failed: " + ex.getMessage());
				}
				try {
					Thread.sleep(100L * attempt);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					throw new IOException("Reading conversations was interrupted", interrupted);
				}
			}
		}
	}

	/**
	 * The shards a get was sent to went away under it.
	 */
	private static final class ShardsMoved extends IOException {

		ShardsMoved(String reason) {
			super(reason);
		}

	}

	private Map<String, StoredConversation> findOnce(String org, Collection<String> ids, List<String> fields,
			BiPredicate<String, String> read) throws IOException {
		Map<String, StoredConversation> found = new HashMap<>();
		if (ids.isEmpty()) {
			return found;
		}
		List<String> yearly = this.yearlyIndices.current();
		List<String> distinct = ids.stream().distinct().toList();
		if (yearly.isEmpty()
				|| yearly.stream().noneMatch((index) -> distinct.stream().anyMatch((id) -> read.test(id, index)))) {
			return found;
		}
		// Gets, not a search: they read what was just written without a refresh, and do
		// not wake shards that bulk ingest leaves idle (a search would make every shard
		// refresh each second, and merge the small segments that makes).
		MgetResponse<ConversationDocument> response = this.client.mget((mget) -> {
			for (String index : yearly) {
				for (String id : distinct) {
					if (read.test(id, index)) {
						String documentId = ConversationDocument.documentId(org, id);
						mget.docs((doc) -> doc.index(index).id(documentId).routing(org));
					}
				}
			}
			// The fields once for all the gets, not on each of them.
			return fields.isEmpty() ? mget : mget.sourceIncludes(fields);
		}, ConversationDocument.class);
		Set<String> inClosedIndices = new HashSet<>();
		for (MultiGetResponseItem<ConversationDocument> item : response.docs()) {
			if (item.isFailure()) {
				String type = item.failure().error().type();
				if ("index_closed_exception".equals(type)) {
					inClosedIndices.add(item.failure().id().substring(org.length() + 1));
				}
				else if ("no_shard_available_action_exception".equals(type)) {
					throw new ShardsMoved(item.failure().error().reason());
				}
				else if (!"index_not_found_exception".equals(type)) {
					throw new IOException("Reading conversations failed: " + item.failure().error().reason());
				}
				continue;
			}
			GetResult<ConversationDocument> hit = item.result();
			ConversationDocument document = hit.source();
			if (hit.found() && document != null && hit.seqNo() != null && hit.primaryTerm() != null) {
				String id = hit.id().substring(org.length() + 1);
				// A conversation lives in one yearly index; should a crash between the
				// writes of a move have left a second copy, the same one is always
				// picked.
				// By its yearly name (a rebuilt year's concrete index is not), so that a
				// write compares and addresses it as the writer does.
				StoredConversation stored = new StoredConversation(this.indices.addressed(hit.index()), hit.seqNo(),
						hit.primaryTerm(), document);
				found.merge(id, stored, (a, b) -> (a.index().compareTo(b.index()) >= 0) ? a : b);
			}
		}
		// A conversation found in an open index is the one (it lives in one); one not
		// found may be in a closed year: a read cannot tell, so it fails (503) rather
		// than say it is not there, and a write rather than store a second copy of it.
		if (!found.keySet().containsAll(inClosedIndices)) {
			throw new IOException("Reading conversations failed: a yearly index they may be in is closed");
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
