package org.conversationarchive.notifications;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Tells an org's webhook endpoints that something happened. {@link #publish} only records
 * a delivery per subscribed endpoint (the outbox, in the caller's transaction if it has
 * one) and returns: the sending, its retries and an endpoint that does not answer are the
 * {@link WebhookDispatcher}'s, on whichever instance claims each delivery, so they never
 * slow the caller.
 *
 * Each endpoint receives {@code POST} with the JSON body {@code {"id", "event", "at",
 * "org", "data"}} ({@code id} the event's, the same for every endpoint and retry) and the
 * headers {@code X-Archive-Event}, {@code X-Archive-Delivery} (the same for every retry),
 * {@code X-Archive-Attempt} and {@code X-Archive-Signature} ({@link WebhookSignatures}).
 */
@Component
public class Webhooks {

	/**
	 * The event of a delivery sent by "send test"; an endpoint gets it whatever it is
	 * subscribed to.
	 */
	public static final String TEST = "webhook.test";

	private final WebhookEndpoints endpoints;

	private final WebhookDeliveries deliveries;

	private final WebhookDispatcher dispatcher;

	private final WebhookSettings settings;

	private final JsonMapper json;

	Webhooks(WebhookEndpoints endpoints, WebhookDeliveries deliveries, WebhookDispatcher dispatcher,
			WebhookSettings settings, JsonMapper json) {
		this.endpoints = endpoints;
		this.deliveries = deliveries;
		this.dispatcher = dispatcher;
		this.settings = settings;
		this.json = json;
	}

	/**
	 * Records an event for every enabled endpoint of the org subscribed to it, to be sent
	 * at once and retried until delivered. Costs two small database statements, whatever
	 * the endpoints do.
	 * @param org the org it happened in
	 * @param event what happened: lower-case words joined by dots, declared as a
	 * {@link WebhookEvent} bean by the module that publishes it (e.g.
	 * {@code export.ready}, {@code alert.triggered})
	 * @param data what endpoints need to act on it, as JSON (the body's {@code data})
	 * @throws IllegalArgumentException when the event's name is not lower-case words
	 * joined by dots, or the data cannot be written as JSON
	 */
	public void publish(String org, String event, Map<String, Object> data) {
		WebhookEvent.checkName(event);
		List<String> targets = this.endpoints.subscribed(org, event)
			.stream()
			.map(WebhookEndpoints.Endpoint::id)
			.toList();
		if (targets.isEmpty()) {
			return;
		}
		Instant at = Instant.now();
		String eventId = UUID.randomUUID().toString();
		this.deliveries.record(org, targets, eventId, event, body(eventId, event, at, org, data), at,
				this.settings.maxAttempts());
		this.dispatcher.wake();
	}

	/**
	 * Sends an endpoint a {@link #TEST} event now, once, and waits for it.
	 * @param org the org
	 * @param webhookId the endpoint
	 * @param data the test's data
	 * @return the delivery and its attempt, which are in the delivery log too
	 */
	Sent test(String org, String webhookId, Map<String, Object> data) {
		Instant at = Instant.now();
		String eventId = UUID.randomUUID().toString();
		WebhookDeliveries.Claimed delivery = this.deliveries.recordClaimed(org, webhookId, eventId, TEST,
				body(eventId, TEST, at, org, data), at, at.plus(this.settings.lease()));
		WebhookDeliveries.Attempt attempt = this.dispatcher.attempt(delivery);
		if (attempt == null) {
			throw new IllegalStateException("the test delivery " + delivery.id() + " could not be sent");
		}
		return new Sent(delivery.id(), attempt);
	}

	/**
	 * A delivery sent at once.
	 *
	 * @param deliveryId the delivery
	 * @param attempt its attempt
	 */
	record Sent(String deliveryId, WebhookDeliveries.Attempt attempt) {
	}

	private byte[] body(String eventId, String event, Instant at, String org, Map<String, Object> data) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("id", eventId);
		body.put("event", event);
		body.put("at", at.toString());
		body.put("org", org);
		body.put("data", data);
		try {
			return this.json.writeValueAsBytes(body);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("the data of webhook event '" + event + "' is not JSON: " + ex, ex);
		}
	}

}
