package org.conversationarchive.review;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
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
 * <p>
 * The rules have looked as far as the sweep, but for those whose look failed: each keeps
 * where it had looked through (a row per archive and rule) until it looks again without
 * failing, so one rule's failure holds back its own window only.
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
	 * How far the rules that fell behind the sweep have looked.
	 * @return each such rule's id and the instant it has looked through
	 */
	Map<String, Instant> behind() {
		Map<String, Instant> behind = new HashMap<>();
		this.jdbc.query("select rule_id, checked_through from archive_review_rule_sweep where name = ?", (row) -> {
			behind.put(row.getString("rule_id"), row.getTimestamp("checked_through").toInstant());
		}, this.name);
		return behind;
	}

	/**
	 * Records how far the rules have looked, while this instance holds the lease. The
	 * rules come first: were the sweep recorded and the rest not, a rule that failed
	 * would be taken to have looked as far as the sweep.
	 * @param through the end of the last look
	 * @param failed the rules whose look failed and that were not behind yet, each with
	 * the instant it had looked through
	 * @param caughtUp the rules behind that looked without failing
	 */
	void checked(Instant through, Map<String, Instant> failed, Collection<String> caughtUp) {
		failed.forEach((ruleId, checked) -> {
			try {
				this.jdbc.update(
						"insert into archive_review_rule_sweep (name, rule_id, checked_through) values (?, ?, ?)",
						this.name, ruleId, Timestamp.from(checked));
			}
			catch (DuplicateKeyException ex) {
				// Behind already: it keeps the older instant.
			}
		});
		for (String ruleId : caughtUp) {
			// Not by an instance that lost the lease: the rule may have failed again for
			// the one that holds it now.
			this.jdbc.update(
					"delete from archive_review_rule_sweep where name = ? and rule_id = ? and exists "
							+ "(select 1 from archive_review_sweep s where s.name = ? and s.holder = ?)",
					this.name, ruleId, this.name, this.holder);
		}
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
