package org.conversationarchive.elasticsearch;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The embedded engine in {@code /actuator/health}: {@code UP} while it runs, {@code DOWN}
 * with "restarting, attempt n" while the archive brings it back (the description shows to
 * anyone, the details to system admins).
 */
class EngineHealth implements HealthIndicator {

	private final EngineSupervisor supervisor;

	EngineHealth(EngineSupervisor supervisor) {
		this.supervisor = supervisor;
	}

	@Override
	public Health health() {
		EngineSupervisor.State state = this.supervisor.state();
		ElasticsearchEngine engine = this.supervisor.engine();
		Health.Builder health;
		if (engine != null && engine.isRunning()) {
			health = Health.up().withDetail("port", engine.port());
			detail(health, "pid", engine.pid().orElse(null));
		}
		else if (!state.running()) {
			health = Health.status(new Status(Status.DOWN.getCode(), "restarting, attempt " + state.attempt()));
			detail(health, "nextAttemptAt", state.nextAttempt());
			detail(health, "lastFailure", state.lastFailure());
		}
		else {
			// Stopped with the archive, or died a moment ago.
			health = Health.status(new Status(Status.DOWN.getCode(), "not running"));
		}
		health.withDetail("restarts", state.restarts());
		detail(health, "lastExit", state.lastExit());
		return health.build();
	}

	private static void detail(Health.Builder health, String name, @Nullable Object value) {
		if (value != null) {
			health.withDetail(name, value);
		}
	}

}
