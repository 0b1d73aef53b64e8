package org.conversationarchive.notifications;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * In-app notifications for a person (an export is ready, an alert fired): kept in the
 * database, so every instance serves them and a stream on any instance sees them. Any
 * module may {@link #notify} someone; the person reads them at
 * {@code /api/v1/notifications} and in the pages.
 */
@Component
public class Notifications {

	/** As the table holds them. */
	private static final int MAX_MESSAGE = 1000;

	private static final int MAX_LINK = 2000;

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

	/**
	 * Tells a person something, at once (the insert is all it costs).
	 * @param org the person's org
	 * @param userId who (a user id as {@code CurrentUser.userId()} gives it)
	 * @param message what happened, one or two sentences (at most 1,000 characters: a
	 * longer one is cut with an ellipsis)
	 * @param link where to go, or {@code null} (at most 2,000 characters)
	 */
	public void notify(String org, String userId, String message, @Nullable String link) {
		if (link != null && link.length() > MAX_LINK) {
			throw new IllegalArgumentException("a notification's link has at most " + MAX_LINK + " characters");
		}
		String text = (message.length() > MAX_MESSAGE) ? message.substring(0, MAX_MESSAGE - 1) + "…" : message;
		this.jdbc.update(
				"insert into archive_notification (id, org, user_id, at, message, link, seen) values (?, ?, ?, ?, ?, ?, ?)",
				UUID.randomUUID().toString(), org, userId, Timestamp.from(Instant.now()), text, link, false);
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
