package org.conversationarchive.export;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Notifications for the person who asked for something that finished later (an export):
 * kept in the database, so every instance serves them and a stream on any instance sees
 * them.
 */
@Component
class Notifications {

	private final JdbcTemplate jdbc;

	Notifications(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * A notification.
	 *
	 * @param id its id
	 * @param at when
	 * @param message what happened
	 * @param link where to go (a download link)
	 * @param read whether it was marked read
	 */
	record Notification(String id, Instant at, String message, @Nullable String link, boolean read) {
	}

	void add(String org, String userId, String message, @Nullable String link) {
		this.jdbc.update(
				"insert into archive_notification (id, org, user_id, at, message, link, seen) values (?, ?, ?, ?, ?, ?, ?)",
				UUID.randomUUID().toString(), org, userId, Timestamp.from(Instant.now()), message, link, false);
	}

	List<Notification> list(String org, String userId, @Nullable Instant after, int limit) {
		if (after != null) {
			return this.jdbc
				.query("select * from archive_notification where org = ? and user_id = ? and at > ? order by at limit "
						+ limit, (row, number) -> notification(row), org, userId, Timestamp.from(after));
		}
		return this.jdbc.query(
				"select * from archive_notification where org = ? and user_id = ? order by at desc limit " + limit,
				(row, number) -> notification(row), org, userId);
	}

	boolean markRead(String org, String userId, String id) {
		return this.jdbc.update("update archive_notification set seen = true where id = ? and org = ? and user_id = ?",
				id, org, userId) > 0;
	}

	private static Notification notification(java.sql.ResultSet row) throws java.sql.SQLException {
		return new Notification(row.getString("id"), row.getTimestamp("at").toInstant(), row.getString("message"),
				row.getString("link"), row.getBoolean("seen"));
	}

}
