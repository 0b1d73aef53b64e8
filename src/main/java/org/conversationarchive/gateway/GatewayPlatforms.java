package org.conversationarchive.gateway;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Each org's agent platform: its endpoint and the secret that signs actions to it, in the
 * database (every instance sends actions). The secret is written by an administrator and
 * never read back through the API.
 */
@Component
class GatewayPlatforms implements GatewayClient.Connections {

	static final int MIN_SECRET = 16;

	static final int MAX_SECRET = 200;

	private final JdbcTemplate jdbc;

	GatewayPlatforms(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * An org's platform as the API shows it.
	 *
	 * @param url where actions are posted
	 * @param secretSet whether a secret signs them (always, once saved: the secret itself
	 * is never shown)
	 * @param updatedBy who last changed it
	 * @param updatedAt when
	 */
	record Platform(String url, boolean secretSet, String updatedBy, Instant updatedAt) {
	}

	Optional<Platform> find(String org) {
		return this.jdbc
			.query("select url, updated_by, updated_at from archive_gateway_platform where org = ?",
					(row, number) -> new Platform(row.getString("url"), true, row.getString("updated_by"),
							row.getTimestamp("updated_at").toInstant()),
					org)
			.stream()
			.findFirst();
	}

	@Override
	public Optional<GatewayClient.Connection> connection(String org) {
		return this.jdbc
			.query("select url, secret from archive_gateway_platform where org = ?",
					(row, number) -> new GatewayClient.Connection(row.getString("url"), row.getString("secret")), org)
			.stream()
			.findFirst();
	}

	/**
	 * Saves an org's platform; without a secret, the one it has stays.
	 * @param org the org
	 * @param userId who
	 * @param url the checked URL
	 * @param secret the new secret, or {@code null} to keep the current one
	 * @return whether there was one before
	 */
	boolean save(String org, String userId, String url, @Nullable String secret) {
		Timestamp now = Timestamp.from(Instant.now());
		if (secret == null) {
			return this.jdbc.update(
					"update archive_gateway_platform set url = ?, updated_by = ?, updated_at = ? where org = ?", url,
					userId, now, org) > 0;
		}
		int updated = this.jdbc.update(
				"update archive_gateway_platform set url = ?, secret = ?, updated_by = ?, updated_at = ? where org = ?",
				url, secret, userId, now, org);
		if (updated == 0) {
			try {
				this.jdbc.update(
						"insert into archive_gateway_platform (org, url, secret, updated_by, updated_at) values (?, ?, ?, ?, ?)",
						org, url, secret, userId, now);
				return false;
			}
			catch (DuplicateKeyException ex) {
				// Another administrator's first save came in between: this one is the
				// later, and wins.
				return save(org, userId, url, secret);
			}
		}
		return true;
	}

	/**
	 * Saves the platform the service runs itself as an org's, unless someone else
	 * configured one: only what was saved under {@code by} before is replaced.
	 * @param org the org
	 * @param by who saves it, the same on every start
	 * @param url the platform's URL
	 * @param secret its secret
	 * @return whether it is now the org's platform
	 */
	boolean saveUnlessAnother(String org, String by, String url, String secret) {
		Timestamp now = Timestamp.from(Instant.now());
		if (this.jdbc.update(
				"update archive_gateway_platform set url = ?, secret = ?, updated_at = ? where org = ? and updated_by = ?",
				url, secret, now, org, by) > 0) {
			return true;
		}
		try {
			this.jdbc.update(
					"insert into archive_gateway_platform (org, url, secret, updated_by, updated_at) values (?, ?, ?, ?, ?)",
					org, url, secret, by, now);
			return true;
		}
		catch (DuplicateKeyException ex) {
			return false;
		}
	}

	/**
	 * Deletes an org's platform if it is still the one saved by {@code by} at that URL.
	 */
	void deleteIfStill(String org, String by, String url) {
		this.jdbc.update("delete from archive_gateway_platform where org = ? and updated_by = ? and url = ?", org, by,
				url);
	}

	boolean delete(String org) {
		return this.jdbc.update("delete from archive_gateway_platform where org = ?", org) > 0;
	}

}
