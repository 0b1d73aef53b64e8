package org.conversationarchive.conversation.index;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The starts of a contact's conversations written or deleted, first to last: the daily
 * ranks of its conversations from {@code first} to a day after {@code last} may have
 * changed. Without bounds, all of them may have.
 *
 * @param first the earliest start, or {@code null} for no bound
 * @param last the latest start, or {@code null} for no bound
 */
record DailyRankWindow(@Nullable Instant first, @Nullable Instant last) {

	static final DailyRankWindow ALL = new DailyRankWindow(null, null);

	static DailyRankWindow at(Instant startedAt) {
		return new DailyRankWindow(startedAt, startedAt);
	}

	boolean bounded() {
		return this.first != null && this.last != null;
	}

	DailyRankWindow merge(DailyRankWindow other) {
		if (!bounded() || !other.bounded()) {
			return ALL;
		}
		return new DailyRankWindow((this.first.isBefore(other.first)) ? this.first : other.first,
				(this.last.isAfter(other.last)) ? this.last : other.last);
	}

}
