package org.conversationarchive.conversation;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The conversations deleted from each yearly index, recorded before they are deleted, so
 * that a rebuild of the index deletes from its copy what was deleted from the index while
 * it copied. Kept a week: a rebuild takes minutes to hours.
 */
@Component
class ConversationDeletions {

	private final JdbcTemplate jdbc;

	ConversationDeletions(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Records that a document is about to be deleted from an index.
	 * @param index the index, by its yearly name
	 * @param documentId the document's {@code _id}
	 */
	void record(String index, String documentId) {
		this.jdbc.update(
				"insert into archive_conversation_deletion (index_name, document_id, deleted_at) " + "values (?, ?, ?)",
				index, documentId, Timestamp.from(Instant.now()));
	}

	/**
	 * The documents deleted from an index since an instant.
	 * @param index the index, by its yearly name
	 * @param since the instant
	 * @return their {@code _id}s, each once
	 */
	List<String> since(String index, Instant since) {
		return this.jdbc.queryForList(
				"select distinct document_id from archive_conversation_deletion where index_name = ? and deleted_at >= ?",
				String.class, index, Timestamp.from(since));
	}

	/**
	 * Forgets the deletions older than an instant.
	 * @param before the instant
	 */
	void prune(Instant before) {
		this.jdbc.update("delete from archive_conversation_deletion where deleted_at < ?", Timestamp.from(before));
	}

}
