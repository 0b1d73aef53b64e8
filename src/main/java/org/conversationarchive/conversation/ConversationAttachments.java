package org.conversationarchive.conversation;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import org.conversationarchive.conversation.Conversation.Artifact;
import org.conversationarchive.conversation.Conversation.Audio;
import org.conversationarchive.elasticsearch.ArchiveIndices;
import org.conversationarchive.system.NotFoundException;
import org.conversationarchive.system.StorageUnavailableException;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * The audio and artifacts a conversation document lists, within one org. They are set by
 * partial updates conditional on the version read, retried when another write came first,
 * so that an upload never loses another one or a concurrent append.
 */
@Component
public class ConversationAttachments {

	private static final int ATTEMPTS = 10;

	private static final List<String> FIELDS = List.of("id", "audio", "artifacts");

	private static final Set<String> INDEX_GONE = Set.of("index_not_found_exception",
			"no_shard_available_action_exception");

	private final ElasticsearchClient client;

	private final ArchiveIndices indices;

	private final Conversations conversations;

	ConversationAttachments(ElasticsearchClient client, ArchiveIndices indices, Conversations conversations) {
		this.client = client;
		this.indices = indices;
		this.conversations = conversations;
	}

	/**
	 * Lists a recording on its conversation, replacing the one listed before.
	 * @param org the org
	 * @param id the conversation id
	 * @param audio the recording
	 * @return the recording listed before, if any
	 * @throws NotFoundException when the org has no such conversation
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	public @Nullable Audio setAudio(String org, String id, Audio audio) throws IOException {
		return update(org, id, (document) -> Map.of("audio", audio)).audio();
	}

	/**
	 * Changes the artifacts a conversation lists.
	 * @param org the org
	 * @param id the conversation id
	 * @param change given the artifacts listed now (a copy, perhaps empty), those to list
	 * @throws NotFoundException when the org has no such conversation
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	public void updateArtifacts(String org, String id, UnaryOperator<List<Artifact>> change) throws IOException {
		update(org, id, (document) -> Map.of("artifacts", change
			.apply((document.artifacts() != null) ? new ArrayList<>(document.artifacts()) : new ArrayList<>())));
	}

	/**
	 * The conversation of the org that lists an artifact.
	 * @param org the org
	 * @param artifactId the artifact's id
	 * @return its document (its id, audio and artifacts), if the org has one
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	public Optional<ConversationDocument> listing(String org, String artifactId) throws IOException {
		SearchResponse<ConversationDocument> response = this.client.search(
				(search) -> search.index(this.indices.conversations())
					.ignoreUnavailable(true)
					.allowNoIndices(true)
					.routing(org)
					.size(1)
					.source((source) -> source.filter((filter) -> filter.includes(FIELDS)))
					.query((query) -> query
						.bool((bool) -> bool.filter((filter) -> filter.term((term) -> term.field("org").value(org)))
							.filter((filter) -> filter.term((term) -> term.field("artifacts.id").value(artifactId))))),
				ConversationDocument.class);
		return response.hits().hits().stream().map(Hit::source).filter((document) -> document != null).findFirst();
	}

	private ConversationDocument update(String org, String id, Function<ConversationDocument, Map<String, ?>> change)
			throws IOException {
		StoredConversation located = located(org, id);
		for (int attempt = 1;; attempt++) {
			// A real-time read: a search would not see a write that came first until the
			// next refresh.
			StoredConversation stored;
			try {
				stored = read(org, id, located);
			}
			catch (ElasticsearchException ex) {
				if (!swappedAway(ex) || attempt == ATTEMPTS) {
					throw ex;
				}
				pause(attempt);
				continue;
			}
			if (stored == null) {
				// Moved to another year's index, or deleted, meanwhile.
				located = located(org, id);
				stored = read(org, id, located);
				if (stored == null) {
					throw new NotFoundException("no conversation '" + id + "'");
				}
			}
			StoredConversation current = stored;
			// Stamped as every write is, so that what watches updatedAt (review rules, an
			// index rebuild's catch-up) sees it.
			Map<String, Object> partial = new HashMap<>(change.apply(current.document()));
			partial.put("updatedAt", Instant.now().toString());
			try {
				this.client.update((update) -> update.index(current.index())
					.id(ConversationDocument.documentId(org, id))
					.routing(org)
					.ifSeqNo(current.seqNo())
					.ifPrimaryTerm(current.primaryTerm())
					.refresh(Refresh.WaitFor)
					.doc(partial), ConversationDocument.class);
				return current.document();
			}
			catch (ElasticsearchException ex) {
				boolean swapped = swappedAway(ex);
				if (ex.status() == 404 && !swapped) {
					throw new NotFoundException("no conversation '" + id + "'");
				}
				if (ex.status() != 409 && !swapped) {
					throw ex;
				}
				if (attempt == ATTEMPTS) {
					throw new StorageUnavailableException(
							"conversation '" + id + "' kept changing while its attachments were updated", ex);
				}
			}
		}
	}

	/**
	 * Whether a read or write went to a yearly index that a rebuild's swap removed while
	 * it was on its way: the yearly name leads to the rebuilt index now, so it is tried
	 * again rather than answered as a missing conversation or a failure.
	 */
	private static boolean swappedAway(ElasticsearchException ex) {
		if (ex.error() == null) {
			return false;
		}
		return INDEX_GONE.contains(ex.error().type())
				|| ex.error().rootCause().stream().anyMatch((cause) -> INDEX_GONE.contains(cause.type()))
				|| (ex.error().causedBy() != null && INDEX_GONE.contains(ex.error().causedBy().type()));
	}

	private static void pause(int attempt) {
		try {
			Thread.sleep(50L * attempt);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new StorageUnavailableException("interrupted while a conversation's attachments were updated", ex);
		}
	}

	private StoredConversation located(String org, String id) throws IOException {
		return this.conversations.findAll(org, List.of(id), FIELDS)
			.values()
			.stream()
			.findFirst()
			.orElseThrow(() -> new NotFoundException("no conversation '" + id + "'"));
	}

	private @Nullable StoredConversation read(String org, String id, StoredConversation located) throws IOException {
		GetResponse<ConversationDocument> response = this.client.get((get) -> get.index(located.index())
			.id(ConversationDocument.documentId(org, id))
			.routing(org)
			.sourceIncludes(FIELDS), ConversationDocument.class);
		if (!response.found() || response.source() == null || response.seqNo() == null
				|| response.primaryTerm() == null) {
			return null;
		}
		return new StoredConversation(this.indices.addressed(response.index()), response.seqNo(),
				response.primaryTerm(), response.source());
	}

}
