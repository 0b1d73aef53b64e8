package org.conversationarchive.gateway;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * An action could not reach the org's agent platform: none is configured, it did not
 * answer (or answered 5xx or 429) on any attempt, or it is taken as down and the action
 * was not even tried. The action endpoint answers {@code 503} with the reason, and
 * {@code Retry-After} when there is one.
 */
public class PlatformUnavailableException extends RuntimeException {

	private final @Nullable Duration retryAfter;

	PlatformUnavailableException(String reason, @Nullable Duration retryAfter) {
		super(reason);
		this.retryAfter = retryAfter;
	}

	/**
	 * When trying again may help.
	 * @return the wait, or {@code null} when waiting alone will not (nothing configured)
	 */
	public @Nullable Duration retryAfter() {
		return this.retryAfter;
	}

	/**
	 * The wait in whole seconds, rounded up, for a {@code Retry-After} header.
	 * @return the seconds, or {@code null}
	 */
	public @Nullable Long retryAfterSeconds() {
		if (this.retryAfter == null) {
			return null;
		}
		long millis = this.retryAfter.toMillis();
		return Math.max(1, (millis + 999) / 1000);
	}

}
