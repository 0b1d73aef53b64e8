package org.conversationarchive.gateway;

import org.conversationarchive.notifications.WebhookAddresses;
import org.conversationarchive.security.AuditEvent;
import org.conversationarchive.security.CurrentUser;
import org.conversationarchive.security.Role;
import org.conversationarchive.system.InvalidInputException;
import org.conversationarchive.system.NotFoundException;
import org.conversationarchive.system.StrictJson;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The org's agent platform, for administrators: actions sent to it take over and end
 * customers' calls, so it is as sensitive as the org's keys. The secret is write-only:
 * answers say only whether one is set. Changes are audited, the URL without its query.
 */
@RestController
@RequestMapping("/api/v1/gateway/platform")
class GatewayController {

	private static final String EXAMPLE = "{\"url\": \"https://agents.example.com/archive/actions\", "
			+ "\"secret\": \"at least 16 characters, shared with the platform\"}";

	private final GatewayPlatforms platforms;

	private final WebhookAddresses addresses;

	private final CurrentUser user;

	private final ApplicationEventPublisher events;

	private final JsonMapper json;

	GatewayController(GatewayPlatforms platforms, GatewayClient client, CurrentUser user,
			ApplicationEventPublisher events, JsonMapper json) {
		this.platforms = platforms;
		this.addresses = client.addresses();
		this.user = user;
		this.events = events;
		this.json = json;
	}

	/**
	 * What an administrator sends: the URL, and the secret (required the first time; left
	 * out, the current one stays).
	 */
	record PlatformRequest(@Nullable String url, @Nullable String secret) {
	}

	@GetMapping
	GatewayPlatforms.Platform get() {
		admin();
		return this.platforms.find(this.user.id())
			.orElseThrow(() -> new NotFoundException("no agent platform is configured for the org"));
	}

	@PutMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	GatewayPlatforms.Platform put(@RequestBody(required = false) byte @Nullable [] body) {
		admin();
		PlatformRequest request = StrictJson.read(this.json, body, PlatformRequest.class, EXAMPLE);
		String url = this.addresses.check(request.url()).toString();
		String secret = request.secret();
		if (secret != null && (secret.length() < GatewayPlatforms.MIN_SECRET
				|| secret.length() > GatewayPlatforms.MAX_SECRET || !secret.equals(secret.strip()))) {
			throw new InvalidInputException("secret: give " + GatewayPlatforms.MIN_SECRET + " to "
					+ GatewayPlatforms.MAX_SECRET + " characters, without surrounding spaces");
		}
		if (secret == null && this.platforms.find(this.user.id())
			.filter((platform) -> !OwnPlatform.SAVED_BY.equals(platform.updatedBy()))
			.isEmpty()) {
			// The demo's platform has a secret nobody was told: the next one needs its
			// own.
			throw new InvalidInputException("secret is required when the platform is first configured");
		}
		boolean existed = this.platforms.save(this.user.id(), this.user.userId(), url, secret);
		this.events.publishEvent(
				new AuditEvent(this.user.id(), existed ? "gateway.platform.updated" : "gateway.platform.created", null,
						WebhookAddresses.redacted(url) + ((secret != null) ? ", secret set" : "")));
		return get();
	}

	@DeleteMapping
	ResponseEntity<Void> delete() {
		admin();
		GatewayPlatforms.Platform platform = get();
		this.platforms.delete(this.user.id());
		this.events.publishEvent(new AuditEvent(this.user.id(), "gateway.platform.deleted", null,
				WebhookAddresses.redacted(platform.url())));
		return ResponseEntity.noContent().build();
	}

	private void admin() {
		this.user.require(Role.ADMIN, "manage the agent platform");
	}

}
