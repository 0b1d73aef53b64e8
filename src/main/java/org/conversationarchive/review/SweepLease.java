package org.conversationarchive.review;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Which instance runs the rules, and how far they have looked: one row in the database.
 * An instance holds the lease while it renews it; one that stops renewing (stopped, cut
 * off) loses it to the next that asks once it runs out.
 */
@Component
class SweepLease {

	private static final String NAME = "rules";

	private final String holder = UUID.randomUUID().toString();

	private final JdbcTemplate jdbc;

	private final ReviewSettings settings;

	SweepLease(JdbcTemplate jdbc, ReviewSettings settings) {
		this.jdbc = jdbc;
		this.settings = settings;
	}

	/**
	 * Takes or renews the lease.
	 * @param now now
	 * @return whether this instance holds it until {@code now} plus the lease's length
	 */
	boolean hold(Instant now) {
		return this.jdbc.update(
				"update archive_review_sweep set holder = ?, lease_until = ? where name = ? "
						+ "and (holder = ? or holder is null or lease_until is null or lease_until < ?)",
				this.holder, Timestamp.from(now.plus(this.settings.lease())), NAME, this.holder,
				Timestamp.from(now)) == 1;
	}

	/**
	 * How far the rules have looked: every write stamped before it was looked at.
	 * @return that instant, or {@code null} before the first look
	 */
	@Nullable Instant checkedThrough() {
		Timestamp through = this.jdbc.queryForObject("select checked_through from archive_review_sweep where name = ?",
				Timestamp.class, NAME);
		return (through != null) ? through.toInstant() : null;
	}

	/**
	 * Records how far the rules have looked, while this instance holds the lease.
	 * @param through the end of the last look
	 */
	void checked(Instant through) {
		this.jdbc.update("update archive_review_sweep set checked_through = ? where name = ? and holder = ?",
				Timestamp.from(through), NAME, this.holder);
	}

	/**
	 * Gives the lease up (when the instance stops), so another takes over at once.
	 */
	void release() {
		this.jdbc.update("update archive_review_sweep set lease_until = null where name = ? and holder = ?", NAME,
				this.holder);
	}

}
