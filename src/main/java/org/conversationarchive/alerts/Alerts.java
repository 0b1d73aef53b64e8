package org.conversationarchive.alerts;

import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;
import org.conversationarchive.search.SavedView;
import org.conversationarchive.search.SavedViews;
import org.conversationarchive.system.InvalidInputException;
import org.conversationarchive.system.NotFoundException;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * An org's alerts and their history, in the database. An alert watches a view as its
 * owner (who created it) sees it, and tells its owner.
 */
@Component
class Alerts {

	static final String OK = "ok";

	static final String BREACHED = "breached";

	static final int MAX_NAME = 200;

	static final Duration MIN_WINDOW = Duration.ofMinutes(1);

	static final Duration MAX_WINDOW = Duration.ofDays(31);

	/** A threshold beyond any archive's count. */
	static final long MAX_THRESHOLD = 1_000_000_000_000L;

	private final JdbcTemplate jdbc;

	private final SavedViews views;

	Alerts(JdbcTemplate jdbc, SavedViews views) {
		this.jdbc = jdbc;
		this.views = views;
	}

	/**
	 * An alert.
	 *
	 * @param id its id
	 * @param org its org
	 * @param name what it is about
	 * @param viewId the view it watches
	 * @param window how far back from each evaluation conversations count, e.g.
	 * {@code PT1H}
	 * @param above it triggers when more than this many started in the window
	 * @param below it triggers when fewer than this many started in the window
	 * @param enabled whether it is evaluated
	 * @param owner who created it, and is told
	 * @param state {@code ok} or {@code breached}
	 * @param stateSince when it entered that state
	 * @param lastCount the count of the latest evaluation
	 * @param lastEvaluatedAt when it was last evaluated
	 * @param lastError why the latest evaluation failed, if it did
	 * @param createdAt when it was created
	 * @param updatedAt when it was last changed
	 */
	record Alert(String id, @JsonIgnore String org, String name, String viewId, String window, @Nullable Long above,
			@Nullable Long below, boolean enabled, String owner, String state, @Nullable Instant stateSince,
			@Nullable Long lastCount, @Nullable Instant lastEvaluatedAt, @Nullable String lastError, Instant createdAt,
			Instant updatedAt) {

		Duration windowLength() {
			return Duration.parse(this.window);
		}

		long threshold() {
			return (this.above != null) ? this.above : java.util.Objects.requireNonNull(this.below);
		}

		String comparison() {
			return (this.above != null) ? "above" : "below";
		}

		boolean breachedBy(long count) {
			return (this.above != null) ? count > this.above : count < threshold();
		}

	}

	/**
	 * What a client sends to create an alert, or to change one (what it leaves out stays
	 * as it is; giving {@code above} drops {@code below} and the other way round).
	 */
	record AlertRequest(@Nullable String name, @Nullable String viewId, @Nullable String window, @Nullable Long above,
			@Nullable Long below, @Nullable Boolean enabled) {
	}

	/**
	 * A change of state, as the history keeps it.
	 *
	 * @param id its id
	 * @param at when it was noticed
	 * @param kind {@code triggered} or {@code resolved}
	 * @param count conversations started in the window
	 * @param comparison {@code above} or {@code below}
	 * @param threshold the threshold
	 * @param window the window's length
	 * @param from the window's start
	 * @param to the window's end
	 * @param link the conversations page with the view over the window
	 */
	record Event(String id, Instant at, String kind, long count, String comparison, long threshold, String window,
			Instant from, Instant to, String link) {
	}

	List<Alert> list(String org) {
		return this.jdbc.query("select * from archive_alert where org = ? order by name, id", Alerts::alert, org);
	}

	Optional<Alert> find(String org, String id) {
		return this.jdbc.query("select * from archive_alert where org = ? and id = ?", Alerts::alert, org, id)
			.stream()
			.findFirst();
	}

	Alert get(String org, String id) {
		return find(org, id).orElseThrow(() -> new NotFoundException("no alert '" + id + "'"));
	}

	Alert create(String org, String owner, AlertRequest request) throws IOException {
		Valid valid = validate(org, owner, request, null);
		String id = UUID.randomUUID().toString();
		Timestamp now = Timestamp.from(Instant.now());
		this.jdbc.update(
				"insert into archive_alert (id, org, owner, name, view_id, window_seconds, above_count, "
						+ "below_count, enabled, state, next_evaluation_at, created_at, updated_at) "
						+ "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				id, org, owner, valid.name(), valid.viewId(), valid.window().toSeconds(), valid.above(), valid.below(),
				valid.enabled(), OK, now, now, now);
		return get(org, id);
	}

