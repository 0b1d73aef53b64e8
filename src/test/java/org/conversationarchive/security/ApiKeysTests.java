package org.conversationarchive.security;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checking keys for an address whose attempts keep failing: valid keys are accepted, and
 * a flood of guesses costs no database read per guess.
 */
class ApiKeysTests {

	final AtomicInteger reads = new AtomicInteger();

	ApiKeys keys;

	@BeforeEach
	void database() {
		DriverManagerDataSource database = new DriverManagerDataSource(
				"jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		Flyway.configure().dataSource(database).locations("classpath:db/migration/h2").load().migrate();
		this.keys = new ApiKeys(new CountingJdbc(database, this.reads));
	}

	@Test
	void guessesFromAThrottledAddressCostNoLookUp() {
		ApiKeys.CreatedKey key = this.keys.create("default", "viewer", Role.VIEWER, false, null);
		this.keys.bootstrap("a-bootstrap-key-long-enough");
		String id = key.key().id();

		assertThat(this.keys.authenticateKnown(key.secret()))
			.hasValueSatisfying((principal) -> assertThat(principal.userId()).isEqualTo("api-key:" + id));
		assertThat(this.keys.authenticateKnown("a-bootstrap-key-long-enough")).isPresent();

		this.reads.set(0);
		for (int i = 0; i < 1000; i++) {
			assertThat(this.keys.authenticateKnown("ca_" + id + "_" + String.format("%032d", i))).isEmpty();
			assertThat(this.keys.authenticateKnown(String.format("ca_%012d_%032d", i, i))).isEmpty();
			assertThat(this.keys.authenticateKnown("guess-" + i + "-long-enough")).isEmpty();
		}
		assertThat(this.reads).hasValueLessThanOrEqualTo(1);

		// Unlike a check of every attempt.
		this.reads.set(0);
		this.keys.authenticate("ca_" + id + "_" + String.format("%032d", 1));
		assertThat(this.reads).hasValue(1);
	}

	@Test
	void aKeyCreatedOrRevokedIsSeenAtOnce() {
		this.keys.authenticateKnown("warm-up-the-known-hashes");
		ApiKeys.CreatedKey key = this.keys.create("default", "ingest", Role.INGEST, false, null);
		assertThat(this.keys.authenticateKnown(key.secret())).isPresent();

		this.keys.revoke("default", key.key().id());
		assertThat(this.keys.authenticateKnown(key.secret())).isEmpty();
	}

	@Test
	void aRevocationLeavesTheOtherKeysValidForAThrottledAddress() {
		ApiKeys.CreatedKey kept = this.keys.create("default", "kept", Role.VIEWER, false, null);
		ApiKeys.CreatedKey revoked = this.keys.create("default", "revoked", Role.VIEWER, false, null);
		assertThat(this.keys.authenticateKnown(kept.secret())).isPresent();

		this.keys.revoke("default", revoked.key().id());
		assertThat(this.keys.authenticateKnown(kept.secret())).isPresent();
		assertThat(this.keys.authenticateKnown(revoked.secret())).isEmpty();
	}

	@Test
	void aKeyTheServiceMakesForItselfReplacesItsLastButNoAdministratorsKey() {
		ApiKeys.CreatedKey administrators = this.keys.create("default", "demo platform", Role.INGEST, false,
				"api-key:bootstrap");
		ApiKeys.CreatedKey first = this.keys.createForService("default", "demo platform", Role.INGEST);
		ApiKeys.CreatedKey second = this.keys.createForService("default", "demo platform", Role.INGEST);

		assertThat(this.keys.authenticate(first.secret())).isEmpty();
		assertThat(this.keys.authenticate(second.secret()))
			.hasValueSatisfying((principal) -> assertThat(principal.role()).isEqualTo(Role.INGEST));
		assertThat(this.keys.authenticate(administrators.secret())).isPresent();
		assertThat(second.key().createdBy()).isEqualTo(ApiKeys.SERVICE);
	}

	/**
	 * Counts the reads of keys.
	 */
	static class CountingJdbc extends JdbcTemplate {

		private final AtomicInteger reads;

		CountingJdbc(DriverManagerDataSource database, AtomicInteger reads) {
			super(database);
			this.reads = reads;
		}

		@Override
		public <T> java.util.List<T> query(String sql, org.springframework.jdbc.core.RowMapper<T> rowMapper,
				Object... args) {
			if (sql.contains("archive_api_key")) {
				this.reads.incrementAndGet();
			}
			return super.query(sql, rowMapper, args);
		}

		@Override
		public void query(String sql, org.springframework.jdbc.core.RowCallbackHandler handler) {
			if (sql.contains("archive_api_key")) {
				this.reads.incrementAndGet();
			}
			super.query(sql, handler);
		}

		@Override
		public <T> java.util.List<T> query(String sql, org.springframework.jdbc.core.RowMapper<T> rowMapper) {
			if (sql.contains("archive_api_key")) {
				this.reads.incrementAndGet();
			}
			return super.query(sql, rowMapper);
		}

		@Override
		public <T> java.util.List<T> queryForList(String sql, Class<T> elementType) {
			if (sql.contains("archive_api_key")) {
				this.reads.incrementAndGet();
			}
			return super.queryForList(sql, elementType);
		}

	}

}
