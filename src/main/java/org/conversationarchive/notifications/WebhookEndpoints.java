package org.conversationarchive.notifications;

import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.conversationarchive.system.InvalidInputException;
import org.conversationarchive.system.NotFoundException;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * An org's webhook endpoints: where deliveries go, what they are subscribed to, and the
 * secrets that sign them (kept in the database, as every instance signs; shown to a
 * client only when created or rotated).
 */
@Component
class WebhookEndpoints {

	/** Endpoints an org may have: each event is recorded once per endpoint. */
	static final int MAX_PER_ORG = 50;

	static final int MAX_DESCRIPTION = 500;

	/** Every event, the default subscription. */
	static final String ALL = "*";

	private final JdbcTemplate jdbc;

	private final WebhookSettings settings;

	private final List<WebhookEvent> declared;

	WebhookEndpoints(JdbcTemplate jdbc, WebhookSettings settings, List<WebhookEvent> declared) {
		this.jdbc = jdbc;
		this.settings = settings;
		this.declared = List.copyOf(declared);
	}

	/**
	 * An endpoint as the API shows it (never its secret).
	 *
	 * @param id its id
	 * @param url where deliveries are posted
	 * @param description what it is for
	 * @param events the events it gets, {@code *} for all
	 * @param enabled whether it gets deliveries
	 * @param createdBy who created it
	 * @param createdAt when
	 * @param updatedAt when it last changed
	 * @param secretRotatedAt when its secret was last replaced
	 */
	record Endpoint(String id, String url, @Nullable String description, List<String> events, boolean enabled,
			String createdBy, Instant createdAt, Instant updatedAt, @Nullable Instant secretRotatedAt) {

		boolean subscribed(String event) {
			return this.events.contains(ALL) || this.events.contains(event);
		}

	}

	/**
	 * What signs an endpoint's deliveries.
	 *
	 * @param secret the current secret
	 * @param previous the one it replaced, while it still signs
	 */
	record Secrets(String secret, @Nullable String previous) {

		List<String> all() {
			return (this.previous != null) ? List.of(this.secret, this.previous) : List.of(this.secret);
		}

	}

	/**
	 * What a client sends to create or change an endpoint; on change, what it leaves out
	 * stays as it is.
	 */
	record EndpointRequest(@Nullable String url, @Nullable String description, @Nullable List<String> events,
			@Nullable Boolean enabled) {
	}

	List<WebhookEvent> declared() {
		return this.declared;
	}

	List<Endpoint> list(String org) {
		return this.jdbc.query("select * from archive_webhook where org = ? order by created_at, id",
				WebhookEndpoints::endpoint, org);
	}

	/**
	 * The org's enabled endpoints an event goes to.
	 */
	List<Endpoint> subscribed(String org, String event) {
		return this.jdbc
			.query("select * from archive_webhook where org = ? and enabled = true", WebhookEndpoints::endpoint, org)
			.stream()
			.filter((endpoint) -> endpoint.subscribed(event))
			.toList();
	}

	Optional<Endpoint> find(String org, String id) {
		return this.jdbc
			.query("select * from archive_webhook where org = ? and id = ?", WebhookEndpoints::endpoint, org, id)
			.stream()
			.findFirst();
	}

	Endpoint get(String org, String id) {
		return find(org, id).orElseThrow(() -> new NotFoundException("no webhook '" + id + "'"));
	}

	/**
	 * The secrets that sign an endpoint's deliveries now.
	 */
	Optional<Secrets> secrets(String org, String id) {
		return this.jdbc.query(
				"select secret, previous_secret, previous_secret_until from archive_webhook where org = ? and id = ?",
				(row, number) -> {
					Timestamp until = row.getTimestamp("previous_secret_until");
					boolean previousValid = until != null && until.toInstant().isAfter(Instant.now());
					return new Secrets(row.getString("secret"),
							previousValid ? row.getString("previous_secret") : null);
				}, org, id)
			.stream()
			.findFirst();
	}