	/**
	 * Changes an alert. A change of what it watches, or disabling it, starts it afresh as
	 * {@code ok}, evaluated at once: a breach of the new definition is told.
	 */
	Alert update(String org, String id, AlertRequest request) throws IOException {
		Alert current = get(org, id);
		Valid valid = validate(org, current.owner(), request, current);
		boolean redefined = !valid.viewId().equals(current.viewId()) || !valid.window().equals(current.windowLength())
				|| !java.util.Objects.equals(valid.above(), current.above())
				|| !java.util.Objects.equals(valid.below(), current.below()) || valid.enabled() != current.enabled();
		Timestamp now = Timestamp.from(Instant.now());
		if (redefined) {
			this.jdbc.update(
					"update archive_alert set name = ?, view_id = ?, window_seconds = ?, above_count = ?, "
							+ "below_count = ?, enabled = ?, state = ?, state_since = null, last_count = null, "
							+ "last_error = null, next_evaluation_at = ?, updated_at = ? where org = ? and id = ?",
					valid.name(), valid.viewId(), valid.window().toSeconds(), valid.above(), valid.below(),
					valid.enabled(), OK, now, now, org, id);
		}
		else {
			this.jdbc.update("update archive_alert set name = ?, updated_at = ? where org = ? and id = ?", valid.name(),
					now, org, id);
		}
		return get(org, id);
	}

	void delete(String org, String id) {
		get(org, id);
		this.jdbc.update("delete from archive_alert_event where org = ? and alert_id = ?", org, id);
		this.jdbc.update("delete from archive_alert where org = ? and id = ?", org, id);
	}

	List<Event> events(String org, String id, int limit) {
		get(org, id);
		return this.jdbc.query(
				"select * from archive_alert_event where org = ? and alert_id = ? order by at desc, id limit " + limit,
				(row, number) -> new Event(row.getString("id"), row.getTimestamp("at").toInstant(),
						row.getString("kind"), row.getLong("conversation_count"), row.getString("comparison"),
						row.getLong("threshold"), Duration.ofSeconds(row.getLong("window_seconds")).toString(),
						row.getTimestamp("window_from").toInstant(), row.getTimestamp("window_to").toInstant(),
						row.getString("link")),
				org, id);
	}

	/**
	 * Enabled alerts due for evaluation.
	 */
	List<Alert> due(Instant now) {
		return this.jdbc.query(
				"select * from archive_alert where enabled = true and next_evaluation_at <= ? order by next_evaluation_at",
				Alerts::alert, Timestamp.from(now));
	}

	/**
	 * Claims an alert's evaluation for this instance: of all instances that try for the
	 * same due time, only one moves its next evaluation on, and only that one evaluates.
	 * @return whether this instance evaluates it
	 */
	boolean claim(String org, String id, Instant now, Instant next) {
		return this.jdbc
			.update("update archive_alert set next_evaluation_at = ? where org = ? and id = ? and enabled = true "
					+ "and next_evaluation_at <= ?", Timestamp.from(next), org, id, Timestamp.from(now)) == 1;
	}

	/**
	 * Records an evaluation's count, and moves the alert into the state it calls for.
	 * @return whether this call moved it (the one to tell), rather than finding it there
	 */
	boolean evaluated(Alert alert, Instant at, long count, String state) {
		int moved = this.jdbc.update(
				"update archive_alert set state = ?, state_since = ?, last_count = ?, last_evaluated_at = ?, "
						+ "last_error = null where org = ? and id = ? and state <> ?",
				state, Timestamp.from(at), count, Timestamp.from(at), alert.org(), alert.id(), state);
		if (moved == 0) {
			this.jdbc.update("update archive_alert set last_count = ?, last_evaluated_at = ?, last_error = null "
					+ "where org = ? and id = ?", count, Timestamp.from(at), alert.org(), alert.id());
		}
		return moved == 1;
	}

	void failed(Alert alert, Instant at, String error) {
		this.jdbc.update("update archive_alert set last_evaluated_at = ?, last_error = ? where org = ? and id = ?",
				Timestamp.from(at), (error.length() > 1000) ? error.substring(0, 1000) : error, alert.org(),
				alert.id());
	}

