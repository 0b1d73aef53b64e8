package org.conversationarchive.platform;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;

/**
 * Plays generated conversations live into the archive, a few at a time, until it has
 * played as many as it was asked (or forever). {@code concurrent} counts the
 * conversations the AI agent plays: one that waits for a person, or that a person took,
 * makes room for the next.
 */
public final class Player {

	private final ReferencePlatform platform;

	private final Options options;

	private final String tag;

	private final Semaphore slots;

	private final List<LiveCall> calls = new CopyOnWriteArrayList<>();

	private final Thread thread;

	Player(ReferencePlatform platform, Options options) {
		this.platform = platform;
		this.options = options;
		// Ids of their own for each run, so that a run never replaces an earlier run's
		// conversations, which have ended.
		this.tag = Long.toString(System.currentTimeMillis(), 36);
		this.slots = new Semaphore(options.concurrent());
		this.thread = Thread.ofVirtual().name("player").unstarted(this::run);
	}

	void start() {
		this.thread.start();
	}

	private void run() {
		Casting casting = new Casting(this.options.seed());
		Random pace = new Random(this.options.seed());
		try {
			// Before any conversation names a node of them. A refusal (a version
			// published
			// with other content) is logged, and the conversations are played all the
			// same.
			this.platform.publishFlows();
			for (long n = 0; this.options.count() == 0 || n < this.options.count(); n++) {
				this.slots.acquire();
				Casting.Cast cast = casting.next();
				String id = cast.conversation().id() + "-" + this.tag;
				this.calls.add(this.platform.play(id, cast, this.options.speed(), this.options.seed() ^ cast.index(),
						this.slots::release));
				// Staggered, as calls come in.
				Thread.sleep((long) ((500 + pace.nextInt(2500)) / this.options.speed()));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * The ids of the conversations it started, in order.
	 * @return the ids
	 */
	public List<String> conversationIds() {
		return this.calls.stream().map(LiveCall::id).toList();
	}

	/**
	 * Waits until it has played all it was to play, each ended and written to the
	 * archive.
	 * @param timeout how long at most
	 * @return whether it finished in time (never, playing forever)
	 * @throws InterruptedException when interrupted
	 */
	public boolean awaitFinished(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		if (!this.thread.join(timeout)) {
			return false;
		}
		for (LiveCall call : this.calls) {
			long left = deadline - System.nanoTime();
			if (left <= 0 || !call.awaitWritten(Duration.ofNanos(left))) {
				return false;
			}
		}
		return true;
	}

	void stop() {
		this.thread.interrupt();
	}

	/**
	 * How to play.
	 *
	 * @param concurrent how many conversations the AI agent plays at once
	 * @param speed how much faster than real time (gaps between messages of 0.5 to 8 s at
	 * 1)
	 * @param count how many conversations in all, 0 for no end
	 * @param seed which conversations: the same seed plays the same ones
	 */
	public record Options(int concurrent, double speed, long count, long seed) {

		public Options {
			if (concurrent < 1) {
				throw new IllegalArgumentException("concurrent must be at least 1, not " + concurrent);
			}
			if (!(speed > 0) || Double.isInfinite(speed)) {
				throw new IllegalArgumentException("speed must be a number above 0, not " + speed);
			}
			if (count < 0) {
				throw new IllegalArgumentException("count must not be negative");
			}
		}

	}

}