	/**
	 * Creates an endpoint with a new secret.
	 * @return the endpoint and its secret, which is not shown again
	 */
	Created create(String org, String userId, EndpointRequest request, WebhookAddresses addresses) {
		Integer count = this.jdbc.queryForObject("select count(*) from archive_webhook where org = ?", Integer.class,
				org);
		if (count != null && count >= MAX_PER_ORG) {
			throw new InvalidInputException("an org has at most " + MAX_PER_ORG + " webhooks; delete one first");
		}
		URI url = addresses.check(request.url());
		String id = UUID.randomUUID().toString();
		String secret = WebhookSignatures.newSecret();
		Instant now = Instant.now();
		this.jdbc.update(
				"insert into archive_webhook (id, org, url, description, events, enabled, secret, created_by, "
						+ "created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				id, org, url.toString(), description(request.description()), events(request.events(), List.of(ALL)),
				(request.enabled() != null) ? request.enabled() : true, secret, userId, Timestamp.from(now),
				Timestamp.from(now));
		return new Created(get(org, id), secret);
	}

	/**
	 * An endpoint just created or whose secret was rotated, with the secret.
	 *
	 * @param endpoint the endpoint
	 * @param secret its secret: shown this once
	 */
	record Created(Endpoint endpoint, String secret) {
	}

	Endpoint update(String org, String id, EndpointRequest request, WebhookAddresses addresses) {
		Endpoint current = get(org, id);
		String url = (request.url() != null) ? addresses.check(request.url()).toString() : current.url();
		String description = (request.description() != null) ? description(request.description())
				: current.description();
		String events = events(request.events(), current.events());
		boolean enabled = (request.enabled() != null) ? request.enabled() : current.enabled();
		this.jdbc.update(
				"update archive_webhook set url = ?, description = ?, events = ?, enabled = ?, updated_at = ? "
						+ "where org = ? and id = ?",
				url, description, events, enabled, Timestamp.from(Instant.now()), org, id);
		return get(org, id);
	}

	/**
	 * Replaces an endpoint's secret; the one it replaces still signs beside it for
	 * {@code archive.webhooks.previous-secret-validity}.
	 * @return the endpoint and its new secret
	 */
	Created rotate(String org, String id) {
		get(org, id);
		String secret = WebhookSignatures.newSecret();
		Instant now = Instant.now();
		this.jdbc.update(
				"update archive_webhook set previous_secret = secret, previous_secret_until = ?, secret = ?, "
						+ "secret_rotated_at = ?, updated_at = ? where org = ? and id = ?",
				Timestamp.from(now.plus(this.settings.previousSecretValidity())), secret, Timestamp.from(now),
				Timestamp.from(now), org, id);
		return new Created(get(org, id), secret);
	}

	void delete(String org, String id) {
		get(org, id);
		this.jdbc.update("delete from archive_webhook_attempt where delivery_id in "
				+ "(select id from archive_webhook_delivery where org = ? and webhook_id = ?)", org, id);
		this.jdbc.update("delete from archive_webhook_delivery where org = ? and webhook_id = ?", org, id);
		this.jdbc.update("delete from archive_webhook where org = ? and id = ?", org, id);
	}

	private String events(@Nullable List<String> given, List<String> otherwise) {
		List<String> events = (given != null) ? given : otherwise;
		if (events.isEmpty()) {
			throw new InvalidInputException("events: give at least one event, or [\"*\"] for every event");
		}
		Set<String> known = new LinkedHashSet<>();
		this.declared.forEach((event) -> known.add(event.name()));
		Set<String> chosen = new LinkedHashSet<>();
		for (String event : events) {
			if (event == null || (!event.equals(ALL) && !known.contains(event))) {
				throw new InvalidInputException(
						"events: '" + event + "' is not an event; expected * or one of " + String.join(", ", known));
			}
			chosen.add(event);
		}
		return chosen.contains(ALL) ? ALL : String.join(",", chosen);
	}

	private static @Nullable String description(@Nullable String description) {
		if (description == null || description.isBlank()) {
			return null;
		}
		if (description.length() > MAX_DESCRIPTION) {
			throw new InvalidInputException("description has more than " + MAX_DESCRIPTION + " characters");
		}
		return description.strip();
	}

	private static Endpoint endpoint(ResultSet row, int number) throws SQLException {
		Timestamp rotated = row.getTimestamp("secret_rotated_at");
		return new Endpoint(row.getString("id"), row.getString("url"), row.getString("description"),
				new ArrayList<>(Arrays.asList(row.getString("events").split(","))), row.getBoolean("enabled"),
				row.getString("created_by"), row.getTimestamp("created_at").toInstant(),
				row.getTimestamp("updated_at").toInstant(), (rotated != null) ? rotated.toInstant() : null);
	}

}