	Event record(Alert alert, Instant at, String kind, long count, Instant from, Instant to, String link) {
		Event event = new Event(UUID.randomUUID().toString(), at, kind, count, alert.comparison(), alert.threshold(),
				alert.window(), from, to, link);
		this.jdbc.update("insert into archive_alert_event (id, org, alert_id, at, kind, conversation_count, threshold, "
				+ "comparison, window_seconds, window_from, window_to, link) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				event.id(), alert.org(), alert.id(), Timestamp.from(at), kind, count, alert.threshold(),
				alert.comparison(), alert.windowLength().toSeconds(), Timestamp.from(from), Timestamp.from(to), link);
		return event;
	}

	/**
	 * A request checked, with what it leaves out taken from the alert it changes.
	 */
	private record Valid(String name, String viewId, Duration window, @Nullable Long above, @Nullable Long below,
			boolean enabled) {
	}

	private Valid validate(String org, String owner, AlertRequest request, @Nullable Alert current) throws IOException {
		String name = (request.name() != null) ? request.name().strip() : (current != null) ? current.name() : null;
		if (name == null || name.isEmpty() || name.length() > MAX_NAME) {
			throw new InvalidInputException("name must be 1 to " + MAX_NAME + " characters, e.g. \"Flagged calls\"");
		}
		String viewId = (request.viewId() != null) ? request.viewId() : (current != null) ? current.viewId() : null;
		if (viewId == null || viewId.isBlank()) {
			throw new InvalidInputException("viewId is required: the view whose conversations are counted");
		}
		try {
			// As the owner sees it, who is told and whose private views count.
			this.views.find(org, owner, viewId);
		}
		catch (NotFoundException ex) {
			throw new InvalidInputException("viewId: no view '" + viewId + "'");
		}
		Duration window = (current != null) ? current.windowLength() : null;
		if (request.window() != null) {
			try {
				window = Duration.parse(request.window());
			}
			catch (DateTimeParseException ex) {
				throw new InvalidInputException(
						"window: '" + request.window() + "' is not an ISO-8601 duration such as PT1H or P1D");
			}
		}
		if (window == null) {
			throw new InvalidInputException("window is required: how far back conversations count, e.g. PT1H");
		}
		if (window.compareTo(MIN_WINDOW) < 0 || window.compareTo(MAX_WINDOW) > 0) {
			throw new InvalidInputException(
					"window: '" + request.window() + "' must be from " + MIN_WINDOW + " to " + MAX_WINDOW + " (P31D)");
		}
		if (request.above() != null && request.below() != null) {
			throw new InvalidInputException("give either above or below, not both");
		}
		Long above = (request.above() != null || request.below() != null) ? request.above()
				: (current != null) ? current.above() : null;
		Long below = (request.above() != null || request.below() != null) ? request.below()
				: (current != null) ? current.below() : null;
		if (above == null && below == null) {
			throw new InvalidInputException(
					"above or below is required: trigger on more (above) or fewer (below) conversations than it");
		}
		if (above != null && (above < 0 || above > MAX_THRESHOLD)) {
			throw new InvalidInputException("above: " + above + " is not a count from 0 to " + MAX_THRESHOLD);
		}
		if (below != null && (below < 1 || below > MAX_THRESHOLD)) {
			throw new InvalidInputException("below: " + below + " is not a count from 1 to " + MAX_THRESHOLD);
		}
		boolean enabled = (request.enabled() != null) ? request.enabled() : (current == null || current.enabled());
		return new Valid(name, viewId, window, above, below, enabled);
	}

	SavedView view(Alert alert) throws IOException {
		return this.views.find(alert.org(), alert.owner(), alert.viewId());
	}

	private static Alert alert(ResultSet row, int number) throws SQLException {
		return new Alert(row.getString("id"), row.getString("org"), row.getString("name"), row.getString("view_id"),
				Duration.ofSeconds(row.getLong("window_seconds")).toString(), nullableLong(row, "above_count"),
				nullableLong(row, "below_count"), row.getBoolean("enabled"), row.getString("owner"),
				row.getString("state"), instant(row, "state_since"), nullableLong(row, "last_count"),
				instant(row, "last_evaluated_at"), row.getString("last_error"),
				row.getTimestamp("created_at").toInstant(), row.getTimestamp("updated_at").toInstant());
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
