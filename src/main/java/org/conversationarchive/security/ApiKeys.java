package org.conversationarchive.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.conversationarchive.system.NotFoundException;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;

/**
 * API keys: {@code ca_<id>_<secret>}, shown once when created and stored only as a
 * SHA-256 hash (the secret is 190 random bits, so a fast hash is enough). The id part
 * finds the key without scanning; the hash comparison runs in constant time.
 */
@Component
public class ApiKeys {

	static final String BOOTSTRAP_ID = "bootstrap";

	/** Who created the keys the service makes for itself. */
	static final String SERVICE = "the service";

	private static final Pattern KEY = Pattern.compile("ca_([a-z0-9]{12})_([A-Za-z0-9]{32})");

	private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		.toCharArray();

	private final JdbcTemplate jdbc;

	private final SecureRandom random = new SecureRandom();

	/**
	 * Keys recently found valid, by the hash of the token: most requests then cost no
	 * database read. A revocation takes effect here at once and on other instances within
	 * {@link #REMEMBERED}.
	 */
	private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();

	static final Duration REMEMBERED = Duration.ofSeconds(10);

	/**
	 * When every unrevoked key was last put into {@link #remembered}, for addresses whose
	 * attempts keep failing: a token of theirs that is not remembered then is none, and
	 * costs no database read; the keys are read again at most once per
	 * {@link #ALL_REREAD} (less than {@link #REMEMBERED}, so what that read remembered is
	 * still there until the next), whatever the number of attempts.
	 */
	private volatile Instant allReadAt = Instant.EPOCH;

	private final Object allRead = new Object();

	static final Duration ALL_REREAD = Duration.ofSeconds(5);

