package org.conversationarchive.review;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.conversationarchive.search.FilterVersions;
import org.conversationarchive.security.AuditEvent;
import org.conversationarchive.system.InvalidInputException;
import org.conversationarchive.system.NotFoundException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The review rules of every org, in the database: every instance runs the same rules, and
 * every change is audited.
 */
@Component
class Rules {

	private final JdbcTemplate jdbc;

	private final JsonMapper json;

	private final ApplicationEventPublisher events;

	private final ReviewSettings settings;

	Rules(JdbcTemplate jdbc, JsonMapper json, ApplicationEventPublisher events, ReviewSettings settings) {
		this.jdbc = jdbc;
		this.json = json;
		this.events = events;
		this.settings = settings;
	}

	List<Rule> list(String org) {
		return this.jdbc.query("select * from archive_review_rule where org = ? order by name, id",
				(row, number) -> rule(row), org);
	}

	/**
	 * The rules switched on, of every org. One that cannot be read comes without its rule
	 * and says why: the sweep holds it back rather than every other rule with it.
	 * @return them, with their orgs
	 */
	List<OrgRule> enabled() {
		return this.jdbc.query("select * from archive_review_rule where enabled = true order by org, id",
				(row, number) -> {
					String org = row.getString("org");
					String id = row.getString("id");
					try {
						return new OrgRule(org, id, rule(row), null);
					}
					catch (RuntimeException ex) {
						// Saved by a newer version of the service (during an upgrade), or
						// damaged.
						return new OrgRule(org, id, null, ex.getMessage());
					}
				});
	}

	Optional<Rule> find(String org, String id) {
		return this.jdbc
			.query("select * from archive_review_rule where org = ? and id = ?", (row, number) -> rule(row), org, id)
			.stream()
			.findFirst();
	}

	Rule get(String org, String id) {
		return find(org, id).orElseThrow(() -> new NotFoundException("no rule '" + id + "'"));
	}

	Rule create(String org, String owner, RuleRequest.Valid request) {
		Integer count = this.jdbc.queryForObject("select count(*) from archive_review_rule where org = ?",
				Integer.class, org);
		if (count != null && count >= this.settings.maxRules()) {
			throw new InvalidInputException("the org has " + count + " rules, the most it may have "
					+ "(archive.review.max-rules); delete one first");
		}
		Instant now = Instant.now();
		boolean enabled = Boolean.TRUE.equals(request.enabled());
		Rule rule = new Rule(UUID.randomUUID().toString(), request.name(), request.filter(), request.actions(), enabled,
				enabled ? now : null, owner, now, now);
		this.jdbc.update(
				"insert into archive_review_rule (id, org, name, filter_json, filter_version, actions_json, enabled, "
						+ "enabled_at, owner, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				rule.id(), org, rule.name(), this.json.writeValueAsString(rule.filter()), FilterVersions.FILTER_VERSION,
				this.json.writeValueAsString(rule.actions()), rule.enabled(), timestamp(rule.enabledAt()), owner,
				timestamp(now), timestamp(now));
		audit(org, "rule.created", rule);
		return rule;
	}

	Rule update(String org, String id, RuleRequest.Valid request) {
		Rule before = get(org, id);
		boolean enabled = (request.enabled() != null) ? request.enabled() : before.enabled();
		Instant now = Instant.now();
		Instant enabledAt = !enabled ? null : before.enabled() ? before.enabledAt() : now;
		this.jdbc.update(
				"update archive_review_rule set name = ?, filter_json = ?, filter_version = ?, actions_json = ?, "
						+ "enabled = ?, enabled_at = ?, updated_at = ? where org = ? and id = ?",
				request.name(), this.json.writeValueAsString(request.filter()), FilterVersions.FILTER_VERSION,
				this.json.writeValueAsString(request.actions()), enabled, timestamp(enabledAt), timestamp(now), org,
				id);
		Rule rule = get(org, id);
		audit(org, "rule.updated", rule);
		return rule;
	}

	/**
	 * Switches a rule on or off. Switched on again, it flags what is written from then
	 * on. A rule already so is left as it is, and nothing is audited.
	 */
	Rule enable(String org, String id, boolean enabled) {
		Rule before = get(org, id);
		if (before.enabled() == enabled) {
			return before;
		}
		Instant now = Instant.now();
		// Only from the other state: of two requests at once, one changes the rule.
		int changed = this.jdbc.update(
				"update archive_review_rule set enabled = ?, enabled_at = ?, updated_at = ? "
						+ "where org = ? and id = ? and enabled = ?",
				enabled, enabled ? timestamp(now) : null, timestamp(now), org, id, !enabled);
		Rule rule = get(org, id);
		if (changed == 1) {
			audit(org, enabled ? "rule.enabled" : "rule.disabled", rule);
		}
		return rule;
	}

	void delete(String org, String id) {
		Rule rule = get(org, id);
		this.jdbc.update("delete from archive_review_rule where org = ? and id = ?", org, id);
		this.jdbc.update("delete from archive_review_rule_sweep where rule_id = ?", id);
		audit(org, "rule.deleted", rule);
	}

	private void audit(String org, String action, Rule rule) {
		this.events.publishEvent(new AuditEvent(org, action, rule.id(), rule.name()));
	}

	private Rule rule(ResultSet row) throws SQLException {
		Timestamp enabledAt = row.getTimestamp("enabled_at");
		return new Rule(row.getString("id"), row.getString("name"),
				FilterVersions.read(this.json, this.json.readTree(row.getString("filter_json")),
						row.getInt("filter_version")),
				this.json.readValue(row.getString("actions_json"), Rule.Actions.class), row.getBoolean("enabled"),
				(enabledAt != null) ? enabledAt.toInstant() : null, row.getString("owner"),
				row.getTimestamp("created_at").toInstant(), row.getTimestamp("updated_at").toInstant());
	}

	private static @Nullable Timestamp timestamp(@Nullable Instant instant) {
		return (instant != null) ? Timestamp.from(instant) : null;
	}

	/**
	 * A rule and the org it belongs to.
	 *
	 * @param org the org
	 * @param id the rule's id
	 * @param rule the rule, or {@code null} when it cannot be read
	 * @param unreadable why it cannot be read
	 */
	record OrgRule(String org, String id, @Nullable Rule rule, @Nullable String unreadable) {
	}

}
