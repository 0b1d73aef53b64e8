package org.conversationarchive.media;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import org.conversationarchive.conversation.Conversation.Artifact;
import org.conversationarchive.conversation.Conversation.Audio;
import org.conversationarchive.conversation.ConversationDocument;
import org.conversationarchive.conversation.Conversations;
import org.conversationarchive.conversation.StoredConversation;
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
class Attachments {

	private static final int ATTEMPTS = 10;

	private static final List<String> FIELDS = List.of("id", "audio", "artifacts");

	/**
	 * Transcript order: by message, artifacts of no particular message last, then in the
	 * order they came.
	 */
	static final Comparator<Artifact> TRANSCRIPT_ORDER = Comparator
		.comparing(Artifact::messageIndex, Comparator.nullsLast(Comparator.naturalOrder()))
		.thenComparing(Artifact::uploadedAt, Comparator.nullsFirst(Comparator.naturalOrder()))
		.thenComparing(Artifact::id, Comparator.nullsFirst(Comparator.naturalOrder()));

	private final ElasticsearchClient client;

	private final ArchiveIndices indices;

	private final Conversations conversations;

	Attachments(ElasticsearchClient client, ArchiveIndices indices, Conversations conversations) {
		this.client = client;
		this.indices = indices;
		this.conversations = conversations;
	}

	/**
	 * A conversation of the org with its attachments (and not its transcript).
	 * @param org the org
	 * @param id the conversation id
	 * @return where it is stored and what it lists
	 * @throws NotFoundException when the org has no such conversation
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	StoredConversation conversation(String org, String id) throws IOException {
		return this.conversations.findAll(org, List.of(id), FIELDS)
			.values()
			.stream()
			.findFirst()
			.orElseThrow(() -> new NotFoundException("no conversation '" + id + "'"));
	}

	/**
	 * How many messages a conversation of the org has.
	 * @param org the org
	 * @param id the conversation id
	 * @return the length of its transcript
	 * @throws NotFoundException when the org has no such conversation
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	int messageCount(String org, String id) throws IOException {
		ConversationDocument document = this.conversations.findAll(org, List.of(id), List.of("id", "messages.at"))
			.values()
			.stream()
			.findFirst()
			.orElseThrow(() -> new NotFoundException("no conversation '" + id + "'"))
			.document();
		return (document.messages() != null) ? document.messages().size() : 0;
	}

	/**
	 * Lists a recording on its conversation, replacing the one listed before.
	 * @param org the org
	 * @param id the conversation id
	 * @param audio the recording
	 * @return the recording listed before, if any
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	@Nullable Audio setAudio(String org, String id, Audio audio) throws IOException {
		return update(org, id, (document) -> Map.of("audio", audio)).audio();
	}

	/**
	 * Lists an artifact on its conversation, in transcript order.
	 * @param org the org
	 * @param id the conversation id
	 * @param artifact the artifact (without its url: links are not stored)
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	void addArtifact(String org, String id, Artifact artifact) throws IOException {
		update(org, id, (document) -> {
			List<Artifact> artifacts = new ArrayList<>();
			if (document.artifacts() != null) {
				artifacts.addAll(document.artifacts());
			}
			artifacts.add(artifact);
			artifacts.sort(TRANSCRIPT_ORDER);
			return Map.of("artifacts", artifacts);
		});
	}

	/**
	 * Finds an artifact of the org by its id, whichever conversation lists it.
	 * @param org the org
	 * @param artifactId the artifact's id
	 * @return the artifact and its conversation, if the org has it
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	Optional<Located> artifact(String org, String artifactId) throws IOException {
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
		for (Hit<ConversationDocument> hit : response.hits().hits()) {
			ConversationDocument document = hit.source();
			if (document != null && document.artifacts() != null) {
				for (Artifact artifact : document.artifacts()) {
					if (artifactId.equals(artifact.id())) {
						return Optional.of(new Located(document.id(), artifact));
					}
				}
			}
		}
		return Optional.empty();
	}

	private ConversationDocument update(String org, String id, Function<ConversationDocument, Map<String, ?>> change)
			throws IOException {
		StoredConversation located = conversation(org, id);
		for (int attempt = 1;; attempt++) {
			// A real-time read: a search would not see a write that came first until the
			// next refresh.
			StoredConversation stored = read(org, id, located);
			if (stored == null) {
				// Moved to another year's index, or deleted, meanwhile.
				located = conversation(org, id);
				stored = read(org, id, located);
				if (stored == null) {
					throw new NotFoundException("no conversation '" + id + "'");
				}
			}
			StoredConversation current = stored;
			Map<String, ?> partial = change.apply(current.document());
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
				if (ex.status() == 404) {
					throw new NotFoundException("no conversation '" + id + "'");
				}
				if (ex.status() != 409) {
					throw ex;
				}
				if (attempt == ATTEMPTS) {
					throw new StorageUnavailableException(
							"conversation '" + id + "' kept changing while its attachments were updated", ex);
				}
			}
		}
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
		return new StoredConversation(response.index(), response.seqNo(), response.primaryTerm(), response.source());
	}

	/**
	 * An artifact and the conversation that lists it.
	 *
	 * @param conversationId the conversation's id
	 * @param artifact the artifact as stored
	 */
	record Located(String conversationId, Artifact artifact) {
	}

}
