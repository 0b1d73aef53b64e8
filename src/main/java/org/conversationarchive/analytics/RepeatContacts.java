package org.conversationarchive.analytics;

import java.util.ArrayList;
import java.util.List;

import org.conversationarchive.analytics.Dashboard.RepeatRange;

/**
 * Contacts by their number of conversations in the filtered set, in ranges.
 * <p>
 * Exact needs every contact's count. They come from one terms aggregation on the contact
 * id, busiest first, of at most {@link AnalyticsSettings#countedContacts()} contacts
 * (each bucket costs time, and Elasticsearch answers at most 65,535 a search). When there
 * are more contacts, the rest have at most as many conversations as the least busy one
 * counted, and their conversations are known (the terms' other documents): when that
 * least is one, each of those conversations is a contact with one; when it is two, the
 * number of contacts (a cardinality aggregation, an estimate) tells the ones from the
 * twos; beyond, they are left out. Either way the figure says it is approximate. At 100
 * million conversations the exact way is a walk over every contact (a composite
 * aggregation, page by page).
 */
final class RepeatContacts {

	private static final String[] RANGES = { "1", "2", "3-5", "6-10", "11+" };

	private RepeatContacts() {
	}

	/**
	 * Puts contacts in ranges by their number of conversations.
	 * @param counts each counted contact's conversations, busiest first
	 * @param uncounted the conversations of the contacts not counted one by one
	 * @param contacts how many contacts there are in all (an estimate)
	 * @return the contacts in each range, every range listed
	 */
	static Tally tally(List<Long> counts, long uncounted, long contacts) {
		long[] ranges = new long[RANGES.length];
		for (long count : counts) {
			if (count > 0) {
				ranges[range(count)]++;
			}
		}
		long least = counts.isEmpty() ? 0 : counts.get(counts.size() - 1);
		if (uncounted > 0 && least == 1) {
			ranges[0] += uncounted;
		}
		else if (uncounted > 0 && least == 2) {
			// ones + 2 twos = uncounted, ones + twos = contacts not counted.
			long others = Math.max(0, contacts - counts.size());
			long twos = Math.min(Math.max(0, uncounted - others), uncounted / 2);
			ranges[0] += uncounted - 2 * twos;
			ranges[1] += twos;
		}
		List<RepeatRange> tally = new ArrayList<>(RANGES.length);
		for (int i = 0; i < RANGES.length; i++) {
			tally.add(new RepeatRange(RANGES[i], ranges[i]));
		}
		return new Tally(List.copyOf(tally), uncounted > 0);
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
