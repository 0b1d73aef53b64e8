package org.conversationarchive.conversation.index;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.query_dsl.BoolQuery;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.json.JsonData;
import org.conversationarchive.elasticsearch.ArchiveIndices;
import org.jspecify.annotations.Nullable;

/**
 * Makes each conversation's {@code signals.contactDailyRank} exact: its place among its
 * contact's conversations started in the 24 hours up to its start (equal starts in the
 * order of their ids). Writers store an estimate; the upkeep hands this the contacts and
 * start times written since its last round, and the conversations whose rank is then
 * another are updated (their {@code updatedAt} too: review rules on the rank see the
 * change as a write). Only doc values are read, and only the day before and after what
 * was written.
 */
final class DailyRanks {

	private static final long DAY_MILLIS = Duration.ofDays(1).toMillis();

	private static final int CONTACTS_PER_READ = 1000;

	private static final int DOCUMENTS_PER_PAGE = 2000;

	private final ElasticsearchClient client;

	private final ArchiveIndices indices;

	DailyRanks(ElasticsearchClient client, ArchiveIndices indices) {
		this.client = client;
		this.indices = indices;
	}

	/**
	 * Ranks again the conversations of these contacts around these starts; the writes
	 * must be searchable (refreshed).
	 * @param windows each contact's starts written or deleted
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	void rank(Map<Touched, DailyRankWindow> windows) throws IOException {
		Map<String, Map<String, DailyRankWindow>> byOrg = new LinkedHashMap<>();
		windows.forEach((contact, window) -> byOrg.computeIfAbsent(contact.org(), (org) -> new LinkedHashMap<>())
			.put(contact.contactId(), window));
		for (Map.Entry<String, Map<String, DailyRankWindow>> org : byOrg.entrySet()) {
			List<String> contactIds = new ArrayList<>(org.getValue().keySet());
			for (int from = 0; from < contactIds.size(); from += CONTACTS_PER_READ) {
				Map<String, DailyRankWindow> some = new LinkedHashMap<>();
				contactIds.subList(from, Math.min(contactIds.size(), from + CONTACTS_PER_READ))
					.forEach((contactId) -> some.put(contactId, org.getValue().get(contactId)));
				rank(org.getKey(), some);
			}
		}
	}

	private void rank(String org, Map<String, DailyRankWindow> windows) throws IOException {
		// One read for all of them, over the union of their windows widened by a day
		// either side: a conversation's rank counts the day before it, and a start moved
		// or deleted changes the ranks of the day after.
		Instant first = null;
		Instant last = null;
		boolean bounded = true;
		for (DailyRankWindow window : windows.values()) {
			if (!window.bounded()) {
				bounded = false;
				break;
			}
			first = (first == null || window.first().isBefore(first)) ? window.first() : first;
			last = (last == null || window.last().isAfter(last)) ? window.last() : last;
		}
		Instant readFrom = bounded ? first.minusMillis(DAY_MILLIS) : null;
		Instant readTo = bounded ? last.plusMillis(DAY_MILLIS) : null;
		Map<String, List<Ranked>> byContact = read(org, windows.keySet(), readFrom, readTo);
		List<Ranked> changed = new ArrayList<>();
		byContact.forEach((contactId, conversations) -> {
			DailyRankWindow window = windows.get(contactId);
			conversations.sort(Comparator.comparingLong(Ranked::startMillis).thenComparing(Ranked::id));
			int earliest = 0;
			for (int i = 0; i < conversations.size(); i++) {
				Ranked conversation = conversations.get(i);
				while (conversations.get(earliest).startMillis() <= conversation.startMillis() - DAY_MILLIS) {
					earliest++;
				}
				int rank = i - earliest + 1;
				// Those before the window may have earlier conversations this read did
				// not reach; their ranks did not change anyway.
				if (window != null && inWindow(window, conversation.startMillis())
						&& (conversation.rank() == null || conversation.rank() != rank)) {
					changed.add(conversation.withRank(rank));
				}
			}
		});
		update(org, changed);
	}

	private static boolean inWindow(DailyRankWindow window, long startMillis) {
		return !window.bounded() || (startMillis >= window.first().toEpochMilli()
				&& startMillis <= window.last().toEpochMilli() + DAY_MILLIS);
	}

	private Map<String, List<Ranked>> read(String org, Iterable<String> contactIds, @Nullable Instant from,
			@Nullable Instant to) throws IOException {
		List<FieldValue> contacts = new ArrayList<>();
		contactIds.forEach((contactId) -> contacts.add(FieldValue.of(contactId)));
		BoolQuery.Builder query = new BoolQuery.Builder()
			.filter((filter) -> filter.term((term) -> term.field("org").value(org)))
			.filter((filter) -> filter.terms((terms) -> terms.field("contact.id").terms((t) -> t.value(contacts))));
		if (from != null && to != null) {
			query.filter((filter) -> filter.range(
					(range) -> range.date((date) -> date.field("startedAt").gte(from.toString()).lte(to.toString()))));
		}
		BoolQuery bool = query.build();
		Map<String, List<Ranked>> byContact = new LinkedHashMap<>();
		List<FieldValue> after = null;
		while (true) {
			List<FieldValue> searchAfter = after;
			SearchResponse<Void> response = this.client.search((search) -> {
				search.index(this.indices.conversations())
					.ignoreUnavailable(true)
					.allowNoIndices(true)
					.routing(org)
					.size(DOCUMENTS_PER_PAGE)
					.source((source) -> source.fetch(false))
					.docvalueFields((field) -> field.field("id"))
					.docvalueFields((field) -> field.field("contact.id"))
					.docvalueFields((field) -> field.field("startedAt").format("epoch_millis"))
					.docvalueFields((field) -> field.field("signals.contactDailyRank"))
					.sort((sort) -> sort.field((field) -> field.field("id")))
					.query((q) -> q.bool(bool));
				return (searchAfter != null) ? search.searchAfter(searchAfter) : search;
			}, Void.class);
			List<Hit<Void>> hits = response.hits().hits();
			for (Hit<Void> hit : hits) {
				String contactId = first(hit, "contact.id");
				String id = first(hit, "id");
				String start = first(hit, "startedAt");
				if (contactId != null && id != null && start != null) {
					String rank = first(hit, "signals.contactDailyRank");
					byContact.computeIfAbsent(contactId, (any) -> new ArrayList<>())
						.add(new Ranked(this.indices.addressed(hit.index()), hit.id(), id,
								(long) Double.parseDouble(start),
								(rank != null) ? Integer.valueOf((int) Double.parseDouble(rank)) : null));
				}
			}
			if (hits.size() < DOCUMENTS_PER_PAGE) {
				return byContact;
			}
			after = hits.get(hits.size() - 1).sort();
		}
	}

	private static @Nullable String first(Hit<Void> hit, String field) {
		JsonData values = hit.fields().get(field);
		if (values == null || values.toJson().asJsonArray().isEmpty()) {
			return null;
		}
		var value = values.toJson().asJsonArray().get(0);
		return (value instanceof jakarta.json.JsonString text) ? text.getString() : value.toString();
	}

	private void update(String org, List<Ranked> changed) throws IOException {
		String now = Instant.now().toString();
		for (int from = 0; from < changed.size(); from += DOCUMENTS_PER_PAGE) {
			BulkRequest.Builder bulk = new BulkRequest.Builder();
			for (Ranked each : changed.subList(from, Math.min(changed.size(), from + DOCUMENTS_PER_PAGE))) {
				bulk.operations((op) -> op.update((update) -> update.index(each.index())
					.id(each.documentId())
					.routing(org)
					.retryOnConflict(3)
					.action((action) -> action
						.doc(Map.of("signals", Map.of("contactDailyRank", each.rank()), "updatedAt", now)))));
			}
			BulkResponse result = this.client.bulk(bulk.build());
			if (result.errors()) {
				result.items()
					.stream()
					.filter((item) -> item.error() != null && item.status() != 404)
					.findFirst()
					.ifPresent((item) -> {
						throw new IllegalStateException("Updating daily ranks failed: " + item.error().reason());
					});
			}
		}
	}

	/**
	 * A conversation as ranked: where it is, its id and start, and its rank (as stored,
	 * or as it is to be).
	 */
	private record Ranked(String index, String documentId, String id, long startMillis, @Nullable Integer rank) {

		Ranked withRank(int rank) {
			return new Ranked(this.index, this.documentId, this.id, this.startMillis, rank);
		}

	}

}
