package org.conversationarchive.live;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The actions people took on live conversations, in the database: each conversation's
 * timeline of actions, and what a resend with the same key finds.
 */
@Component
class ActionLog {

	/** Being sent to the platform. */
	static final String SENDING = "sending";

	/** The platform took it; its outcome follows through the ingest API. */
	static final String SENT = "sent";

	/** The platform could not be reached or is taken as down: resend it later. */
	static final String UNAVAILABLE = "unavailable";

	/** The platform would not do it (final). */
	static final String REFUSED = "refused";

	private static final TypeReference<Map<String, Object>> PAYLOAD = new TypeReference<>() {
	};

	private final JdbcTemplate jdbc;

	private final JsonMapper json;

	ActionLog(JdbcTemplate jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	/**
	 * An action as it was recorded.
	 *
	 * @param id its id (the platform's idempotency key)
	 * @param conversationId the conversation
	 * @param type its type
	 * @param payload what its type needs ({@code to}, {@code queue}, {@code text})
	 * @param requestedBy who
	 * @param requestedAt when
	 * @param state {@value #SENDING}, {@value #SENT}, {@value #UNAVAILABLE} or
	 * {@value #REFUSED}
	 * @param detail the platform's answer or why it failed
	 */
	record Recorded(String id, String conversationId, String type, Map<String, Object> payload, String requestedBy,
			Instant requestedAt, String state, @Nullable String detail) {
	}

	/**
	 * Records an action as being sent, or finds it when its id was recorded before.
	 * @return whether it is new
	 */
	boolean start(String org, Recorded action) {
		try {
			this.jdbc.update(
					"insert into archive_live_action (id, org, conversation_id, type, payload, requested_by, "
							+ "requested_at, state, detail, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
					action.id(), org, action.conversationId(), action.type(),
					this.json.writeValueAsString(action.payload()), action.requestedBy(),
					Timestamp.from(action.requestedAt()), SENDING, null, Timestamp.from(Instant.now()));
			return true;
		}
		catch (org.springframework.dao.DuplicateKeyException ex) {
			return false;
		}
	}

	/**
	 * Moves an action to a new state, from one it was in.
	 * @return whether it was in that state
	 */
	boolean finish(String org, String id, String from, String state, @Nullable String detail) {
		return this.jdbc.update(
				"update archive_live_action set state = ?, detail = ?, updated_at = ? where org = ? and id = ? "
						+ "and state = ?",
				state, (detail != null && detail.length() > 2000) ? detail.substring(0, 2000) : detail,
				Timestamp.from(Instant.now()), org, id, from) > 0;
	}

	Optional<Recorded> find(String org, String id) {
		return this.jdbc.query("select * from archive_live_action where org = ? and id = ?", this::row, org, id)
			.stream()
			.findFirst();
	}

	/**
	 * A conversation's actions, oldest first.
	 */
	List<Recorded> of(String org, String conversationId) {
		return this.jdbc.query(
				"select * from archive_live_action where org = ? and conversation_id = ? order by requested_at, id",
				this::row, org, conversationId);
	}

	/**
	 * The last action of a type a person sent on a conversation, if the platform took it.
	 */
	Optional<Recorded> lastSent(String org, String conversationId, String type, String requestedBy) {
		return this.jdbc
			.query("select * from archive_live_action where org = ? and conversation_id = ? and type = ? "
					+ "and requested_by = ? and state = ? order by requested_at desc, id desc fetch first 1 rows only",
					this::row, org, conversationId, type, requestedBy, SENT)
			.stream()
			.findFirst();
	}

	private Recorded row(ResultSet row, int number) throws SQLException {
		return new Recorded(row.getString("id"), row.getString("conversation_id"), row.getString("type"),
				this.json.readValue(row.getString("payload"), PAYLOAD), row.getString("requested_by"),
				row.getTimestamp("requested_at").toInstant(), row.getString("state"), row.getString("detail"));
	}

}
