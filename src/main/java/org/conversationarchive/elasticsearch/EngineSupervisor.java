package org.conversationarchive.elasticsearch;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the embedded engine running: when its process dies, it is started again on the
 * same port and data directory, after a pause that doubles with each failed attempt up to
 * a cap, for as long as it takes (an archive without its engine serves nothing, so giving
 * up would only make an operator restart the whole service). Once closed, nothing is
 * restarted and a start under way is abandoned.
 */
final class EngineSupervisor implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(EngineSupervisor.class);

	private final Starter starter;

	private final Backoff backoff;

	private final Object lock = new Object();

	// Guarded by lock.
	private @Nullable ElasticsearchEngine engine;

	private boolean closed;

	private @Nullable Thread restarter;

	private State state = State.RUNNING;

	private EngineSupervisor(Starter starter, Backoff backoff) {
		this.starter = starter;
		this.backoff = backoff;
	}

	/**
	 * Starts the engine and watches it.
	 * @param starter starts one engine, giving up when the supplier it is handed says so
	 * @param backoff the pauses before restarts
	 * @return the supervisor of the running engine
	 * @throws EngineStartupException when the first start fails: a configuration that
	 * cannot work fails the archive's start rather than being retried
	 */
	static EngineSupervisor start(Starter starter, Backoff backoff) {
		EngineSupervisor supervisor = new EngineSupervisor(starter, backoff);
		ElasticsearchEngine engine = starter.start(() -> false);
		synchronized (supervisor.lock) {
			supervisor.engine = engine;
		}
		supervisor.watch(engine);
		return supervisor;
	}

	/**
	 * What the engine is doing now, for health.
	 * @return the state
	 */
	State state() {
		synchronized (this.lock) {
			return this.state;
		}
	}

	/**
	 * The engine while it runs.
	 * @return the running engine, {@code null} while it is being restarted
	 */
	@Nullable ElasticsearchEngine engine() {
		synchronized (this.lock) {
			return this.engine;
		}
	}

	/**
	 * Restarts nothing from now on, and abandons a restart under way, but leaves a
	 * running engine to {@link #close()}: called as the archive begins to stop, because
	 * Ctrl-C in a terminal stops the engine too, before the archive is done with it.
	 */
	void stopRestarting() {
		synchronized (this.lock) {
			this.closed = true;
			this.lock.notifyAll();
		}
	}

	/**
	 * Stops the engine and abandons a restart under way.
	 */
	@Override
	public void close() {
		ElasticsearchEngine running;
		Thread restarting;
		synchronized (this.lock) {
			this.closed = true;
			running = this.engine;
			this.engine = null;
			restarting = this.restarter;
			this.lock.notifyAll();
		}
		if (restarting != null) {
			try {
				// A start under way notices within 250 ms and stops its node.
				restarting.join(Duration.ofSeconds(90));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		if (running != null) {
			running.close();
		}
	}

	private void watch(ElasticsearchEngine engine) {
		engine.onExit().thenAccept((exitCode) -> died(engine, exitCode));
	}

	private void died(ElasticsearchEngine engine, int exitCode) {
		Duration pause;
		synchronized (this.lock) {
			if (this.closed || this.engine != engine) {
				// Stopped on purpose.
				return;
			}
			this.engine = null;
			String exit = "exit code " + exitCode + " at " + Instant.now();
			pause = this.backoff.before(1);
			this.state = this.state.restarting(exit, 1, null, Instant.now().plus(pause));
			this.restarter = Thread.ofPlatform().daemon().name("elasticsearch-restart").start(this::restart);
		}
		logger.error("Elasticsearch on port {} died ({}); restarting it in {} s. Its output is in {}.", engine.port(),
				(exitCode == 137) ? "killed, exit code 137" : "exit code " + exitCode, pause.toSeconds(),
				engine.console());
	}

	private void restart() {
		for (int attempt = 1;; attempt++) {
			if (!pause(this.backoff.before(attempt))) {
				return;
			}
			ElasticsearchEngine started;
			try {
				started = this.starter.start(this::isClosed);
			}
			catch (RuntimeException ex) {
				Duration pause = this.backoff.before(attempt + 1);
				synchronized (this.lock) {
					if (this.closed) {
						return;
					}
					this.state = this.state.restarting(this.state.lastExit(), attempt + 1, ex.getMessage(),
							Instant.now().plus(pause));
				}
				logger.warn("Restarting Elasticsearch failed (attempt {}); trying again in {} s: {}", attempt,
						pause.toSeconds(), ex.getMessage());
				continue;
			}
			boolean keep;
			synchronized (this.lock) {
				keep = !this.closed;
				if (keep) {
					this.engine = started;
					this.state = this.state.restarted();
				}
			}
			if (!keep) {
				started.close();
				return;
			}
			logger.info("Elasticsearch is back on port {} after {} attempt(s)", started.port(), attempt);
			watch(started);
			return;
		}
	}

	/**
	 * Waits before an attempt.
	 * @return {@code false} when the supervisor was closed meanwhile
	 */
	private boolean pause(Duration pause) {
		long deadline = System.nanoTime() + pause.toNanos();
		synchronized (this.lock) {
			while (!this.closed) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return true;
				}
				try {
					this.lock.wait(Math.max(1, left / 1_000_000));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
			return false;
		}
	}

	private boolean isClosed() {
		synchronized (this.lock) {
			return this.closed;
		}
	}

	/**
	 * Starts one engine.
	 */
	@FunctionalInterface
	interface Starter {

		/**
		 * Starts one engine and waits until it answers.
		 * @param cancelled asked while waiting: {@code true} to give up and stop the node
		 * @return the running engine
		 * @throws EngineStartupException when it does not come up
		 */
		ElasticsearchEngine start(BooleanSupplier cancelled);

	}

	/**
	 * Pauses before restarts: {@code first}, then twice as long each time, at most
	 * {@code max}.
	 *
	 * @param first the pause before the first attempt
	 * @param max the longest pause
	 */
	record Backoff(Duration first, Duration max) {

		Duration before(int attempt) {
			Duration pause = this.first.multipliedBy(1L << Math.min(attempt - 1, 20));
			return (pause.compareTo(this.max) > 0) ? this.max : pause;
		}

	}

	/**
	 * What the engine is doing.
	 *
	 * @param running whether it runs now
	 * @param restarts how many times it was restarted since the archive started
	 * @param attempt while restarting, the attempt under way or next
	 * @param lastExit how it last died, if it did
	 * @param lastFailure why the last restart attempt failed, if one did
	 * @param nextAttempt while restarting, when the next attempt starts
	 */
	record State(boolean running, int restarts, int attempt, @Nullable String lastExit, @Nullable String lastFailure,
			@Nullable Instant nextAttempt) {

		static final State RUNNING = new State(true, 0, 0, null, null, null);

		State restarting(@Nullable String exit, int attempt, @Nullable String failure, Instant next) {
			return new State(false, this.restarts, attempt, exit, failure, next);
		}

		State restarted() {
			return new State(true, this.restarts + 1, 0, this.lastExit, null, null);
		}

	}

}
