package org.conversationarchive.security;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

import org.conversationarchive.system.InvalidInputException;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The orgs of the archive. An org id is part of every document id and routing key, so it
 * is short and plain.
 */
@Component
class Orgs {

	static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

	private final JdbcTemplate jdbc;

	Orgs(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * An org.
	 *
	 * @param id its id
	 * @param name its display name
	 * @param createdAt when it was created
	 */
	record Org(String id, String name, Instant createdAt) {
	}

	Org create(String id, String name) {
		if (!ID.matcher(id).matches()) {
			throw new InvalidInputException("id '" + id
					+ "' must be 1 to 63 lower-case letters, digits or '-', starting with a letter or digit");
		}
		if (name.isBlank() || name.length() > 200) {
			throw new InvalidInputException("name must be 1 to 200 characters");
		}
		Instant now = Instant.now();
		try {
			this.jdbc.update("insert into archive_org (id, name, created_at) values (?, ?, ?)", id, name,
					Timestamp.from(now));
		}
		catch (DuplicateKeyException ex) {
			throw new InvalidInputException("org '" + id + "' already exists");
		}
		return new Org(id, name, now);
	}

	boolean exists(String id) {
		Integer count = this.jdbc.queryForObject("select count(*) from archive_org where id = ?", Integer.class, id);
		return count != null && count > 0;
	}

	List<Org> list() {
		return this.jdbc.query("select id, name, created_at from archive_org order by id",
				(row, number) -> new Org(row.getString("id"), row.getString("name"),
						row.getTimestamp("created_at").toInstant()));
	}

}
