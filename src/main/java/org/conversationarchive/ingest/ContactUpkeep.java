package org.conversationarchive.ingest;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.MgetResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.search.Hit;
import org.conversationarchive.conversation.Contacts;
import org.conversationarchive.conversation.Contacts.ContactDocument;
import org.conversationarchive.conversation.ConversationSettings;
import org.conversationarchive.elasticsearch.ArchiveIndices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps each contact's conversation count current, off the write path.
 * <p>
 * Writers mark the contacts they touch (in the contacts index, in the same bulk request
 * as the conversations) and tell this instance. About once a second the touched contacts
 * are recounted exactly with one aggregation, their count stored in the contacts index,
 * and the conversation documents whose stored count is now wrong are updated. A document
 * stores the exact count only up to
 * {@link ConversationSettings#exactContactCountLimit()}, so a new conversation of a
 * contact that has 100,000 updates no other document. Marks that stay behind because
 * their writer died are picked up by any instance after
 * {@link IngestSettings#contactRecoveryAge()}.
 */
@Component
class ContactUpkeep {

	private static final Logger logger = LoggerFactory.getLogger(ContactUpkeep.class);

	private static final int CONTACTS_PER_ROUND = 1000;

	private static final int DOCUMENTS_PER_ROUND = 2000;

	private final ElasticsearchClient client;

	private final ArchiveIndices indices;

	private final ConversationSettings settings;

	private final IngestSettings ingest;

	private final Set<Touched> pending = ConcurrentHashMap.newKeySet();

	ContactUpkeep(ElasticsearchClient client, ArchiveIndices indices, ConversationSettings settings,
			IngestSettings ingest) {
		this.client = client;
		this.indices = indices;
		this.settings = settings;
		this.ingest = ingest;
	}

	/**
	 * Contacts whose conversations were just written or deleted.
	 * @param org the org
	 * @param contactIds the contacts
	 */
	void touched(String org, Collection<String> contactIds) {
		contactIds.forEach((contactId) -> this.pending.add(new Touched(org, contactId)));
	}

	@Scheduled(fixedDelayString = "${archive.ingest.contact-upkeep-interval:1s}")
	void recountTouched() {
		try {
			flush();
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Recounting contacts failed; retrying: {}", ex.toString());
		}
	}

	@Scheduled(fixedDelayString = "${archive.ingest.contact-recovery-interval:10s}",
			initialDelayString = "${archive.ingest.contact-recovery-interval:10s}")
	void recoverAbandonedMarks() {
		try {
			Instant before = Instant.now().minus(this.ingest.contactRecoveryAge());
			SearchResponse<ContactDocument> response = this.client
				.search((search) -> search.index(this.indices.contacts())
					.ignoreUnavailable(true)
					.allowNoIndices(true)
					.query((query) -> query
						.range((range) -> range.date((date) -> date.field("dirtyAt").lte(before.toString()))))
					.size(CONTACTS_PER_ROUND), ContactDocument.class);
			for (Hit<ContactDocument> hit : response.hits().hits()) {
				ContactDocument contact = hit.source();
				if (contact != null && contact.org() != null && contact.contactId() != null) {
					this.pending.add(new Touched(contact.org(), contact.contactId()));
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Looking for contacts left to recount failed: {}", ex.toString());
		}
	}

	/**
	 * Recounts every contact touched so far, now.
	 * @throws IOException when Elasticsearch cannot be reached; the contacts stay pending
	 */
	void flush() throws IOException {
		while (!this.pending.isEmpty()) {
			Map<String, List<String>> byOrg = new LinkedHashMap<>();
			int taken = 0;
			for (Touched touched : this.pending) {
				if (taken++ == CONTACTS_PER_ROUND) {
					break;
				}
				this.pending.remove(touched);
				byOrg.computeIfAbsent(touched.org(), (org) -> new ArrayList<>()).add(touched.contactId());
			}
			for (Map.Entry<String, List<String>> org : byOrg.entrySet()) {
				try {
					recount(org.getKey(), org.getValue());
				}
				catch (IOException | RuntimeException ex) {
					touched(org.getKey(), org.getValue());
					throw ex;
				}
			}
		}
	}

	private void recount(String org, List<String> contactIds) throws IOException {
		// Counting sees only what is searchable: make every acknowledged write so.
		this.client.indices()
			.refresh((refresh) -> refresh.index(this.indices.conversations())
				.ignoreUnavailable(true)
				.allowNoIndices(true));
		Map<String, Long> counts = count(org, contactIds);
		updateConversations(org, contactIds, counts);
		storeCounts(org, contactIds, counts);
	}

	private Map<String, Long> count(String org, List<String> contactIds) throws IOException {
		List<FieldValue> values = contactIds.stream().map(FieldValue::of).toList();
		SearchResponse<Void> response = this.client.search((search) -> search.index(this.indices.conversations())
			.ignoreUnavailable(true)
			.allowNoIndices(true)
			.routing(org)
			.size(0)
			.query((query) -> query.bool((bool) -> bool.filter(org(org))
				.filter((filter) -> filter.terms((terms) -> terms.field("contact.id").terms((t) -> t.value(values))))))
			.aggregations("contacts", (agg) -> agg.terms((terms) -> terms.field("contact.id").size(contactIds.size()))),
				Void.class);
		Map<String, Long> counts = new HashMap<>();
		if (response.aggregations().get("contacts") != null) {
			response.aggregations()
				.get("contacts")
				.sterms()
				.buckets()
				.array()
				.forEach((bucket) -> counts.put(bucket.key().stringValue(), bucket.docCount()));
		}
		return counts;
	}

	/**
	 * Sets the stored count on every conversation of these contacts that holds another.
	 */
	private void updateConversations(String org, List<String> contactIds, Map<String, Long> counts) throws IOException {
		Map<String, Integer> stored = new HashMap<>();
		contactIds.forEach((id) -> stored.put(id, this.settings.storedContactCount(counts.getOrDefault(id, 0L))));
		List<Query> stale = contactIds.stream()
			.map((id) -> Query.of((query) -> query.bool((bool) -> bool
				.filter((filter) -> filter.term((term) -> term.field("contact.id").value(id)))
				.mustNot((not) -> not.term((term) -> term.field("contactConversationCount").value(stored.get(id)))))))
			.toList();
		for (int round = 0; round < 1000; round++) {
			SearchResponse<StoredCount> response = this.client.search(
					(search) -> search.index(this.indices.conversations())
						.ignoreUnavailable(true)
						.allowNoIndices(true)
						.routing(org)
						.size(DOCUMENTS_PER_ROUND)
						.source((source) -> source.filter((filter) -> filter.includes("contact.id")))
						.query((query) -> query
							.bool((bool) -> bool.filter(org(org)).should(stale).minimumShouldMatch("1"))),
					StoredCount.class);
			List<Hit<StoredCount>> hits = response.hits().hits();
			if (hits.isEmpty()) {
				return;
			}
			BulkRequest.Builder bulk = new BulkRequest.Builder().refresh(Refresh.True);
			for (Hit<StoredCount> hit : hits) {
				String contactId = (hit.source() != null && hit.source().contact() != null)
						? hit.source().contact().id() : null;
				Integer value = stored.get(contactId);
				if (value != null) {
					bulk.operations((op) -> op.update((update) -> update.index(hit.index())
						.id(hit.id())
						.routing(org)
						.retryOnConflict(3)
						.action((action) -> action.doc(Map.of("contactConversationCount", value)))));
				}
			}
			BulkResponse result = this.client.bulk(bulk.build());
			if (result.errors()) {
				result.items()
					.stream()
					.filter((item) -> item.error() != null && item.status() != 404)
					.findFirst()
					.ifPresent((item) -> {
						throw new IllegalStateException("Updating contact counts failed: " + item.error().reason());
					});
			}
		}
		logger.warn("Contact counts of org {} did not settle; retrying later", org);
		touched(org, contactIds);
	}

	private void storeCounts(String org, List<String> contactIds, Map<String, Long> counts) throws IOException {
		List<String> ids = contactIds.stream().map((id) -> Contacts.documentId(org, id)).toList();
		MgetResponse<ContactDocument> current = this.client.mget(
				(get) -> get.index(this.indices.contacts()).routing(org).ids(ids).sourceIncludes("contactId"),
				ContactDocument.class);
		Instant now = Instant.now();
		BulkRequest.Builder bulk = new BulkRequest.Builder();
		boolean any = false;
		for (int i = 0; i < contactIds.size(); i++) {
			String contactId = contactIds.get(i);
			String id = ids.get(i);
			var doc = current.docs().get(i);
			boolean found = doc.isResult() && doc.result().found();
			long count = counts.getOrDefault(contactId, 0L);
			// Replace the mark only if nobody marked the contact again since it was read.
			Long seqNo = found ? doc.result().seqNo() : null;
			Long primaryTerm = found ? doc.result().primaryTerm() : null;
			if (count == 0) {
				if (found) {
					bulk.operations((op) -> op.delete((delete) -> delete.index(this.indices.contacts())
						.id(id)
						.routing(org)
						.ifSeqNo(seqNo)
						.ifPrimaryTerm(primaryTerm)));
					any = true;
				}
				continue;
			}
			ContactDocument counted = new ContactDocument(org, contactId, (int) count, null, now);
			bulk.operations((op) -> op.index((index) -> {
				index.index(this.indices.contacts()).id(id).routing(org).document(counted);
				return found ? index.ifSeqNo(seqNo).ifPrimaryTerm(primaryTerm) : index;
			}));
			any = true;
		}
		if (!any) {
			return;
		}
		BulkResponse response = this.client.bulk(bulk.build());
		for (BulkResponseItem item : response.items()) {
			if (item.status() == 409) {
				// Marked again while we counted: count once more.
				touched(org, List.of(item.id().substring(org.length() + 1)));
			}
			else if (item.error() != null) {
				throw new IllegalStateException("Storing contact counts failed: " + item.error().reason());
			}
		}
	}

	private static Query org(String org) {
		return Query.of((query) -> query.term((term) -> term.field("org").value(org)));
	}

	private record Touched(String org, String contactId) {
	}

	/**
	 * The part of a conversation document the upkeep reads.
	 */
	record StoredCount(
			org.conversationarchive.conversation.Conversation.@org.jspecify.annotations.Nullable Contact contact) {
	}

}
