package org.conversationarchive.conversation;

import tools.jackson.databind.json.JsonMapper;

/**
 * Makes index documents as the service does, for tests of other modules.
 */
public final class TestDocuments {

	private TestDocuments() {
	}

	public static ConversationDocuments documents(JsonMapper json) {
		return new ConversationDocuments(new ConversationMapperImpl(), new ExportRows(json));
	}

}
