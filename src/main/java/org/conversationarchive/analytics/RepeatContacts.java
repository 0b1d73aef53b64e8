package org.conversationarchive.analytics;

import java.util.ArrayList;
import java.util.List;

import org.conversationarchive.analytics.Dashboard.RepeatRange;

/**
 * Contacts by their number of conversations in the filtered set, in ranges.
 * <p>
 * Exact needs every contact's count: they come from one terms aggregation on the contact
 * id, busiest first, of at most {@link #COUNTED} contacts (Elasticsearch answers at most
 * 65,535 buckets a search, {@code search.max_buckets}). When there are more contacts, the
 * figure is from the busiest {@link #COUNTED} and says it is approximate; the rest have
 * at most as many conversations as the least busy counted, so when that is one, each of
 * their conversations is a contact with one. At 100 million conversations the exact way
 * is a walk over every contact (a composite aggregation, page by page).
 */
final class RepeatContacts {

	/**
	 * Contacts counted one by one.
	 */
	static final int COUNTED = 65_000;

	private static final String[] RANGES = { "1", "2", "3-5", "6-10", "11+" };

	private RepeatContacts() {
	}

	/**
	 * Puts contacts in ranges by their number of conversations.
	 * @param counts each counted contact's conversations, busiest first
	 * @param uncounted the conversations of the contacts not counted one by one
	 * @return the contacts in each range, every range listed
	 */
	static Tally tally(List<Long> counts, long uncounted) {
		long[] contacts = new long[RANGES.length];
		for (long count : counts) {
			if (count > 0) {
				contacts[range(count)]++;
			}
		}
		if (uncounted > 0 && !counts.isEmpty() && counts.get(counts.size() - 1) == 1) {
			contacts[0] += uncounted;
		}
		List<RepeatRange> ranges = new ArrayList<>(RANGES.length);
		for (int i = 0; i < RANGES.length; i++) {
			ranges.add(new RepeatRange(RANGES[i], contacts[i]));
		}
		return new Tally(List.copyOf(ranges), uncounted > 0);
	}

	private static int range(long count) {
		if (count <= 2) {
			return (int) count - 1;
		}
		if (count <= 5) {
			return 2;
		}
		return (count <= 10) ? 3 : 4;
	}

	/**
	 * The ranges, and whether some contacts were not counted one by one.
	 */
	record Tally(List<RepeatRange> ranges, boolean approximate) {
	}

}
