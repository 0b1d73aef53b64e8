package org.conversationarchive.notifications;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How webhooks are sent.
 *
 * @param connectTimeout how long connecting to an endpoint may take
 * @param readTimeout how long an endpoint may take to answer once connected; a delivery
 * attempt never takes longer than both timeouts together
 * @param maxAttempts attempts of a delivery before it is given up as failed
 * @param backoff the wait before the second attempt; each further wait is twice the one
 * before
 * @param maxBackoff the longest wait between two attempts
 * @param poll how often an instance looks for deliveries it was not told of (retries come
 * when due, new ones at once on the instance that recorded them)
 * @param concurrency attempts an instance has under way at once (each on a virtual
 * thread), at most a quarter of them to one endpoint
 * @param allowPrivateAddresses whether endpoints may be on loopback, link-local (cloud
 * metadata among them), private or other internal addresses; off, such an address is
 * refused when the endpoint is saved and again when it is connected to
 * @param previousSecretValidity how long the secret replaced by a rotation still signs
 * deliveries beside the new one, for receivers to switch over
 * @param retention how long deliveries and their attempts are kept
 */
@ConfigurationProperties("archive.webhooks")
record WebhookSettings(@DefaultValue("5s") Duration connectTimeout, @DefaultValue("10s") Duration readTimeout,
		@DefaultValue("10") int maxAttempts, @DefaultValue("30s") Duration backoff,
		@DefaultValue("2h") Duration maxBackoff, @DefaultValue("10s") Duration poll,
		@DefaultValue("32") int concurrency, @DefaultValue("false") boolean allowPrivateAddresses,
		@DefaultValue("24h") Duration previousSecretValidity, @DefaultValue("30d") Duration retention) {

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

	/**
	 * How long an instance holds a delivery it claimed: longer than any attempt takes, so
	 * that no other instance sends it meanwhile; after it, an instance that died
	 * mid-attempt has its delivery taken over.
	 * @return the lease
	 */
	Duration lease() {
		return this.connectTimeout.plus(this.readTimeout).multipliedBy(2).plusSeconds(30);
	}

	int perEndpoint() {
		return Math.max(1, this.concurrency / 4);
	}

}
