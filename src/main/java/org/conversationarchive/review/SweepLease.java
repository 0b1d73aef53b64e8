package org.conversationarchive.review;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import org.conversationarchive.elasticsearch.ElasticsearchSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Which instance runs the rules, and how far they have looked: one row in the database
 * per archive (its index prefix: instances of another archive sharing the database sweep
 * their own indices). An instance holds the lease while it renews it; one that stops
 * renewing (stopped, cut off) loses it to the next that asks once it runs out.
 */
@Component
class SweepLease {

	private final String holder = UUID.randomUUID().toString();

	private final JdbcTemplate jdbc;

	private final ReviewSettings settings;

	private final String name;

	SweepLease(JdbcTemplate jdbc, ReviewSettings settings, ElasticsearchSettings elasticsearch) {
		this.jdbc = jdbc;
		this.settings = settings;
		this.name = "rules:" + elasticsearch.indexPrefix();
	}

	/**
	 * Takes or renews the lease.
	 * @param now now
	 * @return whether this instance holds it until {@code now} plus the lease's length
	 */
	boolean hold(Instant now) {
		if (take(now)) {
			return true;
		}
		try {
			this.jdbc.update("insert into archive_review_sweep (name) values (?)", this.name);
		}
		catch (DuplicateKeyException ex) {
			return false; // held by another instance
		}
		return take(now);
	}

	private boolean take(Instant now) {
		return this.jdbc.update(
				"update archive_review_sweep set holder = ?, lease_until = ? where name = ? "
						+ "and (holder = ? or holder is null or lease_until is null or lease_until < ?)",
				this.holder, Timestamp.from(now.plus(this.settings.lease())), this.name, this.holder,
				Timestamp.from(now)) == 1;
	}

	/**
	 * How far the rules have looked: every write stamped before it was looked at.
	 * @return that instant, or {@code null} before the first look
	 */
	@Nullable Instant checkedThrough() {
		Timestamp through = this.jdbc.queryForObject("select checked_through from archive_review_sweep where name = ?",
				Timestamp.class, this.name);
		return (through != null) ? through.toInstant() : null;
	}

	/**
	 * Records how far the rules have looked, while this instance holds the lease.
	 * @param through the end of the last look
	 */
	void checked(Instant through) {
		this.jdbc.update("update archive_review_sweep set checked_through = ? where name = ? and holder = ?",
				Timestamp.from(through), this.name, this.holder);
	}

	/**
	 * Gives the lease up (when the instance stops), so another takes over at once.
	 */
	void release() {
		this.jdbc.update("update archive_review_sweep set lease_until = null where name = ? and holder = ?", this.name,
				this.holder);
	}

}
