package org.conversationarchive.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.conversationarchive.conversation.Conversation;
import org.conversationarchive.system.StorageUnavailableException;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes a chunk of an import: its valid conversations to the archive, its refused lines
 * to the import's error report. The report rows commit in the chunk's transaction, so a
 * chunk that is retried after a crash reports its lines once.
 */
class ImportWriter implements ItemWriter<ImportRecord> {

	private static final int MAX_ERROR_LENGTH = 2000;

	private final ConversationWriter writer;

	private final JdbcTemplate jdbc;

	private final String importId;

	private final String org;

	ImportWriter(ConversationWriter writer, JdbcTemplate jdbc, String importId, String org) {
		this.writer = writer;
		this.jdbc = jdbc;
		this.importId = importId;
		this.org = org;
	}

	@Override
	public void write(Chunk<? extends ImportRecord> chunk) throws IOException {
		List<ImportRecord> valid = new ArrayList<>();
		List<Object[]> errors = new ArrayList<>();
		for (ImportRecord record : chunk) {
			if (record.conversation() != null) {
				valid.add(record);
			}
			else {
				errors.add(error(record.line(), record.id(), String.valueOf(record.error())));
			}
		}
		List<Conversation> conversations = valid.stream().map(ImportRecord::conversation).toList();
		List<Written> written = this.writer.upsert(this.org, conversations, false);
		for (int i = 0; i < written.size(); i++) {
			Written result = written.get(i);
			if (result.status() == 503) {
				// Not stored for now: fail the chunk, so a restart writes it again.
				throw new StorageUnavailableException(String.valueOf(result.error()), null);
			}
			if (!result.stored()) {
				errors.add(error(valid.get(i).line(), result.id(), String.valueOf(result.error())));
			}
		}
		if (!errors.isEmpty()) {
			this.jdbc.batchUpdate(
					"insert into archive_import_error (import_id, line, conversation_id, error) values (?, ?, ?, ?)",
					errors);
		}
	}

	private Object[] error(long line, String id, String error) {
		String message = (error.length() > MAX_ERROR_LENGTH) ? error.substring(0, MAX_ERROR_LENGTH) : error;
		String conversationId = (id != null && id.length() > 128) ? id.substring(0, 128) : id;
		return new Object[] { this.importId, line, conversationId, message };
	}

}
