package org.conversationarchive.conversation.index;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * When the contact upkeep acts, decided from the times of writes alone (as
 * {@link System#nanoTime()}, passed in). Touched contacts are recounted once writes pause
 * or the first of them waited the longest delay allowed, and get this instance's estimate
 * in between. Recounted contacts' conversations get their stored counts rewritten only
 * once writes pause longer, the first of them waited the longest delay allowed, or too
 * many wait: a contact whose conversations keep coming has them rewritten once for the
 * whole stream, not once a recount, and an import is not slowed down by rewriting what it
 * just wrote.
 */
final class UpkeepPace {

	/**
	 * What is due for the contacts touched.
	 */
	enum Due {

		/** Nothing yet. */
		NOTHING,

		/** An exact recount of every contact touched. */
		RECOUNT,

		/**
		 * Storing this instance's estimates of the contacts touched since last stored.
		 */
		ESTIMATES

	}

	private final ContactUpkeepSettings settings;

	/** When a write last touched contacts. */
	private volatile long lastWrite;

	/** Since when touched contacts wait for a recount, if they do. */
	private volatile @Nullable Long waitingSince;

	/** Since when touched contacts wait for their count to be stored, if they do. */
	private volatile @Nullable Long unstoredSince;

	/**
	 * Since when recounted contacts wait for their conversations' stored counts to be
	 * rewritten, if they do.
	 */
	private volatile @Nullable Long rewritesWaitingSince;

	UpkeepPace(ContactUpkeepSettings settings, long now) {
		this.settings = settings;
		this.lastWrite = now;
	}

	/**
	 * A write touched contacts.
	 * @param now the time
	 */
	void wrote(long now) {
		this.lastWrite = now;
	}

	/**
	 * What is due now for the contacts touched; a recount puts off the estimates too.
	 * @param now the time
	 * @param pending whether contacts wait for a recount
	 * @param unstored whether contacts wait for their count to be stored
	 * @return what to do
	 */
	Due countDue(long now, boolean pending, boolean unstored) {
		if (!pending) {
			this.waitingSince = null;
			return Due.NOTHING;
		}
		Long waiting = this.waitingSince;
		if (waiting == null) {
			waiting = now;
			this.waitingSince = waiting;
		}
		boolean paused = now - this.lastWrite >= this.settings.contactUpkeepInterval().toNanos();
		if (paused || now - waiting >= this.settings.contactRecountMaxDelay().toNanos()) {
			this.waitingSince = null;
			this.unstoredSince = null;
			return Due.RECOUNT;
		}
		if (!unstored) {
			this.unstoredSince = null;
			return Due.NOTHING;
		}
		Long unstoredWaiting = this.unstoredSince;
		if (unstoredWaiting == null) {
			this.unstoredSince = now;
			return Due.NOTHING;
		}
		if (now - unstoredWaiting < this.settings.contactUpkeepMaxDelay().toNanos()) {
			return Due.NOTHING;
		}
		this.unstoredSince = null;
		return Due.ESTIMATES;
	}

	/**
	 * Whether recounted contacts wait for their rewrites.
	 * @return whether they do
	 */
	boolean rewritesWaiting() {
		return this.rewritesWaitingSince != null;
	}

	/**
	 * Recounted contacts wait for their rewrites from now on.
	 * @param now the time
	 */
	void rewritesWaitSince(long now) {
		this.rewritesWaitingSince = now;
	}

	/**
	 * The rewrites start: no contact waits for them anymore.
	 */
	void rewriting() {
		this.rewritesWaitingSince = null;
	}

	/**
	 * Whether the rewrites are due now: writes paused, the first contact waited the
	 * longest delay allowed, or too many wait.
	 * @param now the time
	 * @param waiting how many contacts wait for them
	 * @return whether to rewrite now
	 */
	boolean rewritesDue(long now, int waiting) {
		Long since = this.rewritesWaitingSince;
		if (since == null) {
			return false;
		}
		boolean paused = now - this.lastWrite >= this.settings.countRewriteIdle().toNanos();
		return paused || now - since >= this.settings.countRewriteMaxDelay().toNanos()
				|| waiting >= this.settings.countRewriteBacklog();
	}

	/**
	 * How many more contacts a recount may mark stale before those waiting for their
	 * rewrites are rewritten: never more than the backlog wait (at least one, so that a
	 * recount goes on).
	 * @param waiting how many contacts wait for their rewrites
	 * @return how many more may wait; none or fewer: rewrite first
	 */
	int room(int waiting) {
		return Math.max(1, this.settings.countRewriteBacklog()) - waiting;
	}

	/**
	 * Records of touched contacts made before this were left by a writer that did not
	 * recount them (it died): any instance takes them over.
	 * @param now the time
	 * @return the time
	 */
	Instant touchesAbandonedBefore(Instant now) {
		return now.minus(this.settings.contactRecoveryAge());
	}

	/**
	 * Contacts marked stale before this were left by an instance that died: a live one
	 * rewrites its marks at most the longest rewrite delay after it could have taken the
	 * records over (an idle instance does not rewrite what a busy one marked a moment
	 * ago).
	 * @param now the time
	 * @return the time
	 */
	Instant marksAbandonedBefore(Instant now) {
		return touchesAbandonedBefore(now).minus(this.settings.countRewriteMaxDelay());
	}

}
