package org.conversationarchive.search;

import java.util.List;

import org.conversationarchive.conversation.ConversationDocument;
import org.jspecify.annotations.Nullable;
import org.mapstruct.Mapper;

/**
 * From indexed documents to table rows.
 */
@Mapper
interface SearchMapper {

	ConversationRow toRow(ConversationDocument document, @Nullable List<ConversationRow.Highlight> highlights);

}