	ApiKeys(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * An API key, without its secret.
	 *
	 * @param id the key's id (part of the key)
	 * @param org its org
	 * @param name what it is for
	 * @param role what it may do
	 * @param systemAdmin whether it may manage orgs
	 * @param createdAt when it was created
	 * @param createdBy who created it
	 * @param revokedAt when it was revoked, if it was
	 */
	public record ApiKey(String id, String org, String name, Role role, boolean systemAdmin, Instant createdAt,
			@Nullable String createdBy, @Nullable Instant revokedAt) {
	}

	/**
	 * A key just created: the only time its secret is seen.
	 *
	 * @param key the key
	 * @param secret the whole key to send as {@code Authorization: Bearer <secret>}
	 */
	public record CreatedKey(ApiKey key, String secret) {
	}

	CreatedKey create(String org, String name, Role role, boolean systemAdmin, @Nullable String createdBy) {
		String id = random(12).toLowerCase(java.util.Locale.ROOT);
		String secret = "ca_" + id + "_" + random(32);
		Instant now = Instant.now();
		this.jdbc.update(
				"insert into archive_api_key (id, org, name, role, system_admin, secret_hash, created_at, "
						+ "created_by) values (?, ?, ?, ?, ?, ?, ?, ?)",
				id, org, name, role.json(), systemAdmin, hash(secret), Timestamp.from(now), createdBy);
		forgetAll();
		return new CreatedKey(new ApiKey(id, org, name, role, systemAdmin, now, createdBy, null), secret);
	}

	/**
	 * A key the service makes for a client it runs itself, anew on each start (only the
	 * hash of the last one was kept), revoking the ones it made before under the same
	 * name: a key an administrator made, whatever its name, is left alone.
	 * @param org the org
	 * @param name what it is for, e.g. {@code demo platform}
	 * @param role what it may do
	 * @return the key, its secret to hand to the client only
	 */
	public CreatedKey createForService(String org, String name, Role role) {
		this.jdbc.update(
				"update archive_api_key set revoked_at = ? where org = ? and name = ? and created_by = ? and revoked_at is null",
				Timestamp.from(Instant.now()), org, name, SERVICE);
		return create(org, name, role, false, SERVICE);
	}

	/**
	 * Makes {@code secret} the system-admin key of the default org, replacing an earlier
	 * bootstrap key.
	 * @param secret the key
	 */
	void bootstrap(String secret) {
		String hash = hash(secret);
		int updated = this.jdbc.update("update archive_api_key set secret_hash = ?, revoked_at = null where id = ?",
				hash, BOOTSTRAP_ID);
		if (updated == 0) {
			try {
				this.jdbc.update(
						"insert into archive_api_key (id, org, name, role, system_admin, secret_hash, "
								+ "created_at, created_by) values (?, ?, ?, ?, ?, ?, ?, ?)",
						BOOTSTRAP_ID, CurrentOrg.DEFAULT, "Bootstrap administrator", Role.ADMIN.json(), true, hash,
						Timestamp.from(Instant.now()), "ARCHIVE_SECURITY_BOOTSTRAP_KEY");
			}
			catch (DuplicateKeyException ex) {
				// Another instance bootstrapped at the same moment, with the same key.
			}
		}
		// After the change: what a check read before it is not remembered.
		forgetAll();
	}

	boolean hasBootstrapKey() {
		Integer count = this.jdbc.queryForObject("select count(*) from archive_api_key where id = ?", Integer.class,
				BOOTSTRAP_ID);
		return count != null && count > 0;
	}

	List<ApiKey> list(String org) {
		return this.jdbc.query("select * from archive_api_key where org = ? order by created_at",
				(row, number) -> key(row), org);
	}

	ApiKey revoke(String org, String id) {
		int updated = this.jdbc.update(
				"update archive_api_key set revoked_at = ? where id = ? and org = ? and revoked_at is null",
				Timestamp.from(Instant.now()), id, org);
		// Forget what was remembered (the hash of a key is not known from its id alone),
		// after the change, so that a check that read the key before it is not trusted.
		forgetAll();
		List<ApiKey> keys = this.jdbc.query("select * from archive_api_key where id = ? and org = ?",
				(row, number) -> key(row), id, org);
		if (keys.isEmpty()) {
			throw new NotFoundException("no API key '" + id + "' in org '" + org + "'");
		}
		if (updated == 0 && keys.get(0).revokedAt() == null) {
			throw new NotFoundException("no API key '" + id + "' in org '" + org + "'");
		}
		return keys.get(0);
	}

	/**
	 * The caller a bearer token stands for.
	 * @param token what followed {@code Bearer}
	 * @return the principal, if the token is a valid, unrevoked key
	 */
	Optional<ArchivePrincipal> authenticate(String token) {
		String tokenHash = hash(token);
		Optional<ArchivePrincipal> known = remembered(tokenHash);
		if (known.isPresent()) {
			return known;
		}
		Optional<ArchivePrincipal> principal = lookUp(token, tokenHash);
		principal.ifPresent((found) -> {
			if (this.remembered.size() > 10_000) {
				forgetAll();
			}
			remember(tokenHash, found);
		});
		return principal;
	}

	/**
	 * The caller a bearer token stands for, as {@link #authenticate}, for an address
	 * whose attempts keep failing: a token that is no unrevoked key's costs no database
	 * read (but for one read of every key per {@link #ALL_REREAD}), so a flood of guesses
	 * cannot make every attempt a look-up. A key created on another instance may be
	 * refused here until that read.
	 * @param token what followed {@code Bearer}
	 * @return the principal, if the token is a valid, unrevoked key
	 */
	Optional<ArchivePrincipal> authenticateKnown(String token) {
		String tokenHash = hash(token);
		Optional<ArchivePrincipal> known = remembered(tokenHash);
		if (known.isPresent() || allReadRecently()) {
			return known;
		}
		synchronized (this.allRead) {
			// Another attempt may have read them while this one waited.
			if (!allReadRecently()) {
				rememberAll();
			}
		}
		return remembered(tokenHash);
	}

	private Optional<ArchivePrincipal> remembered(String tokenHash) {
		Remembered known = this.remembered.get(tokenHash);
		return (known != null && known.until().isAfter(Instant.now())) ? Optional.of(known.principal())
				: Optional.empty();
	}

	private void remember(String tokenHash, ArchivePrincipal principal) {
		this.remembered.put(tokenHash, new Remembered(principal, Instant.now().plus(REMEMBERED)));
	}

	private void rememberAll() {
		Instant readAt = Instant.now();
		this.jdbc.query("select id, org, role, system_admin, secret_hash from archive_api_key where revoked_at is null",
				(RowCallbackHandler) (row) -> remember(row.getString("secret_hash"), principal(row.getString("id"),
						row.getString("org"), Role.of(row.getString("role")), row.getBoolean("system_admin"))));
		this.allReadAt = readAt;
	}

	private boolean allReadRecently() {
		return this.allReadAt.plus(ALL_REREAD).isAfter(Instant.now());
	}

	/**
	 * After a change of the keys here: nothing remembered is trusted, and the next
	 * attempt from a throttled address reads them all again.
	 */
	private void forgetAll() {
		this.allReadAt = Instant.EPOCH;
		this.remembered.clear();
	}

	private Optional<ArchivePrincipal> lookUp(String token, String tokenHash) {
		Matcher matcher = KEY.matcher(token);
		String id = matcher.matches() ? matcher.group(1) : BOOTSTRAP_ID;
		List<Stored> stored = this.jdbc.query(
				"select org, role, system_admin, secret_hash from archive_api_key where id = ? and revoked_at is null",
				(row, number) -> new Stored(row.getString("org"), Role.of(row.getString("role")),
						row.getBoolean("system_admin"), row.getString("secret_hash")),
				id);
		if (stored.isEmpty()) {
			return Optional.empty();
		}
		Stored key = stored.get(0);
		boolean matches = MessageDigest.isEqual(key.hash().getBytes(StandardCharsets.US_ASCII),
				tokenHash.getBytes(StandardCharsets.US_ASCII));
		return matches ? Optional.of(principal(id, key.org(), key.role(), key.systemAdmin())) : Optional.empty();
	}

	private static ArchivePrincipal principal(String id, String org, Role role, boolean systemAdmin) {
		return new ArchivePrincipal(org, "api-key:" + id, role, systemAdmin);
	}

	static String hash(String secret) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private String random(int length) {
		char[] chars = new char[length];
		for (int i = 0; i < length; i++) {
			chars[i] = ALPHABET[this.random.nextInt(ALPHABET.length)];
		}
		return new String(chars);
	}

	private static ApiKey key(java.sql.ResultSet row) throws java.sql.SQLException {
		Timestamp revoked = row.getTimestamp("revoked_at");
		return new ApiKey(row.getString("id"), row.getString("org"), row.getString("name"),
				Role.of(row.getString("role")), row.getBoolean("system_admin"),
				row.getTimestamp("created_at").toInstant(), row.getString("created_by"),
				(revoked != null) ? revoked.toInstant() : null);
	}

	private record Stored(String org, Role role, boolean systemAdmin, String hash) {
	}

	private record Remembered(ArchivePrincipal principal, Instant until) {
	}

}
