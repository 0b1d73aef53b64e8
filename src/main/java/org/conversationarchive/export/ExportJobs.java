package org.conversationarchive.export;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The export records: what was asked, by whom, and what came of it. The batch job
 * repository holds how the job ran; this holds what the API shows and the download
 * serves.
 */
@Component
class ExportJobs {

	private final JdbcTemplate jdbc;

	ExportJobs(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * An export.
	 *
	 * @param id its id
	 * @param org its org
	 * @param userId who asked for it
	 * @param kind {@code table-export}, {@code agent-history} or {@code scheduled-export}
	 * @param description what it holds, for people
	 * @param requestJson the resolved request, as the job reads it
	 * @param fileName the download's name
	 * @param filePath where the finished file was when it finished, for people: the
	 * archive finds it by org and id ({@link ExportFolders#file})
	 * @param fileSize its size
	 * @param rowCount rows written, once finished
	 * @param done rows (or conversations) done so far
	 * @param total rows (or conversations) to do, once known
	 * @param scheduleId the schedule it ran for, if any
	 * @param createdAt when it was asked for
	 * @param completedAt when it finished
	 * @param expiresAt when its link stops working and the file goes
	 * @param expired whether the file is gone
	 */
	record Export(String id, String org, String userId, String kind, @Nullable String description,
			@Nullable String requestJson, String fileName, @Nullable String filePath, @Nullable Long fileSize,
			@Nullable Long rowCount, long done, @Nullable Long total, @Nullable String scheduleId, Instant createdAt,
			@Nullable Instant completedAt, @Nullable Instant expiresAt, boolean expired) {
	}

	void insert(Export export) {
		this.jdbc.update(
				"insert into archive_export (id, org, user_id, kind, description, request_json, file_name, "
						+ "schedule_id, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
				export.id(), export.org(), export.userId(), export.kind(), export.description(), export.requestJson(),
				export.fileName(), export.scheduleId(), Timestamp.from(export.createdAt()));
	}

	Optional<Export> find(String org, String id) {
		return this.jdbc.query("select * from archive_export where id = ? and org = ?", ExportJobs::export, id, org)
			.stream()
			.findFirst();
	}

	Optional<Export> find(String id) {
		return this.jdbc.query("select * from archive_export where id = ?", ExportJobs::export, id)
			.stream()
			.findFirst();
	}

	List<Export> list(String org, @Nullable String scheduleId, int limit) {
		if (scheduleId != null) {
			return this.jdbc
				.query("select * from archive_export where org = ? and schedule_id = ? order by created_at desc limit "
						+ limit, ExportJobs::export, org, scheduleId);
		}
		return this.jdbc.query("select * from archive_export where org = ? order by created_at desc limit " + limit,
				ExportJobs::export, org);
	}

	void total(String id, long total) {
		this.jdbc.update("update archive_export set total = ? where id = ?", total, id);
	}

	void progress(String id, long done, long total) {
		this.jdbc.update("update archive_export set done_count = ?, total = ? where id = ?", done, total, id);
	}

	/**
	 * Records a finished export. Its progress is then all done, counted in what the total
	 * counts (rows, or an agent history's conversations), not in rows.
	 */
	void completed(String id, String filePath, long fileSize, long rowCount, Instant expiresAt) {
		this.jdbc.update(
				"update archive_export set file_path = ?, file_size = ?, row_count = ?, done_count = coalesce(total, ?), "
						+ "completed_at = ?, expires_at = ? where id = ?",
				filePath, fileSize, rowCount, rowCount, Timestamp.from(Instant.now()), Timestamp.from(expiresAt), id);
	}

	List<Export> expiredBefore(Instant now) {
		return this.jdbc.query("select * from archive_export where expired = false and expires_at < ?",
				ExportJobs::export, Timestamp.from(now));
	}

	void expired(String id) {
		this.jdbc.update("update archive_export set expired = true where id = ?", id);
	}

	private static Export export(ResultSet row, int number) throws SQLException {
		return new Export(row.getString("id"), row.getString("org"), row.getString("user_id"), row.getString("kind"),
				row.getString("description"), row.getString("request_json"), row.getString("file_name"),
				row.getString("file_path"), nullableLong(row, "file_size"), nullableLong(row, "row_count"),
				row.getLong("done_count"), nullableLong(row, "total"), row.getString("schedule_id"),
				row.getTimestamp("created_at").toInstant(), instant(row, "completed_at"), instant(row, "expires_at"),
				row.getBoolean("expired"));
	}

	private static @Nullable Long nullableLong(ResultSet row, String column) throws SQLException {
		long value = row.getLong(column);
		return row.wasNull() ? null : value;
	}

	private static @Nullable Instant instant(ResultSet row, String column) throws SQLException {
		Timestamp value = row.getTimestamp(column);
		return (value != null) ? value.toInstant() : null;
	}

}
