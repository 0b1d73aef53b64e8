package org.conversationarchive.security;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Slows down a flood of bad credentials: once an address failed to authenticate
 * {@code maxFailedAttempts} times within a minute, its further failures are answered
 * {@code 429} (and its API keys are checked without a database read,
 * {@link ApiKeys#authenticateKnown}) until the oldest of those is a minute old. Valid
 * credentials from it are still accepted: behind a proxy one address is many clients, and
 * one of them guessing must not lock out the rest. The one place that says whether an
 * address is throttled, counts its failures and answers them.
 */
@Component
class FailedAttempts {

	private static final long WINDOW_MILLIS = 60_000;

	private final int limit;

	private final ApiKeys keys;

	private final JsonMapper json;

	private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();

	FailedAttempts(SecuritySettings settings, ApiKeys keys, JsonMapper json) {
		this.limit = settings.maxFailedAttempts();
		this.keys = keys;
		this.json = json;
	}

	/**
	 * The caller an API key stands for, checked as the address's attempts allow: from a
	 * throttled address a key that is none of the known ones costs no database read.
	 * @param address the client address
	 * @param key what followed {@code Bearer}, or the sign-in form's key
	 * @return the principal, if the key is valid; a failure is for {@link #failed}
	 */
	Optional<ArchivePrincipal> authenticate(String address, String key) {
		return throttled(address) ? this.keys.authenticateKnown(key) : this.keys.authenticate(key);
	}

	/**
	 * Counts a failed attempt.
	 * @param address the client address
	 * @return whether the address was throttled already: answer this failure with
	 * {@link #refuse} ({@code 429}), not as a plain failure
	 */
	boolean failed(String address) {
		boolean throttled = throttled(address);
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
		return throttled;
	}

	/**
	 * Answers a failed attempt from a throttled address: {@code 429} with
	 * {@code Retry-After}.
	 * @param response the response
	 * @param address the client address
	 * @throws IOException when the client is gone
	 */
	void refuse(HttpServletResponse response, String address) throws IOException {
		response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, secondsLeft(address))));
		Problems.write(response, this.json, HttpStatus.TOO_MANY_REQUESTS, "Too many failed attempts",
				"too many requests with invalid credentials came from this address; wait a minute");
	}

	private boolean throttled(String address) {
		return secondsLeft(address) > 0;
	}

	/**
	 * How long an address's failures stay throttled.
	 * @param address the client address
	 * @return seconds until it may try again, 0 when it may now
	 */
	private long secondsLeft(String address) {
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

}
