package org.conversationarchive.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.conversationarchive.conversation.Conversation;
import org.conversationarchive.conversation.ConversationWriter;
import org.conversationarchive.conversation.Written;
import org.conversationarchive.system.StorageUnavailableException;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes a chunk of an import: its valid conversations to the archive, its refused lines
 * to the import's error report. The report rows commit in the chunk's transaction, so a
 * chunk that is retried after a crash reports its lines once. The indices written to are
 * kept with every commit ({@link #INDICES}), for the refresh that makes the whole import
 * searchable once it is written.
 */
class ImportWriter implements ItemStreamWriter<ImportRecord> {

	/**
	 * The step's saved state: the indices written to, comma-separated.
	 */
	static final String INDICES = "import.indices";

	private static final int MAX_ERROR_LENGTH = 2000;

	private final ConversationWriter writer;

	private final JdbcTemplate jdbc;

	private final String importId;

	private final String org;

	private final Set<String> indices = new TreeSet<>();

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
		List<Written> written = this.writer.upsert(this.org, conversations, this.indices);
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

	@Override
	public void open(ExecutionContext context) {
		// A restarted import: the indices its earlier runs wrote to.
		this.indices.addAll(indices(context));
	}

	@Override
	public void update(ExecutionContext context) {
		context.putString(INDICES, String.join(",", this.indices));
	}

	/**
	 * The indices an import wrote to, as its saved state has them.
	 * @param context the import step's saved state, or the job's it was promoted to
	 * @return the index names
	 */
	static Set<String> indices(ExecutionContext context) {
		String saved = context.getString(INDICES, "");
		return saved.isEmpty() ? Set.of() : Set.of(saved.split(","));
	}

	private Object[] error(long line, String id, String error) {
		String message = (error.length() > MAX_ERROR_LENGTH) ? error.substring(0, MAX_ERROR_LENGTH) : error;
		String conversationId = (id != null && id.length() > 128) ? id.substring(0, 128) : id;
		return new Object[] { this.importId, line, conversationId, message };
	}

}
