package org.conversationarchive.media;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.conversationarchive.conversation.Conversation.Artifact;
import org.conversationarchive.conversation.Conversation.Audio;
import org.conversationarchive.conversation.ConversationAttachments;
import org.conversationarchive.conversation.ConversationDocument;
import org.conversationarchive.conversation.Conversations;
import org.conversationarchive.conversation.StoredConversation;
import org.conversationarchive.system.NotFoundException;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * The audio and artifacts a conversation document lists, within one org, as media reads
 * and changes them ({@link ConversationAttachments} writes them).
 */
@Component
class Attachments {

	private static final List<String> FIELDS = List.of("id", "audio", "artifacts");

	/**
	 * Transcript order: by message, artifacts of no particular message last, then in the
	 * order they came.
	 */
	static final Comparator<Artifact> TRANSCRIPT_ORDER = Comparator
		.comparing(Artifact::messageIndex, Comparator.nullsLast(Comparator.naturalOrder()))
		.thenComparing(Artifact::uploadedAt, Comparator.nullsFirst(Comparator.naturalOrder()))
		.thenComparing(Artifact::id, Comparator.nullsFirst(Comparator.naturalOrder()));

	private final Conversations conversations;

	private final ConversationAttachments attachments;

	Attachments(Conversations conversations, ConversationAttachments attachments) {
		this.conversations = conversations;
		this.attachments = attachments;
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
		return this.attachments.setAudio(org, id, audio);
	}

	/**
	 * Lists an artifact on its conversation, in transcript order, instead of one of the
	 * same id it listed before.
	 * @param org the org
	 * @param id the conversation id
	 * @param artifact the artifact (without its url: links are not stored)
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	void addArtifact(String org, String id, Artifact artifact) throws IOException {
		this.attachments.updateArtifacts(org, id, (artifacts) -> {
			artifacts.removeIf((listed) -> Objects.equals(listed.id(), artifact.id()));
			artifacts.add(artifact);
			artifacts.sort(TRANSCRIPT_ORDER);
			return artifacts;
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
		Optional<ConversationDocument> listing = this.attachments.listing(org, artifactId);
		if (listing.isPresent() && listing.get().artifacts() != null) {
			for (Artifact artifact : listing.get().artifacts()) {
				if (artifactId.equals(artifact.id())) {
					return Optional.of(new Located(listing.get().id(), artifact));
				}
			}
		}
		return Optional.empty();
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
