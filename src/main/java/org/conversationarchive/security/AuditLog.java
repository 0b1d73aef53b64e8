package org.conversationarchive.security;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * The append-only audit log of each org: deletes, exports and downloads, key changes.
 * Entries are only ever inserted; admins read them.
 */
@Component
class AuditLog {

	private final JdbcTemplate jdbc;

	AuditLog(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * An entry.
	 *
	 * @param id its id
	 * @param at when
	 * @param actor who (user or API key), or {@code system}
	 * @param action what
	 * @param target to what
	 * @param detail more
	 */
	record Entry(String id, Instant at, String actor, String action, @Nullable String target, @Nullable String detail) {
	}

	@EventListener
	void on(AuditEvent event) {
		record(event.org(), event.action(), event.target(), event.detail());
	}

	void record(String org, String action, @Nullable String target, @Nullable String detail) {
		this.jdbc.update(
				"insert into archive_audit (id, org, at, actor, action, target, detail) values (?, ?, ?, ?, ?, ?, ?)",
				UUID.randomUUID().toString(), org, Timestamp.from(Instant.now()), actor(), action,
				truncate(target, 512), truncate(detail, 2000));
	}

	List<Entry> entries(String org, @Nullable String action, @Nullable Instant from, @Nullable Instant to, int size) {
		StringBuilder sql = new StringBuilder("select * from archive_audit where org = ?");
		List<Object> arguments = new ArrayList<>(List.of(org));
		if (action != null) {
			sql.append(" and action = ?");
			arguments.add(action);
		}
		if (from != null) {
			sql.append(" and at >= ?");
			arguments.add(Timestamp.from(from));
		}
		if (to != null) {
			sql.append(" and at < ?");
			arguments.add(Timestamp.from(to));
		}
		sql.append(" order by at desc limit ").append(size);
		return this.jdbc.query(sql.toString(),
				(row, number) -> new Entry(row.getString("id"), row.getTimestamp("at").toInstant(),
						row.getString("actor"), row.getString("action"), row.getString("target"),
						row.getString("detail")),
				arguments.toArray());
	}

	private static String actor() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		return (authentication instanceof ArchiveAuthentication archive) ? archive.getPrincipal().userId() : "system";
	}

	private static @Nullable String truncate(@Nullable String value, int length) {
		return (value == null || value.length() <= length) ? value : value.substring(0, length);
	}

}
