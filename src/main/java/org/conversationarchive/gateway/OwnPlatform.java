package org.conversationarchive.gateway;

import java.net.URI;

import org.conversationarchive.notifications.WebhookAddresses;
import org.conversationarchive.security.AuditEvent;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * An agent platform the service runs itself, in-process (the demo's): made an org's
 * platform in code, never through the API, and the only platform the client reaches on an
 * internal address without {@code archive.gateway.allow-private-addresses}, at exactly
 * its address and port. An administrator's platform is never replaced: only one saved
 * here before is.
 */
@Component
public class OwnPlatform {

	/** Who the platform is saved by, so that a later start knows it as its own. */
	static final String SAVED_BY = "demo platform";

	private final GatewayPlatforms platforms;

	private final GatewayClient client;

	private final ApplicationEventPublisher events;

	OwnPlatform(GatewayPlatforms platforms, GatewayClient client, ApplicationEventPublisher events) {
		this.platforms = platforms;
		this.client = client;
		this.events = events;
	}

	/**
	 * Whether someone else configured the org's platform.
	 * @param org the org
	 * @return whether it has a platform not saved here
	 */
	public boolean anotherConfigured(String org) {
		return this.platforms.find(org).filter((platform) -> !SAVED_BY.equals(platform.updatedBy())).isPresent();
	}

	/**
	 * Makes the platform the org's and lets actions reach it, unless someone else
	 * configured the org's platform.
	 * @param org the org
	 * @param url its action URL, its host an address (e.g.
	 * {@code http://127.0.0.1:41234/actions})
	 * @param secret the secret it checks actions with
	 * @return whether it is now the org's platform
	 */
	public boolean connect(String org, String url, String secret) {
		URI uri = URI.create(url);
		this.client.trust(uri);
		boolean saved = this.platforms.saveUnlessAnother(org, SAVED_BY, url, secret);
		if (saved) {
			this.events.publishEvent(new AuditEvent(org, "gateway.platform.updated", null,
					WebhookAddresses.redacted(url) + ", secret set, by the service"));
		}
		else {
			this.client.distrust(uri);
		}
		return saved;
	}

	/**
	 * The platform stopped: actions no longer reach its address, and the org has no
	 * platform if it was still this one.
	 * @param org the org
	 * @param url its action URL
	 */
	public void disconnect(String org, String url) {
		this.client.distrust(URI.create(url));
		this.platforms.deleteIfStill(org, SAVED_BY, url);
	}

}
