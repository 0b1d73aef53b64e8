package org.conversationarchive.security;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * Slows down a flood of bad credentials: once an address failed to authenticate
 * {@code maxFailedAttempts} times within a minute, its further failures are answered
 * {@code 429} (and cost no database read, {@link ApiKeys#authenticateKnown}) until the
 * oldest of those is a minute old. Valid credentials from it are still accepted: behind a
 * proxy one address is many clients, and one of them guessing must not lock out the rest.
 */
@Component
class FailedAttempts {

	private static final long WINDOW_MILLIS = 60_000;

	private final int limit;

	private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();

	FailedAttempts(SecuritySettings settings) {
		this.limit = settings.maxFailedAttempts();
	}

	boolean blocked(String address) {
		return secondsLeft(address) > 0;
	}

	/**
	 * How long an address's failures stay throttled.
	 * @param address the client address
	 * @return seconds until it may try again, 0 when it may now
	 */
	long secondsLeft(String address) {
		Deque<Long> times = this.failures.get(address);
		if (times == null) {
			return 0;
		}
		synchronized (times) {
			long now = System.currentTimeMillis();
			times.removeIf((time) -> time <= now - WINDOW_MILLIS);
			if (times.size() < this.limit) {
				return 0;
			}
			return Math.max(1, (times.peekFirst() + WINDOW_MILLIS - now + 999) / 1000);
		}
	}

	void failed(String address) {
		if (this.failures.size() > 100_000) {
			this.failures.clear();
		}
		Deque<Long> times = this.failures.computeIfAbsent(address, (key) -> new ArrayDeque<>());
		synchronized (times) {
			times.addLast(System.currentTimeMillis());
			while (times.size() > this.limit) {
				times.removeFirst();
			}
		}
	}

}
