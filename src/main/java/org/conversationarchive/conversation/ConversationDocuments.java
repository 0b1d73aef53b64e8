package org.conversationarchive.conversation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.conversationarchive.conversation.Conversation.Artifact;
import org.conversationarchive.conversation.Conversation.Audio;
import org.conversationarchive.conversation.Conversation.Flag;
import org.conversationarchive.conversation.Conversation.FlagEvent;
import org.conversationarchive.conversation.index.RecordCopy;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * The index document of a conversation as every write of a whole document stores it: its
 * fields and derived fields ({@link ConversationMapper}), and its export row
 * ({@link ExportRows}), which the mapping alone cannot add.
 */
@Component
public class ConversationDocuments {

	private static final RecordCopy<ConversationDocument> WITH_EXPORT_ROW = RecordCopy.of(ConversationDocument.class,
			"exportRow");

	private final ConversationMapper mapper;

	private final ExportRows exportRows;

	ConversationDocuments(ConversationMapper mapper, ExportRows exportRows) {
		this.mapper = mapper;
		this.exportRows = exportRows;
	}

	/**
	 * A conversation a client sent, with the flags the archive set on its stored version
	 * in place of any the client sent as the archive's ({@link Flag#archiveSet()}): a
	 * client never removes a rule's or a person's flag, nor forges one (one it read and
	 * sends back is the stored one, not added twice; one removed since is not brought
	 * back).
	 * @param conversation as the client sent it
	 * @param stored its stored document (with its flags at least), if it exists
	 * @return the conversation with the flags to write
	 */
	Conversation keepingFlags(Conversation conversation, @Nullable ConversationDocument stored) {
		List<Flag> kept = (stored != null && stored.flags() != null)
				? stored.flags().stream().filter((flag) -> flag != null && flag.archiveSet()).toList() : List.of();
		List<Flag> sent = (conversation.flags() != null) ? conversation.flags() : List.of();
		if (kept.isEmpty() && sent.stream().noneMatch((flag) -> flag != null && flag.archiveSet())) {
			return conversation;
		}
		Set<Flag> flags = new LinkedHashSet<>();
		sent.stream().filter((flag) -> flag == null || !flag.archiveSet()).forEach(flags::add);
		flags.addAll(kept);
		return this.mapper.withFlags(conversation, conversation.flagged(),
				flags.isEmpty() ? null : new ArrayList<>(flags), conversation.tags());
	}

	/**
	 * The document to write for a conversation.
	 * @param org the org it belongs to
	 * @param conversation the conversation (valid)
	 * @param storedContactCount the contact's conversation count as documents store it
	 * @param contactDailyRank its rank among the contact's conversations of the 24 hours
	 * up to its start, as known now
	 * @param audio its recording, kept from the stored document
	 * @param artifacts its artifacts, kept from the stored document
	 * @param flagHistory its flag history, kept from the stored document
	 * @param updatedAt when it is written
	 * @param writeToken the token of the write that stores it
	 * ({@link ConversationDocument}), or the stored one for a write that continues it
	 * @return the document, export row included
	 */
	public ConversationDocument of(String org, Conversation conversation, @Nullable Integer storedContactCount,
			@Nullable Integer contactDailyRank, @Nullable Audio audio, @Nullable List<Artifact> artifacts,
			@Nullable List<FlagEvent> flagHistory, Instant updatedAt, @Nullable String writeToken) {
		ConversationDocument document = this.mapper.toDocument(org, conversation, storedContactCount, contactDailyRank,
				audio, artifacts, flagHistory, updatedAt, Languages.of(conversation.tags(), conversation.messages()),
				writeToken);
		return WITH_EXPORT_ROW.with(document, this.exportRows.render(document));
	}

}
