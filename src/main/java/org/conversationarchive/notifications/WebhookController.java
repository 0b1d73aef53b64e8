package org.conversationarchive.notifications;

import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import org.conversationarchive.security.AuditEvent;
import org.conversationarchive.security.CurrentUser;
import org.conversationarchive.security.Role;
import org.conversationarchive.system.InvalidInputException;
import org.conversationarchive.system.StrictJson;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An org's webhook endpoints, for managers: their URLs may carry credentials of the
 * receiving service (a chat's incoming-webhook URL is one), so no lesser role sees them.
 * Changes are audited.
 */
@RestController
@RequestMapping("/api/v1/webhooks")
class WebhookController {

	private static final String EXAMPLE = "{\"url\": \"https://hooks.example.com/archive\", "
			+ "\"description\": \"Our alerting\", \"events\": [\"*\"], \"enabled\": true}";

	private final WebhookEndpoints endpoints;

	private final WebhookDeliveries deliveries;

	private final Webhooks webhooks;

	private final WebhookAddresses addresses;

	private final CurrentUser user;

	private final ApplicationEventPublisher events;

	private final JsonMapper json;

	WebhookController(WebhookEndpoints endpoints, WebhookDeliveries deliveries, Webhooks webhooks, WebhookSender sender,
			CurrentUser user, ApplicationEventPublisher events, JsonMapper json) {
		this.endpoints = endpoints;
		this.deliveries = deliveries;
		this.webhooks = webhooks;
		this.addresses = sender.addresses();
		this.user = user;
		this.events = events;
		this.json = json;
	}

	/**
	 * An endpoint as listed: with how its latest delivery went.
	 *
	 * @param endpoint the endpoint
	 * @param lastDelivery its latest delivery, if any
	 */
	record Listed(@JsonUnwrapped WebhookEndpoints.Endpoint endpoint, WebhookDeliveries.@Nullable Latest lastDelivery) {
	}

	/**
	 * An endpoint with its secret, shown once.
	 *
	 * @param endpoint the endpoint
	 * @param secret its secret
	 */
	record WithSecret(@JsonUnwrapped WebhookEndpoints.Endpoint endpoint, String secret) {
	}

	/**
	 * What "send test" answers.
	 *
	 * @param deliveryId the test's delivery, in the log
	 * @param delivered whether the endpoint answered 2xx
	 * @param attempt the attempt
	 */
	record Tested(String deliveryId, boolean delivered, @JsonUnwrapped WebhookDeliveries.Attempt attempt) {
	}

	@GetMapping
	Map<String, List<Listed>> list() {
		manager();
		Map<String, WebhookDeliveries.Latest> latest = this.deliveries.latest(this.user.id());
		return Map.of("items",
				this.endpoints.list(this.user.id())
					.stream()
					.map((endpoint) -> new Listed(endpoint, latest.get(endpoint.id())))
					.toList());
	}

	/**
	 * The events endpoints can subscribe to.
	 */
	@GetMapping("/events")
	Map<String, List<WebhookEvent>> events() {
		manager();
		return Map.of("items", this.endpoints.declared());
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<WithSecret> create(@RequestBody(required = false) byte @Nullable [] body) {
		manager();
		WebhookEndpoints.EndpointRequest request = StrictJson.read(this.json, body,
				WebhookEndpoints.EndpointRequest.class, EXAMPLE);
		WebhookEndpoints.Created created = this.endpoints.create(this.user.id(), this.user.userId(), request,
				this.addresses);
		WebhookEndpoints.Endpoint endpoint = created.endpoint();
		audit("webhook.created", endpoint);
		return ResponseEntity.created(URI.create("/api/v1/webhooks/" + endpoint.id()))
			.body(new WithSecret(endpoint, created.secret()));
	}

	@GetMapping("/{id}")
	WebhookEndpoints.Endpoint get(@PathVariable String id) {
		manager();
		return this.endpoints.get(this.user.id(), id);
	}

	@PutMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
	WebhookEndpoints.Endpoint update(@PathVariable String id, @RequestBody(required = false) byte @Nullable [] body) {
		manager();
		WebhookEndpoints.EndpointRequest request = StrictJson.read(this.json, body,
				WebhookEndpoints.EndpointRequest.class, "{\"enabled\": false}");
		WebhookEndpoints.Endpoint endpoint = this.endpoints.update(this.user.id(), id, request, this.addresses);
		audit("webhook.updated", endpoint);
		return endpoint;
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(@PathVariable String id) {
		manager();
		WebhookEndpoints.Endpoint endpoint = this.endpoints.get(this.user.id(), id);
		this.endpoints.delete(this.user.id(), id);
		audit("webhook.deleted", endpoint);
		return ResponseEntity.noContent().build();
	}

	/**
	 * Replaces the endpoint's secret (shown this once); the old one still signs beside it
	 * for {@code archive.webhooks.previous-secret-validity}.
	 */
	@PostMapping("/{id}/secret")
	WithSecret rotate(@PathVariable String id) {
		manager();
		WebhookEndpoints.Created rotated = this.endpoints.rotate(this.user.id(), id);
		audit("webhook.secret-rotated", rotated.endpoint());
		return new WithSecret(rotated.endpoint(), rotated.secret());
	}

	/**
	 * The endpoint's deliveries, newest first, with every attempt.
	 */
	@GetMapping("/{id}/deliveries")
	Map<String, List<WebhookDeliveries.Delivery>> deliveries(@PathVariable String id,
			@RequestParam(defaultValue = "50") int size) {
		manager();
		if (size < 1 || size > 500) {
			throw new InvalidInputException("parameter size: " + size + " is not between 1 and 500");
		}
		this.endpoints.get(this.user.id(), id);
		return Map.of("items", this.deliveries.list(this.user.id(), id, size, this.json));
	}

	/**
	 * Sends the endpoint a {@code webhook.test} event now, once (enabled or not), and
	 * answers how it went.
	 */
	@PostMapping("/{id}/test")
	Tested test(@PathVariable String id) {
		manager();
		WebhookEndpoints.Endpoint endpoint = this.endpoints.get(this.user.id(), id);
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("webhookId", endpoint.id());
		data.put("message", "A test of this endpoint, sent by " + this.user.userId() + ".");
		data.put("requestedAt", Instant.now().toString());
		Webhooks.Sent sent = this.webhooks.test(this.user.id(), endpoint.id(), data);
		return new Tested(sent.deliveryId(), sent.attempt().succeeded(), sent.attempt());
	}

	private void manager() {
		this.user.require(Role.MANAGER, "manage webhooks");
	}

	private void audit(String action, WebhookEndpoints.Endpoint endpoint) {
		this.events.publishEvent(new AuditEvent(this.user.id(), action, endpoint.id(), redacted(endpoint.url())
				+ ", events " + String.join(",", endpoint.events()) + (endpoint.enabled() ? "" : ", disabled")));
	}

	/**
	 * A URL for the audit log: its query may carry the receiver's credentials.
	 */
	static String redacted(String url) {
		return WebhookAddresses.redacted(url);
	}

}
