package org.conversationarchive.notifications;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The outbox of webhooks: one delivery per event and endpoint, recorded where the event
 * happens and sent later by whichever instance claims it ({@link WebhookDispatcher}), and
 * the log of its attempts.
 *
 * A delivery is {@code pending} (due at {@code next_attempt_at}), {@code sending}
 * (claimed by an instance until {@code claimed_until}; one that died is taken over
 * after), then {@code delivered}, {@code failed} (its attempts used up) or
 * {@code cancelled} (its endpoint disabled or deleted before it was sent).
 */
@Component
class WebhookDeliveries {

	static final String PENDING = "pending";

	static final String SENDING = "sending";

	static final String DELIVERED = "delivered";

	static final String FAILED = "failed";

	static final String CANCELLED = "cancelled";

	private final JdbcTemplate jdbc;

	WebhookDeliveries(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * A delivery as the log shows it.
	 *
	 * @param id its id (the {@code X-Archive-Delivery} header; the same for every
	 * attempt)
	 * @param webhookId the endpoint
	 * @param eventId the event's id (the body's {@code id}; the same for each endpoint)
	 * @param event the event
	 * @param status pending, sending, delivered, failed or cancelled
	 * @param createdAt when the event happened
	 * @param nextAttemptAt when it is tried next, while pending
	 * @param completedAt when it was delivered, failed or cancelled
	 * @param attempts its attempts, in order
	 * @param payload the body sent
	 */
	record Delivery(String id, String webhookId, String eventId, String event, String status, Instant createdAt,
			@Nullable Instant nextAttemptAt, @Nullable Instant completedAt, List<Attempt> attempts,
			tools.jackson.databind.JsonNode payload) {
	}

	/**
	 * One try of a delivery.
	 *
	 * @param number 1 for the first
	 * @param at when it started
	 * @param durationMs how long it took
	 * @param statusCode the endpoint's answer, or {@code null} when there was none
	 * @param error why it failed, when it did
	 * @param response the start of the answer's body (at most 500 characters)
	 */
	record Attempt(int number, Instant at, long durationMs, @Nullable Integer statusCode, @Nullable String error,
			@Nullable String response) {

		boolean succeeded() {
			return this.error == null && this.statusCode != null && this.statusCode >= 200 && this.statusCode < 300;
		}

	}

	/**
	 * What an instance needs to send a delivery it claimed.
	 *
	 * @param id the delivery
	 * @param org its org
	 * @param webhookId its endpoint
	 * @param event its event
	 * @param body the body, as recorded
	 * @param attempts attempts made, this one included
	 * @param maxAttempts attempts it may have
	 * @param claim this claim of it, which the outcome must still hold
	 */
	record Claimed(String id, String org, String webhookId, String event, byte[] body, int attempts, int maxAttempts,
			String claim) {
	}

	/**
	 * A delivery due to be sent.
	 *
	 * @param id the delivery
	 * @param webhookId its endpoint
	 */
	record Due(String id, String webhookId) {
	}

