package org.conversationarchive.conversation.index;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Recounted contacts by how their conversations holding another count are found: a
 * contact with at most the exact limit has at most that many conversations, all read and
 * each compared with the count it should store; a busier one's should all store limit +
 * 1, and only those that do not are read. A contact with none has nothing to rewrite.
 *
 * @param light contacts whose conversations are all read
 * @param heavy contacts whose conversations that do not store limit + 1 are read
 */
record RewriteGroups(List<String> light, List<String> heavy) {

	/**
	 * Groups contacts by their counts.
	 * @param contactIds the contacts, in order
	 * @param counts contact id to its count (none if absent)
	 * @param limit the exact limit
	 * @return the groups, each in the contacts' order
	 */
	static RewriteGroups of(List<String> contactIds, Map<String, Long> counts, int limit) {
		List<String> light = new ArrayList<>();
		List<String> heavy = new ArrayList<>();
		for (String contactId : contactIds) {
			long count = counts.getOrDefault(contactId, 0L);
			if (count > limit) {
				heavy.add(contactId);
			}
			else if (count > 0) {
				light.add(contactId);
			}
		}
		return new RewriteGroups(light, heavy);
	}

}
