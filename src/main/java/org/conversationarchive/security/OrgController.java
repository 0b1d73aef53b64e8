package org.conversationarchive.security;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.conversationarchive.system.InvalidInputException;
import org.conversationarchive.system.NotFoundException;
import org.conversationarchive.system.StrictJson;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Orgs (system administrators) and their API keys (each org's administrators).
 */
@RestController
@RequestMapping("/api/v1")
class OrgController {

	private final Orgs orgs;

	private final ApiKeys keys;

	private final ApplicationEventPublisher events;

	private final JsonMapper json;

	OrgController(Orgs orgs, ApiKeys keys, ApplicationEventPublisher events, JsonMapper json) {
		this.json = json;
		this.orgs = orgs;
		this.keys = keys;
		this.events = events;
	}

	record NewOrg(@Nullable String id, @Nullable String name) {
	}

	record NewKey(@Nullable String name, @Nullable String role) {
	}

	/**
	 * A key as created: the secret {@code key} is shown this once.
	 */
	record CreatedKeyView(String id, String key, String name, Role role, String org) {
	}

	@GetMapping("/me")
	ArchivePrincipal me(@AuthenticationPrincipal ArchivePrincipal caller) {
		return caller;
	}

	@PostMapping(path = "/orgs", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Orgs.Org> create(@RequestBody(required = false) byte @Nullable [] json,
			@AuthenticationPrincipal ArchivePrincipal caller) {
		NewOrg body = StrictJson.read(this.json, json, NewOrg.class, "{\"id\": \"acme\", \"name\": \"Acme\"}");
		if (body.id() == null || body.name() == null) {
			throw new InvalidInputException("an org needs an id and a name");
		}
		Orgs.Org org = this.orgs.create(body.id(), body.name());
		this.events.publishEvent(new AuditEvent(caller.org(), "org.created", org.id(), org.name()));
		return ResponseEntity.created(URI.create("/api/v1/orgs/" + org.id())).body(org);
	}

	@GetMapping("/orgs")
	Map<String, List<Orgs.Org>> list(@AuthenticationPrincipal ArchivePrincipal caller) {
		return Map.of("items",
				this.orgs.list()
					.stream()
					.filter((org) -> caller.systemAdmin() || org.id().equals(caller.org()))
					.toList());
	}

	@PostMapping(path = "/orgs/{org}/api-keys", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<CreatedKeyView> createKey(@PathVariable String org,
			@RequestBody(required = false) byte @Nullable [] json, @AuthenticationPrincipal ArchivePrincipal caller) {
		checkAdminOf(org, caller);
		NewKey body = StrictJson.read(this.json, json, NewKey.class, "{\"name\": \"BI\", \"role\": \"analyst\"}");
		if (body.name() == null || body.name().isBlank() || body.name().length() > 200) {
			throw new InvalidInputException("name must be 1 to 200 characters");
		}
		if (body.role() == null) {
			throw new InvalidInputException("role is required: viewer, analyst, manager, admin or ingest");
		}
		Role role;
		try {
			role = Role.of(body.role());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidInputException("role: " + ex.getMessage());
		}
		ApiKeys.CreatedKey created = this.keys.create(org, body.name(), role, false, caller.userId());
		this.events.publishEvent(
				new AuditEvent(org, "api-key.created", created.key().id(), body.name() + " (" + role.json() + ")"));
		return ResponseEntity.created(URI.create("/api/v1/orgs/" + org + "/api-keys/" + created.key().id()))
			.body(new CreatedKeyView(created.key().id(), created.secret(), created.key().name(), role, org));
	}

	@GetMapping("/orgs/{org}/api-keys")
	Map<String, List<ApiKeys.ApiKey>> keys(@PathVariable String org, @AuthenticationPrincipal ArchivePrincipal caller) {
		checkAdminOf(org, caller);
		return Map.of("items", this.keys.list(org));
	}

	@DeleteMapping("/orgs/{org}/api-keys/{id}")
	ResponseEntity<Void> revoke(@PathVariable String org, @PathVariable String id,
			@AuthenticationPrincipal ArchivePrincipal caller) {
		checkAdminOf(org, caller);
		this.keys.revoke(org, id);
		this.events.publishEvent(new AuditEvent(org, "api-key.revoked", id, null));
		return ResponseEntity.noContent().build();
	}

	/**
	 * An org's keys are its admins' business (and the system admins'); to anyone else the
	 * org does not exist.
	 */
	private void checkAdminOf(String org, ArchivePrincipal caller) {
		boolean allowed = caller.systemAdmin() || (caller.org().equals(org) && caller.role() == Role.ADMIN);
		if (!allowed || !this.orgs.exists(org)) {
			throw new NotFoundException("no org '" + org + "'");
		}
	}

}
