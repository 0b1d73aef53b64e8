package org.conversationarchive.conversation.index;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * The contacts' counts this instance knows: the last one it stored, or read from the
 * contacts index before it wrote (that index lags by its refresh), and the conversations
 * it wrote since, so that writers store a count that the recount usually finds right, and
 * estimates need no read of the conversations.
 */
final class KnownCounts {

	private final Map<Touched, Integer> lastCounts;

	/**
	 * Conversations gained (or lost) by contacts since their last count, as written here.
	 */
	private final Map<Touched, AtomicInteger> sinceCounted = new ConcurrentHashMap<>();

	/**
	 * Counts that remember at most so many contacts' last counts (the least recently used
	 * are forgotten).
	 */
	KnownCounts(int remembered) {
		this.lastCounts = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<Touched, Integer> eldest) {
				return size() > remembered;
			}
		});
	}

	/**
	 * A contact's count as best known now: its last count (else the one indexed, else
	 * none) and what this instance wrote since.
	 */
	int current(Touched contact, @Nullable Integer indexed) {
		Integer last = this.lastCounts.get(contact);
		int base = (last != null) ? last : ((indexed != null) ? indexed : 0);
		AtomicInteger since = this.sinceCounted.get(contact);
		return base + ((since != null) ? since.get() : 0);
	}

	/**
	 * Counts read from the contacts index, for the contacts not known yet: what this
	 * instance writes from now on adds to them.
	 */
	void read(String org, Map<String, Integer> counts) {
		counts.forEach((contactId, count) -> this.lastCounts.putIfAbsent(new Touched(org, contactId), count));
	}

	boolean knows(Touched contact) {
		return this.lastCounts.containsKey(contact);
	}

	/**
	 * Contacts gained or lost conversations.
	 * @param changes contact id to conversations gained (negative: lost)
	 */
	void changed(String org, Map<String, Integer> changes) {
		changes.forEach((contactId, change) -> this.sinceCounted
			.computeIfAbsent(new Touched(org, contactId), (key) -> new AtomicInteger())
			.addAndGet(change));
	}

	/**
	 * What this instance wrote to these contacts since their last count, as a count
	 * starts: written during the count, a change stays for the next one.
	 */
	Map<Touched, Integer> changesSinceCounted(List<Touched> contacts) {
		Map<Touched, Integer> changes = new HashMap<>();
		for (Touched contact : contacts) {
			AtomicInteger since = this.sinceCounted.get(contact);
			if (since != null) {
				changes.put(contact, since.get());
			}
		}
		return changes;
	}

	/**
	 * The last counts known of these contacts.
	 * @return contact id to count, for the contacts known
	 */
	Map<String, Long> lastCounts(String org, List<String> contactIds) {
		Map<String, Long> counts = new HashMap<>();
		for (String contactId : contactIds) {
			Integer last = this.lastCounts.get(new Touched(org, contactId));
			if (last != null) {
				counts.put(contactId, (long) last);
			}
		}
		return counts;
	}

	/**
	 * The counts of contacts as this instance estimates them: the last count (known here,
	 * else the one indexed, else none) and the changes it wrote since, never below none.
	 * @param last the last counts known here
	 * @param indexed the counts in the contacts index of the others
	 * @param changes the changes written since the last counts
	 */
	static Map<String, Long> estimates(String org, List<String> contactIds, Map<String, Long> last,
			Map<String, Integer> indexed, Map<Touched, Integer> changes) {
		Map<String, Long> counts = new HashMap<>();
		for (String contactId : contactIds) {
			Long known = last.get(contactId);
			long base = (known != null) ? known : indexed.getOrDefault(contactId, 0);
			counts.put(contactId, Math.max(0, base + changes.getOrDefault(new Touched(org, contactId), 0)));
		}
		return counts;
	}

	/**
	 * A contact's count was stored: it is its last count from now on, and the changes it
	 * took in are no longer since it.
	 * @param count the count stored
	 * @param changesCounted the changes taken in ({@link #changesSinceCounted})
	 */
	void counted(Touched contact, long count, int changesCounted) {
		this.lastCounts.put(contact, (int) count);
		if (changesCounted != 0) {
			this.sinceCounted.computeIfPresent(contact,
					(key, since) -> (since.addAndGet(-changesCounted) == 0) ? null : since);
		}
	}

}
