package org.conversationarchive.gateway;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * Whether an org's platform is taken as down: after {@code failures} actions in a row
 * failed, for {@code coolDown}, in which actions fail at once rather than each waiting
 * out its timeouts and retries. After the cool-down one action goes through as a trial:
 * its success closes the breaker, its failure opens it for another cool-down. Written
 * here rather than taken from resilience4j (on Maven Central, but not in the offline
 * build's repository): all it needs is a count and a time per org, and in memory per
 * instance, which is enough, as each instance finds a down platform out within a few
 * actions.
 */
final class GatewayBreaker {

	private final int failures;

	private final Duration coolDown;

	private final Clock clock;

	private final Map<String, State> states = new ConcurrentHashMap<>();

	GatewayBreaker(int failures, Duration coolDown, Clock clock) {
		this.failures = failures;
		this.coolDown = coolDown;
		this.clock = clock;
	}

	/**
	 * Whether an action may go to the org's platform now; when it may not, how long until
	 * it may.
	 * @param org the org
	 * @return {@code null} when it may go, else the time left of the cool-down
	 */
	@Nullable Duration refusal(String org) {
		State state = this.states.computeIfAbsent(org, (key) -> new State());
		synchronized (state) {
			if (state.openUntil == null) {
				return null;
			}
			Instant now = this.clock.instant();
			if (now.isBefore(state.openUntil)) {
				return Duration.between(now, state.openUntil);
			}
			// The trial: the others wait for its outcome another cool-down at most.
			state.openUntil = now.plus(this.coolDown);
			return null;
		}
	}

	void succeeded(String org) {
		State state = this.states.computeIfAbsent(org, (key) -> new State());
		synchronized (state) {
			state.consecutive = 0;
			state.openUntil = null;
		}
	}

	/**
	 * Counts a failed action.
	 * @param org the org
	 * @return whether the breaker is now open
	 */
	boolean failed(String org) {
		State state = this.states.computeIfAbsent(org, (key) -> new State());
		synchronized (state) {
			state.consecutive++;
			if (state.consecutive >= this.failures) {
				state.openUntil = this.clock.instant().plus(this.coolDown);
				return true;
			}
			return false;
		}
	}

	private static final class State {

		private int consecutive;

		private @Nullable Instant openUntil;

	}

}
