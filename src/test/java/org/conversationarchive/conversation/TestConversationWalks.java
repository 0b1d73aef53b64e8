package org.conversationarchive.conversation;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import org.conversationarchive.elasticsearch.ArchiveIndices;

/**
 * Walks over a test's own client, for tests that read points in time without the
 * application (their points in time are opened on indices of their own).
 */
public final class TestConversationWalks {

	private TestConversationWalks() {
	}

	public static ConversationWalks on(ElasticsearchClient client) {
		return new ConversationWalks(client, new ArchiveIndices("archive"));
	}

}
