package org.conversationarchive.live;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Who holds each live conversation: the person who took it over, claimed it from the
 * inbox or was assigned it. At most one: taking a hold is an insert, so of two people who
 * try at once one gets it and the other is told who has it, whichever instances they
 * reached.
 */
@Component
class Holds {

	/** Took it over from the AI agent. */
	static final String TAKE_OVER = "take_over";

	/** Claimed it from the inbox. */
	static final String CLAIM = "claim";

	/** Was given it by a manager. */
	static final String ASSIGNED = "assigned";

	private final JdbcTemplate jdbc;

	Holds(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * A hold.
	 *
	 * @param holder the user id of who holds it
	 * @param kind how they came to: {@value #TAKE_OVER}, {@value #CLAIM} or
	 * {@value #ASSIGNED}
	 * @param since when
	 */
	record Hold(String holder, String kind, Instant since) {
	}

	Optional<Hold> find(String org, String conversationId) {
		return this.jdbc
			.query("select holder, kind, since from archive_live_hold where org = ? and conversation_id = ?",
					(row, number) -> new Hold(row.getString("holder"), row.getString("kind"),
							row.getTimestamp("since").toInstant()),
					org, conversationId)
			.stream()
			.findFirst();
	}

	Map<String, Hold> findAll(String org, Collection<String> conversationIds) {
		Map<String, Hold> holds = new HashMap<>();
		if (conversationIds.isEmpty()) {
			return holds;
		}
		List<String> ids = List.copyOf(new java.util.LinkedHashSet<>(conversationIds));
		for (int from = 0; from < ids.size(); from += 500) {
			List<String> part = ids.subList(from, Math.min(ids.size(), from + 500));
			List<Object> arguments = new ArrayList<>(part.size() + 1);
			arguments.add(org);
			arguments.addAll(part);
			this.jdbc.query("select conversation_id, holder, kind, since from archive_live_hold where org = ? "
					+ "and conversation_id in (" + String.join(", ", Collections.nCopies(part.size(), "?")) + ")",
					(row) -> {
						holds.put(row.getString("conversation_id"), new Hold(row.getString("holder"),
								row.getString("kind"), row.getTimestamp("since").toInstant()));
					}, arguments.toArray());
		}
		return holds;
	}

	/**
	 * Takes a hold unless someone else has it.
	 * @return the hold now in place: the caller's, or the other person's
	 */
	Hold take(String org, String conversationId, String holder, String kind) {
		Instant now = Instant.now();
		try {
			this.jdbc.update(
					"insert into archive_live_hold (org, conversation_id, holder, kind, since) values (?, ?, ?, ?, ?)",
					org, conversationId, holder, kind, Timestamp.from(now));
			return new Hold(holder, kind, now);
		}
		catch (DuplicateKeyException ex) {
			return find(org, conversationId).orElseGet(() -> take(org, conversationId, holder, kind));
		}
	}

	/**
	 * Gives the hold to someone, whoever had it.
	 */
	Hold give(String org, String conversationId, String holder, String kind) {
		Instant now = Instant.now();
		int updated = this.jdbc.update(
				"update archive_live_hold set holder = ?, kind = ?, since = ? where org = ? and conversation_id = ?",
				holder, kind, Timestamp.from(now), org, conversationId);
		return (updated > 0) ? new Hold(holder, kind, now) : take(org, conversationId, holder, kind);
	}

	/**
	 * Lets go of a hold, if this person has it.
	 * @return whether they had it
	 */
	boolean release(String org, String conversationId, String holder) {
		return this.jdbc.update("delete from archive_live_hold where org = ? and conversation_id = ? and holder = ?",
				org, conversationId, holder) > 0;
	}

	/**
	 * Forgets holds taken before a time.
	 * @return how many went
	 */
	int forget(Instant before) {
		return this.jdbc.update("delete from archive_live_hold where since < ?", Timestamp.from(before));
	}

	/**
	 * Ends whoever's hold there is (the conversation ended, was handed back or moved on).
	 */
	boolean clear(String org, String conversationId) {
		return this.jdbc.update("delete from archive_live_hold where org = ? and conversation_id = ?", org,
				conversationId) > 0;
	}

}
