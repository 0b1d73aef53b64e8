package org.conversationarchive.gateway;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How actions are sent to an org's agent platform. A person waits on an action, so the
 * limits are short: at the defaults an action has its answer, or its 503, within about 22
 * s however the platform behaves.
 *
 * @param connectTimeout how long connecting to the platform may take
 * @param readTimeout how long the platform may take to answer once connected
 * @param maxAttempts attempts of an action (connection errors, timeouts, 5xx and 429 are
 * tried again; other answers are final)
 * @param backoff the wait before the second attempt; each further wait is twice the one
 * before
 * @param maxBackoff the longest wait between two attempts
 * @param breakerFailures actions in a row that failed on all their attempts after which
 * an org's platform is taken as down
 * @param breakerCoolDown how long a platform taken as down gets no actions (they fail at
 * once); after it, one action is let through as a trial
 * @param allowPrivateAddresses whether the platform may be on loopback, link-local (cloud
 * metadata among them), private or other internal addresses; its own setting, apart from
 * the webhooks', as an agent platform is more often run inside the same network
 */
@ConfigurationProperties("archive.gateway")
public record GatewaySettings(@DefaultValue("2s") Duration connectTimeout, @DefaultValue("5s") Duration readTimeout,
		@DefaultValue("3") int maxAttempts, @DefaultValue("250ms") Duration backoff,
		@DefaultValue("2s") Duration maxBackoff, @DefaultValue("5") int breakerFailures,
		@DefaultValue("30s") Duration breakerCoolDown, @DefaultValue("false") boolean allowPrivateAddresses) {

	public GatewaySettings {
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("archive.gateway.max-attempts must be at least 1");
		}
		if (breakerFailures < 1) {
			throw new IllegalArgumentException("archive.gateway.breaker-failures must be at least 1");
		}
	}

	/**
	 * The wait after a failed attempt.
	 * @param attempts attempts made so far (1 after the first)
	 * @return how long until the next
	 */
	Duration backoffAfter(int attempts) {
		Duration wait = this.backoff;
		for (int i = 1; i < attempts && wait.compareTo(this.maxBackoff) < 0; i++) {
			wait = wait.multipliedBy(2);
		}
		return (wait.compareTo(this.maxBackoff) > 0) ? this.maxBackoff : wait;
	}

}
