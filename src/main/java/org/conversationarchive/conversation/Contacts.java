package org.conversationarchive.conversation;

import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.MgetResponse;
import org.conversationarchive.elasticsearch.ArchiveIndices;

import org.springframework.stereotype.Component;

/**
 * The contacts index: for each contact of an org, the exact number of conversations it
 * has in the archive.
 */
@Component
public class Contacts {

	private final ElasticsearchClient client;

	private final ArchiveIndices indices;

	Contacts(ElasticsearchClient client, ArchiveIndices indices) {
		this.client = client;
		this.indices = indices;
	}

	public static String documentId(String org, String contactId) {
		return org + ":" + contactId;
	}

	/**
	 * The counts of these contacts, as last recounted (real-time reads).
	 * @param org the org
	 * @param contactIds the contacts
	 * @return contact id to count, for the contacts the index knows
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	public Map<String, Integer> counts(String org, Collection<String> contactIds) throws IOException {
		Map<String, Integer> counts = new HashMap<>();
		if (contactIds.isEmpty()) {
			return counts;
		}
		List<String> ids = contactIds.stream().distinct().map((id) -> documentId(org, id)).toList();
		MgetResponse<ContactDocument> response = this.client.mget((get) -> get.index(this.indices.contacts())
			.routing(org)
			.ids(ids)
			.sourceIncludes("contactId", "conversationCount"), ContactDocument.class);
		response.docs().forEach((doc) -> {
			if (doc.isResult() && doc.result().found() && doc.result().source() != null) {
				ContactDocument contact = doc.result().source();
				if (contact.contactId() != null && contact.conversationCount() != null) {
					counts.put(contact.contactId(), contact.conversationCount());
				}
			}
		});
		return counts;
	}

	/**
	 * A contact as the contacts index holds it.
	 *
	 * @param org the org
	 * @param contactId the contact's id
	 * @param conversationCount its exact conversation count when last recounted
	 * @param dirtyAt since when it needs recounting, if it does
	 * @param updatedAt when it was last recounted
	 */
	public record ContactDocument(@org.jspecify.annotations.Nullable String org,
			@org.jspecify.annotations.Nullable String contactId,
			@org.jspecify.annotations.Nullable Integer conversationCount,
			java.time.@org.jspecify.annotations.Nullable Instant dirtyAt,
			java.time.@org.jspecify.annotations.Nullable Instant updatedAt) {
	}

}
