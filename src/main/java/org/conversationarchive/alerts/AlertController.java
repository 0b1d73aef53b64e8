package org.conversationarchive.alerts;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

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
 * An org's alerts: everyone reads them and their history, managers create, change and
 * delete them (audited).
 */
@RestController
@RequestMapping("/api/v1/alerts")
class AlertController {

	private static final String EXAMPLE = "{\"name\": \"Flagged voice calls\", \"viewId\": \"…\", "
			+ "\"window\": \"PT1H\", \"above\": 20}";

	private final Alerts alerts;

	private final CurrentUser user;

	private final ApplicationEventPublisher events;

	private final JsonMapper json;

	AlertController(Alerts alerts, CurrentUser user, ApplicationEventPublisher events, JsonMapper json) {
		this.alerts = alerts;
		this.user = user;
		this.events = events;
		this.json = json;
	}

	@GetMapping
	Map<String, List<Alerts.Alert>> list() {
		return Map.of("items", this.alerts.list(this.user.id()));
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Alerts.Alert> create(@RequestBody(required = false) byte @Nullable [] body) throws IOException {
		this.user.require(Role.MANAGER, "manage alerts");
		Alerts.Alert alert = this.alerts.create(this.user.id(), this.user.userId(), request(body, EXAMPLE));
		audit("alert.created", alert);
		return ResponseEntity.created(URI.create("/api/v1/alerts/" + alert.id())).body(alert);
	}

	@GetMapping("/{id}")
	Alerts.Alert get(@PathVariable String id) {
		return this.alerts.get(this.user.id(), id);
	}

	@PutMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
	Alerts.Alert update(@PathVariable String id, @RequestBody(required = false) byte @Nullable [] body)
			throws IOException {
		this.user.require(Role.MANAGER, "manage alerts");
		Alerts.Alert alert = this.alerts.update(this.user.id(), id, request(body, "{\"enabled\": false}"));
		audit("alert.updated", alert);
		return alert;
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(@PathVariable String id) {
		this.user.require(Role.MANAGER, "manage alerts");
		Alerts.Alert alert = this.alerts.get(this.user.id(), id);
		this.alerts.delete(this.user.id(), id);
		audit("alert.deleted", alert);
		return ResponseEntity.noContent().build();
	}

	/**
	 * When the alert triggered and resolved, newest first.
	 */
	@GetMapping("/{id}/events")
	Map<String, List<Alerts.Event>> events(@PathVariable String id, @RequestParam(defaultValue = "50") int size) {
		if (size < 1 || size > 500) {
			throw new InvalidInputException("parameter size: " + size + " is not between 1 and 500");
		}
		return Map.of("items", this.alerts.events(this.user.id(), id, size));
	}

	private Alerts.AlertRequest request(byte @Nullable [] body, String example) {
		return StrictJson.read(this.json, body, Alerts.AlertRequest.class, example);
	}

	private void audit(String action, Alerts.Alert alert) {
		this.events.publishEvent(new AuditEvent(this.user.id(), action, alert.id(),
				"\u201c" + alert.name() + "\u201d: view " + alert.viewId() + ", " + alert.comparison() + " "
						+ alert.threshold() + " in " + alert.window() + (alert.enabled() ? "" : ", disabled")));
	}

}
