package org.conversationarchive.live;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.conversationarchive.conversation.LiveConversationsWriting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The writes of live conversations, in the database every instance shares, so that a
 * message appended through one instance reaches a viewer connected to another: each
 * instance reads the new rows every {@code archive.live.poll} and pushes what they name
 * to its own viewers. A broker would be one more thing to run for what a small table
 * does; the rows are kept minutes.
 */
@Component
class LiveEvents {

	private static final Logger logger = LoggerFactory.getLogger(LiveEvents.class);

	private final JdbcTemplate jdbc;

	LiveEvents(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * One write to tell viewers of.
	 *
	 * @param id the row's id, in the order rows were added
	 * @param org the conversation's org
	 * @param conversationId the conversation
	 * @param afterSeqNo the write is applied once the stored sequence number passes this
	 * ({@code -1}: once the conversation exists; {@value #NOW}: whatever is stored now)
	 */
	record Event(long id, String org, String conversationId, long afterSeqNo) {
	}

	/**
	 * A change of something else than the document (an action, a hold): ready at once.
	 */
	static final long NOW = -2;

	@EventListener
	void writing(LiveConversationsWriting writing) {
		record(writing.org(), writing.seqNoBefore());
	}

	/**
	 * Adds rows for conversations about to change. A failure is logged, never passed on:
	 * the write itself must not fail because viewers could not be told.
	 * @param org the org
	 * @param seqNoBefore conversation id to the sequence number the change passes
	 */
	void record(String org, Map<String, Long> seqNoBefore) {
		Timestamp now = Timestamp.from(Instant.now());
		List<Object[]> rows = new ArrayList<>(seqNoBefore.size());
		seqNoBefore.forEach((id, seqNo) -> rows.add(new Object[] { org, id, seqNo, now }));
		try {
			this.jdbc.batchUpdate(
					"insert into archive_live_event (org, conversation_id, after_seq, at) values (?, ?, ?, ?)", rows);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not tell live viewers of {} conversation(s) of org {}: {}", rows.size(), org,
					ex.toString());
		}
	}

	/**
	 * Tells viewers that something of a conversation other than its document changed (an
	 * action, who holds it).
	 * @param org the org
	 * @param conversationId the conversation
	 */
	void changed(String org, String conversationId) {
		record(org, Map.of(conversationId, NOW));
	}

	/**
	 * Rows added after one.
	 * @param after a row id
	 * @param max at most this many
	 * @return the rows, oldest first
	 */
	List<Event> after(long after, int max) {
		return this.jdbc.query(
				"select id, org, conversation_id, after_seq from archive_live_event where id > ? order by id "
						+ "fetch first " + max + " rows only",
				(row, number) -> new Event(row.getLong("id"), row.getString("org"), row.getString("conversation_id"),
						row.getLong("after_seq")),
				after);
	}

	/**
	 * The conversations of an org written since a time, for a list whose search cannot
	 * see them yet (until the next refresh).
	 * @param org the org
	 * @param since the time
	 * @return their ids, each once
	 */
	List<String> writtenSince(String org, Instant since) {
		// The latest written first, as many as a live list shows.
		return this.jdbc.queryForList(
				"select conversation_id from archive_live_event where org = ? and at >= ? group by conversation_id "
						+ "order by max(id) desc fetch first " + LiveConversations.MAX + " rows only",
				String.class, org, Timestamp.from(since));
	}

	/**
	 * The last row's id.
	 * @return it, or 0 without rows
	 */
	long latest() {
		Long latest = this.jdbc.queryForObject("select max(id) from archive_live_event", Long.class);
		return (latest != null) ? latest : 0;
	}

	/**
	 * Forgets rows older than a time.
	 * @param before the time
	 * @return how many went
	 */
	int forget(Instant before) {
		return this.jdbc.update("delete from archive_live_event where at < ?", Timestamp.from(before));
	}

}