	/**
	 * Records an event's deliveries, one per endpoint, due now.
	 */
	void record(String org, Collection<String> webhookIds, String eventId, String event, byte[] body, Instant at,
			int maxAttempts) {
		List<Object[]> rows = new ArrayList<>();
		for (String webhookId : webhookIds) {
			rows.add(new Object[] { UUID.randomUUID().toString(), org, webhookId, eventId, event,
					new String(body, StandardCharsets.UTF_8), PENDING, 0, maxAttempts, Timestamp.from(at),
					Timestamp.from(at) });
		}
		this.jdbc.batchUpdate("insert into archive_webhook_delivery (id, org, webhook_id, event_id, event, body, "
				+ "status, attempts, max_attempts, next_attempt_at, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				rows);
	}

	/**
	 * Records a delivery already claimed by this instance, for its one attempt (a test).
	 */
	Claimed recordClaimed(String org, String webhookId, String eventId, String event, byte[] body, Instant at,
			Instant claimedUntil) {
		String id = UUID.randomUUID().toString();
		String claim = UUID.randomUUID().toString();
		this.jdbc.update(
				"insert into archive_webhook_delivery (id, org, webhook_id, event_id, event, body, status, "
						+ "attempts, max_attempts, next_attempt_at, claimed_until, claim, created_at) "
						+ "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				id, org, webhookId, eventId, event, new String(body, StandardCharsets.UTF_8), SENDING, 1, 1,
				Timestamp.from(at), Timestamp.from(claimedUntil), claim, Timestamp.from(at));
		return new Claimed(id, org, webhookId, event, body, 1, 1, claim);
	}

	/**
	 * Deliveries due now: pending ones whose time has come, and ones whose claim ran out
	 * (the instance sending them died), oldest first.
	 * @param now now
	 * @param skipped endpoints to leave out (this instance has enough under way to them)
	 * @param limit the most
	 * @return the deliveries
	 */
	List<Due> due(Instant now, Collection<String> skipped, int limit) {
		List<Object> arguments = new ArrayList<>(List.of(PENDING, Timestamp.from(now), SENDING, Timestamp.from(now)));
		StringBuilder sql = new StringBuilder("select id, webhook_id from archive_webhook_delivery where "
				+ "((status = ? and next_attempt_at <= ?) or (status = ? and claimed_until < ?))");
		if (!skipped.isEmpty()) {
			sql.append(" and webhook_id not in (")
				.append(String.join(", ", skipped.stream().map((id) -> "?").toList()))
				.append(")");
			arguments.addAll(skipped);
		}
		sql.append(" order by next_attempt_at limit ").append(limit);
		return this.jdbc.query(sql.toString(),
				(row, number) -> new Due(row.getString("id"), row.getString("webhook_id")), arguments.toArray());
	}

	/**
	 * When the next delivery falls due that is not due now, as far as this instance can
	 * tell: a pending one's time, or a claim running out.
	 */
	Optional<Instant> nextDue() {
		Timestamp pending = this.jdbc.queryForObject(
				"select min(next_attempt_at) from archive_webhook_delivery where status = ?", Timestamp.class, PENDING);
		Timestamp claimed = this.jdbc.queryForObject(
				"select min(claimed_until) from archive_webhook_delivery where status = ?", Timestamp.class, SENDING);
		Instant next = null;
		for (Timestamp at : new Timestamp[] { pending, claimed }) {
			if (at != null && (next == null || at.toInstant().isBefore(next))) {
				next = at.toInstant();
			}
		}
		return Optional.ofNullable(next);
	}

	/**
	 * Claims a due delivery for one attempt: only one instance gets it, however many try
	 * at once (the update is conditional on what made it due).
	 * @return the delivery, or empty when another instance claimed it first
	 */
	Optional<Claimed> claim(String id, Instant now, Instant until) {
		String claim = UUID.randomUUID().toString();
		int claimed = this.jdbc.update(
				"update archive_webhook_delivery set status = ?, claimed_until = ?, claim = ?, attempts = attempts + 1 "
						+ "where id = ? and ((status = ? and next_attempt_at <= ?) or (status = ? and claimed_until < ?))",
				SENDING, Timestamp.from(until), claim, id, PENDING, Timestamp.from(now), SENDING, Timestamp.from(now));
		if (claimed != 1) {
			return Optional.empty();
		}
		return this.jdbc
			.query("select * from archive_webhook_delivery where id = ? and claim = ?",
					(row, number) -> new Claimed(row.getString("id"), row.getString("org"), row.getString("webhook_id"),
							row.getString("event"), row.getString("body").getBytes(StandardCharsets.UTF_8),
							row.getInt("attempts"), row.getInt("max_attempts"), claim),
					id, claim)
			.stream()
			.findFirst();
	}

	/**
	 * Records an attempt and what follows from it: delivered, failed for good, or pending
	 * again at {@code retryAt}. Nothing changes when the claim was lost meanwhile (it ran
	 * out, and another instance took the delivery over).
	 */
	void finish(Claimed delivery, Attempt attempt, @Nullable Instant retryAt) {
		String status;
		if (attempt.succeeded()) {
			status = DELIVERED;
		}
		else if (retryAt != null && delivery.attempts() < delivery.maxAttempts()) {
			status = PENDING;
		}
		else {
			status = FAILED;
		}
		Instant now = Instant.now();
		int updated = this.jdbc.update(
				"update archive_webhook_delivery set status = ?, next_attempt_at = ?, claimed_until = null, "
						+ "claim = null, completed_at = ? where id = ? and status = ? and claim = ?",
				status, status.equals(PENDING) ? Timestamp.from(retryAt) : null,
				status.equals(PENDING) ? null : Timestamp.from(now), delivery.id(), SENDING, delivery.claim());
		if (updated == 1) {
			this.jdbc.update(
					"insert into archive_webhook_attempt (delivery_id, attempt_number, at, duration_ms, status_code, error, "
							+ "response) values (?, ?, ?, ?, ?, ?, ?)",
					delivery.id(), attempt.number(), Timestamp.from(attempt.at()), attempt.durationMs(),
					attempt.statusCode(), truncate(attempt.error(), 1000), truncate(attempt.response(), 500));
		}
	}

	/**
	 * Gives a claimed delivery up unsent: its endpoint is gone or disabled.
	 */
	void cancel(Claimed delivery) {
		this.jdbc.update(
				"update archive_webhook_delivery set status = ?, attempts = attempts - 1, claimed_until = null, "
						+ "claim = null, completed_at = ? where id = ? and status = ? and claim = ?",
				CANCELLED, Timestamp.from(Instant.now()), delivery.id(), SENDING, delivery.claim());
	}

	/**
	 * An endpoint's deliveries, newest first, with their attempts.
	 */
	List<Delivery> list(String org, String webhookId, int limit, tools.jackson.databind.json.JsonMapper json) {
		Map<String, Delivery> deliveries = new LinkedHashMap<>();
		this.jdbc.query("select * from archive_webhook_delivery where org = ? and webhook_id = ? "
				+ "order by created_at desc, id limit " + limit, (ResultSet row) -> {
					Timestamp next = row.getTimestamp("next_attempt_at");
					Timestamp completed = row.getTimestamp("completed_at");
					String status = row.getString("status");
					deliveries.put(row.getString("id"),
							new Delivery(row.getString("id"), row.getString("webhook_id"), row.getString("event_id"),
									row.getString("event"), status, row.getTimestamp("created_at").toInstant(),
									(status.equals(PENDING) && next != null) ? next.toInstant() : null,
									(completed != null) ? completed.toInstant() : null, new ArrayList<>(),
									json.readTree(row.getString("body"))));
				}, org, webhookId);
		if (!deliveries.isEmpty()) {
			String marks = String.join(", ", deliveries.keySet().stream().map((id) -> "?").toList());
			this.jdbc.query("select * from archive_webhook_attempt where delivery_id in (" + marks
					+ ") order by delivery_id, attempt_number", (ResultSet row) -> {
						deliveries.get(row.getString("delivery_id")).attempts().add(attempt(row));
					}, deliveries.keySet().toArray());
		}
		return List.copyOf(deliveries.values());
	}

	/**
	 * How an endpoint's latest delivery went.
	 *
	 * @param event its event
	 * @param status its status
	 * @param at when it was recorded
	 */
	record Latest(String event, String status, Instant at) {
	}

	/**
	 * The latest delivery of each of an org's endpoints.
	 */
	Map<String, Latest> latest(String org) {
		Map<String, Latest> latest = new LinkedHashMap<>();
		this.jdbc.query("select webhook_id, event, status, created_at from archive_webhook_delivery d where org = ? "
				+ "and created_at = (select max(created_at) from archive_webhook_delivery e "
				+ "where e.webhook_id = d.webhook_id)", (ResultSet row) -> {
					latest.putIfAbsent(row.getString("webhook_id"), new Latest(row.getString("event"),
							row.getString("status"), row.getTimestamp("created_at").toInstant()));
				}, org);
		return latest;
	}

	/**
	 * Drops deliveries done before a time, with their attempts.
	 * @return how many
	 */
	int deleteDoneBefore(Instant before) {
		this.jdbc.update(
				"delete from archive_webhook_attempt where delivery_id in (select id from "
						+ "archive_webhook_delivery where completed_at < ? and status in (?, ?, ?))",
				Timestamp.from(before), DELIVERED, FAILED, CANCELLED);
		return this.jdbc.update("delete from archive_webhook_delivery where completed_at < ? and status in (?, ?, ?)",
				Timestamp.from(before), DELIVERED, FAILED, CANCELLED);
	}

	private static Attempt attempt(ResultSet row) throws SQLException {
		int code = row.getInt("status_code");
		Integer statusCode = row.wasNull() ? null : code;
		return new Attempt(row.getInt("attempt_number"), row.getTimestamp("at").toInstant(), row.getLong("duration_ms"),
				statusCode, row.getString("error"), row.getString("response"));
	}

	private static @Nullable String truncate(@Nullable String value, int length) {
		return (value == null || value.length() <= length) ? value : value.substring(0, length);
	}

}
