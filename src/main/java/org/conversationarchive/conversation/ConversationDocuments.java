package org.conversationarchive.conversation;

import java.time.Instant;
import java.util.List;

import org.conversationarchive.conversation.Conversation.Artifact;
import org.conversationarchive.conversation.Conversation.Audio;
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
	 * The document to write for a conversation.
	 * @param org the org it belongs to
	 * @param conversation the conversation (valid)
	 * @param storedContactCount the contact's conversation count as documents store it
	 * @param audio its recording, kept from the stored document
	 * @param artifacts its artifacts, kept from the stored document
	 * @param flagHistory its flag history, kept from the stored document
	 * @param updatedAt when it is written
	 * @return the document, export row included
	 */
	public ConversationDocument of(String org, Conversation conversation, @Nullable Integer storedContactCount,
			@Nullable Audio audio, @Nullable List<Artifact> artifacts, @Nullable List<FlagEvent> flagHistory,
			Instant updatedAt) {
		ConversationDocument document = this.mapper.toDocument(org, conversation, storedContactCount, audio, artifacts,
				flagHistory, updatedAt);
		return WITH_EXPORT_ROW.with(document, this.exportRows.render(document));
	}

}
