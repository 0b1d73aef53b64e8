package org.conversationarchive.elasticsearch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.SmartLifecycle;
import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The supervision alone, with a {@code sleep} process standing in for each node: a dead
 * engine is started again with growing pauses for as long as it takes, and nothing is
 * restarted once the archive stops. {@code EmbeddedModeIntegrationTests} kills a real
 * one.
 */
class EngineSupervisorTests {

	static final EngineSupervisor.Backoff FAST = new EngineSupervisor.Backoff(Duration.ofMillis(10),
			Duration.ofMillis(40));

	@TempDir
	Path home;

	final List<ElasticsearchEngine> started = new CopyOnWriteArrayList<>();

	final Map<ElasticsearchEngine, Process> processes = new ConcurrentHashMap<>();

	@AfterEach
	void stopStandIns() {
		this.started.forEach(ElasticsearchEngine::close);
	}

	@Test
	void pausesDoubleUpToTheCap() {
		EngineSupervisor.Backoff backoff = new EngineSupervisor.Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
		assertThat(List.of(1, 2, 3, 4, 5, 6, 7, 100)).map(backoff::before)
			.map(Duration::toSeconds)
			.containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L);
	}

	@Test
	void aDeadEngineIsStartedAgain() {
		try (EngineSupervisor supervisor = EngineSupervisor.start(this::standIn, FAST)) {
			ElasticsearchEngine first = supervisor.engine();
			kill(first);

			await().atMost(Duration.ofSeconds(10)).until(() -> supervisor.state().restarts() == 1);
			assertThat(supervisor.state().running()).isTrue();
			assertThat(supervisor.state().lastExit()).startsWith("exit code 137");
			assertThat(supervisor.engine()).isNotSameAs(first).satisfies((engine) -> engine.isRunning());
			assertThat(this.started).hasSize(2);

			// And again: supervision does not end with the first restart.
			kill(supervisor.engine());
			await().atMost(Duration.ofSeconds(10)).until(() -> supervisor.state().restarts() == 2);
		}
	}

	@Test
	void failedStartsAreRetriedForAsLongAsItTakesAndSaySo() {
		AtomicInteger attempts = new AtomicInteger();
		CountDownLatch thirdAttemptFailed = new CountDownLatch(1);
		CountDownLatch mayStart = new CountDownLatch(1);
		EngineSupervisor supervisor = EngineSupervisor.start((cancelled) -> {
			int attempt = attempts.getAndIncrement();
			if (attempt == 0) {
				return standIn(cancelled);
			}
			if (attempt <= 3) {
				if (attempt == 3) {
					thirdAttemptFailed.countDown();
				}
				throw new EngineStartupException("port taken " + attempt, "wait");
			}
			awaitQuietly(mayStart);
			return standIn(cancelled);
		}, FAST);
		try (supervisor) {
			kill(supervisor.engine());
			awaitQuietly(thirdAttemptFailed);
			await().atMost(Duration.ofSeconds(10)).until(() -> supervisor.state().attempt() == 4);
			EngineSupervisor.State restarting = supervisor.state();
			assertThat(restarting.running()).isFalse();
			assertThat(restarting.lastFailure()).isEqualTo("port taken 3");
			assertThat(restarting.nextAttempt()).isNotNull();
			assertThat(new EngineHealth(supervisor).health().getStatus().getDescription())
				.isEqualTo("restarting, attempt 4");

			mayStart.countDown();
			await().atMost(Duration.ofSeconds(10)).until(() -> supervisor.state().running());
			assertThat(supervisor.state().restarts()).isEqualTo(1);
			assertThat(supervisor.state().lastFailure()).isNull();
			assertThat(new EngineHealth(supervisor).health().getStatus().getCode()).isEqualTo("UP");
		}
	}

	@Test
	void aFirstStartThatFailsFailsTheArchive() {
		assertThatExceptionOfType(EngineStartupException.class).isThrownBy(() -> EngineSupervisor.start((cancelled) -> {
			throw new EngineStartupException("no distribution", "build it");
		}, FAST));
	}

	@Test
	void nothingIsRestartedOnceClosed() throws Exception {
		EngineSupervisor supervisor = EngineSupervisor.start(this::standIn, FAST);
		ElasticsearchEngine engine = supervisor.engine();
		supervisor.close();

		assertThat(engine.isRunning()).isFalse();
		Thread.sleep(200);
		assertThat(this.started).hasSize(1);
		assertThat(supervisor.engine()).isNull();
	}

	@Test
	void anEngineThatStopsWhileTheArchiveStopsIsNotRestarted() throws Exception {
		try (EngineSupervisor supervisor = EngineSupervisor.start(this::standIn, FAST)) {
			ElasticsearchEngine engine = supervisor.engine();
			supervisor.stopRestarting();
			// Ctrl-C reaches the engine too.
			kill(engine);

			Thread.sleep(200);
			assertThat(this.started).hasSize(1);
		}
	}

	@Test
	void anEngineThatDiesWhileTheArchiveIsClosingIsNotRestarted() {
		EngineSupervisor supervisor = EngineSupervisor.start(this::standIn, FAST);
		ElasticsearchEngine engine = supervisor.engine();
		try (GenericApplicationContext archive = new GenericApplicationContext()) {
			archive.registerBean(EmbeddedElasticsearchConfiguration.EmbeddedElasticsearch.class,
					() -> new EmbeddedElasticsearchConfiguration.EmbeddedElasticsearch(9, supervisor));
			// Ctrl-C reaches the engine while the web server still drains its requests.
			archive.registerBean(DrainingWebServer.class, () -> new DrainingWebServer(() -> {
				kill(engine);
				engine.onExit().join();
				// Far longer than the first pause before a restart.
				sleep(Duration.ofMillis(300));
			}));
			archive.refresh();
		}

		assertThat(this.started).hasSize(1);
		assertThat(supervisor.engine()).isNull();
	}

	@Test
	void closingAbandonsARestartUnderWayAndStopsWhatItStarted() throws Exception {
		CountDownLatch restarting = new CountDownLatch(1);
		AtomicInteger starts = new AtomicInteger();
		EngineSupervisor supervisor = EngineSupervisor.start((cancelled) -> {
			if (starts.getAndIncrement() == 0) {
				return standIn(cancelled);
			}
			// A node that takes its time to come up, as a real one does.
			ElasticsearchEngine slow = standIn(cancelled);
			restarting.countDown();
			while (!cancelled.getAsBoolean()) {
				Thread.onSpinWait();
			}
			slow.close();
			throw new EngineStartupException("cancelled", "nothing");
		}, FAST);
		kill(supervisor.engine());
		assertThat(restarting.await(10, TimeUnit.SECONDS)).isTrue();

		supervisor.close();

		assertThat(this.started).hasSize(2).noneMatch(ElasticsearchEngine::isRunning);
		Thread.sleep(200);
		assertThat(starts).hasValue(2);
	}

	private ElasticsearchEngine standIn(BooleanSupplier cancelled) {
		try {
			Process process = new ProcessBuilder("sleep", "600").start();
			ElasticsearchEngine engine = new ElasticsearchEngine(new ElasticsearchEngine.Options(this.home, this.home,
					this.home, 9, "1m", "nobody", Duration.ofSeconds(1)), process,
					this.home.resolve("elasticsearch.pid"));
			this.started.add(engine);
			this.processes.put(engine, process);
			return engine;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void kill(ElasticsearchEngine engine) {
		this.processes.get(engine).destroyForcibly();
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Stands for the web server's graceful stop: a lifecycle that the context stops as it
	 * closes, doing something meanwhile.
	 */
	static final class DrainingWebServer implements SmartLifecycle {

		private final Runnable whileStopping;

		private volatile boolean running;

		DrainingWebServer(Runnable whileStopping) {
			this.whileStopping = whileStopping;
		}

		@Override
		public void start() {
			this.running = true;
		}

		@Override
		public void stop() {
			this.whileStopping.run();
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

	}

}
