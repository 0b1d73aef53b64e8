package org.conversationarchive.conversation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.MgetResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import org.conversationarchive.conversation.index.ContactDocument;
import org.conversationarchive.elasticsearch.ArchiveIndices;
import org.jspecify.annotations.Nullable;

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
	 * The counts of these contacts, as last recounted.
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
		// As of the last refresh: a real-time read would force refreshes under load.
		MgetResponse<ContactDocument> response = this.client.mget((get) -> get.index(this.indices.contacts())
			.routing(org)
			.realtime(false)
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
	 * The contacts of an org whose conversation count lies in a range.
	 * @param org the org
	 * @param min at least this many conversations
	 * @param max at most this many, or no upper bound
	 * @param limit how many ids at most to return
	 * @return the contact ids, at most {@code limit + 1} (so a caller can tell it was
	 * more than the limit)
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	public List<String> withCountBetween(String org, int min, @Nullable Integer max, int limit) throws IOException {
		List<String> ids = new ArrayList<>();
		Query range = Query.of((query) -> query.range((r) -> r.number((number) -> {
			number.field("conversationCount").gte((double) min);
			return (max != null) ? number.lte((double) max) : number;
		})));
		page(org, range, limit, (contact) -> ids.add(contact.contactId()));
		return ids;
	}

	/**
	 * The contacts of an org whose conversations may still store an older count than the
	 * one recounted (see {@link ContactDocument#stale()}), with that count.
	 * @param org the org
	 * @param limit how many at most to return
	 * @return contact id to exact count, at most {@code limit + 1} entries (so a caller
	 * can tell it was more than the limit)
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	public Map<String, Integer> staleCounts(String org, int limit) throws IOException {
		Map<String, Integer> counts = new HashMap<>();
		Query stale = Query.of((query) -> query.term((term) -> term.field("stale").value(true)));
		page(org, stale, limit, (contact) -> counts.put(contact.contactId(), contact.conversationCount()));
		return counts;
	}

	/**
	 * Reads an org's contacts that a filter finds, in contact id order, up to limit + 1.
	 */
	private void page(String org, Query filter, int limit, Consumer<ContactDocument> each) throws IOException {
		int read = 0;
		List<FieldValue> after = null;
		while (read <= limit) {
			List<FieldValue> searchAfter = after;
			int size = Math.min(10_000, limit + 1 - read);
			SearchResponse<ContactDocument> response = this.client.search((search) -> {
				search.index(this.indices.contacts())
					.ignoreUnavailable(true)
					.allowNoIndices(true)
					.routing(org)
					.size(size)
					.source((source) -> source.filter((f) -> f.includes("contactId", "conversationCount")))
					.sort((sort) -> sort.field((field) -> field.field("contactId")))
					.query((query) -> query
						.bool((bool) -> bool.filter((f) -> f.term((term) -> term.field("org").value(org)))
							.filter(filter)));
				return (searchAfter != null) ? search.searchAfter(searchAfter) : search;
			}, ContactDocument.class);
			List<Hit<ContactDocument>> hits = response.hits().hits();
			for (Hit<ContactDocument> hit : hits) {
				ContactDocument contact = hit.source();
				if (contact != null && contact.contactId() != null && contact.conversationCount() != null) {
					each.accept(contact);
					read++;
				}
			}
			if (hits.size() < size) {
				return;
			}
			after = hits.get(hits.size() - 1).sort();
		}
	}

}
