package org.conversationarchive.conversation.index;

import java.io.IOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.VersionType;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.json.JsonData;
import org.conversationarchive.conversation.Contacts;
import org.conversationarchive.conversation.ConversationSettings;
import org.conversationarchive.elasticsearch.ArchiveIndices;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps each contact's conversation count current, off the write path. Writers record the
 * contacts they are about to touch (a row in the database, before the write, so that a
 * crash cannot lose it) and tell this instance once written. Touched contacts are
 * recounted (a refresh and an aggregation a round) or, between recounts under a stream of
 * writes, get this instance's estimate ({@link KnownCounts}: no read of the
 * conversations, whose searches would keep every shard refreshing); either is stored in
 * the contacts index marked stale, and the conversations that store another count are
 * rewritten later, together ({@link UpkeepPace} says when). A document stores the exact
 * count only up to {@link ConversationSettings#exactContactCountLimit()}, so that a busy
 * contact's new conversation rewrites no other. Records and marks an instance left when
 * it died are taken over by any other.
 */
@Component
public class ContactUpkeep {

	private static final Logger logger = LoggerFactory.getLogger(ContactUpkeep.class);

	/** Contacts counted by one aggregation; a round refreshes once for all of them. */
	private static final int CONTACTS_PER_COUNT = 1000;

	private static final int DOCUMENTS_PER_ROUND = 2000;

	private final ElasticsearchClient client;

	private final ArchiveIndices indices;

	private final Contacts contacts;

	private final ConversationSettings settings;

	private final JdbcTemplate jdbc;

	/** Contacts touched since they were last recounted. */
	private final Set<Touched> pending = ConcurrentHashMap.newKeySet();

	/** Contacts touched since their count was last stored, recounted or estimated. */
	private final Set<Touched> unstored = ConcurrentHashMap.newKeySet();

	private final Set<String> pendingTouches = ConcurrentHashMap.newKeySet();

	private final KnownCounts known = new KnownCounts(100_000);

	private final UpkeepPace pace;

	/**
	 * Contacts whose conversations' daily ranks may have changed, with the start times
	 * this instance wrote or deleted: each rewrite round ranks them again.
	 */
	private final Map<Touched, DailyRankWindow> rankWindows = new ConcurrentHashMap<>();

	/** Contacts recounted since the last rewrite, each once however often recounted. */
	private final Set<Touched> rewritesWaiting = ConcurrentHashMap.newKeySet();

	private final DailyRanks dailyRanks;

	ContactUpkeep(ElasticsearchClient client, ArchiveIndices indices, Contacts contacts, ConversationSettings settings,
			ContactUpkeepSettings pace, JdbcTemplate jdbc) {
		this.dailyRanks = new DailyRanks(client, indices);
		this.client = client;
		this.indices = indices;
		this.contacts = contacts;
		this.settings = settings;
		this.pace = new UpkeepPace(pace, System.nanoTime());
		this.jdbc = jdbc;
	}

	/**
	 * Records, durably, that these contacts are about to change: called before their
	 * conversations are written or deleted, so that a crash before the recount cannot
	 * lose it.
	 * @param org the org
	 * @param contactIds the contacts
	 * @return the record's id, to pass to {@link #touched} once the write is done
	 */
	public String record(String org, Collection<String> contactIds) {
		String id = UUID.randomUUID().toString();
		this.jdbc.update("insert into archive_contact_touch (id, org, contact_ids, created_at) values (?, ?, ?, ?)", id,
				org, String.join("\n", contactIds), Timestamp.from(Instant.now()));
		return id;
	}

	/**
	 * A contact's conversation count as best known now: its last count, and what this
	 * instance wrote since. Writers store it on new conversations, so that the recount
	 * usually finds nothing to correct.
	 * @param org the org
	 * @param contactId the contact
	 * @param indexed the count in the contacts index, if known
	 * @return the count
	 */
	public int currentCount(String org, String contactId, @Nullable Integer indexed) {
		return this.known.current(new Touched(org, contactId), indexed);
	}

	/**
	 * Contacts' counts a writer read from the contacts index, for those this instance
	 * does not know yet: what it writes from now on adds to them.
	 * @param org the org
	 * @param counts contact id to the count read (0 for one the index does not have)
	 */
	public void read(String org, Map<String, Integer> counts) {
		this.known.read(org, counts);
	}

	/**
	 * Whether this instance knows the contact's count lately, so that
	 * {@link #currentCount} needs no count read from the contacts index.
	 * @param org the org
	 * @param contactId the contact
	 * @return whether its last count is remembered here
	 */
	public boolean knows(String org, String contactId) {
		return this.known.knows(new Touched(org, contactId));
	}

	/**
	 * Contacts gained or lost conversations (a write is done).
	 * @param org the org
	 * @param changes contact id to conversations gained (negative: lost)
	 */
	public void changed(String org, Map<String, Integer> changes) {
		this.known.changed(org, changes);
	}

	/**
	 * Contacts whose conversations were just written or deleted: they are recounted about
	 * a second after writes pause, and at most a few seconds later under a stream of
	 * writes.
	 * @param org the org
	 * @param contactIds the contacts
	 * @param touch the record made of them before the write
	 */
	public void touched(String org, Collection<String> contactIds, @Nullable String touch) {
		this.pace.wrote(System.nanoTime());
		contactIds.forEach((contactId) -> this.unstored.add(new Touched(org, contactId)));
		recountLater(org, contactIds, touch);
	}

	/**
	 * A conversation of the contact that starts then was just written or deleted: the
	 * daily ranks of the contact's conversations from then to a day later are checked in
	 * the next rewrite round. Called before {@link #touched} for the same write.
	 * @param org the org
	 * @param contactId the contact
	 * @param startedAt the conversation's start
	 */
	public void started(String org, String contactId, Instant startedAt) {
		this.rankWindows.merge(new Touched(org, contactId), DailyRankWindow.at(startedAt), DailyRankWindow::merge);
	}

	private void recountLater(String org, Collection<String> contactIds, @Nullable String touch) {
		contactIds.forEach((contactId) -> this.pending.add(new Touched(org, contactId)));
		if (touch != null) {
			this.pendingTouches.add(touch);
		}
	}

	/**
	 * Recounts the contacts touched so far once writes pause for an interval, or once the
	 * first of them waited the longest delay allowed, and else stores this instance's
	 * estimate of their counts once the first waited the longest delay for that; then
	 * rewrites the stored counts of the contacts counted, when their rewrites are due.
	 */
	@Scheduled(fixedDelayString = "${archive.ingest.contact-upkeep-interval:1s}")
	void recountTouched() {
		recountIfDue();
		rewriteIfDue();
	}

	private void recountIfDue() {
		long now = System.nanoTime();
		switch (this.pace.countDue(now, !this.pending.isEmpty() || !this.pendingTouches.isEmpty(),
				!this.unstored.isEmpty())) {
			case RECOUNT -> {
				try {
					flush();
				}
				catch (IOException | RuntimeException ex) {
					logger.warn("Recounting contacts failed; retrying: {}", ex.toString());
				}
			}
			case ESTIMATES -> {
				try {
					storeEstimates();
				}
				catch (IOException | RuntimeException ex) {
					logger.warn("Storing estimated contact counts failed; retrying: {}", ex.toString());
				}
			}
			case NOTHING -> {
			}
		}
	}

	/**
	 * Stores this instance's estimate of the count of every contact touched since its
	 * count was last stored; they stay pending for the recount.
	 */
	private void storeEstimates() throws IOException {
		List<Touched> contacts = new ArrayList<>(this.unstored);
		this.unstored.removeAll(contacts);
		try {
			count(contacts, false);
		}
		catch (IOException | RuntimeException ex) {
			this.unstored.addAll(contacts);
			throw ex;
		}
	}

	/**
	 * Rewrites the stored counts of stale contacts once writes pause, once the first of
	 * them waited the longest delay allowed, or once too many wait.
	 */
	private void rewriteIfDue() {
		long now = System.nanoTime();
		if (!this.pace.rewritesDue(now, this.rewritesWaiting.size())) {
			return;
		}
		try {
			rewriteNow();
		}
		catch (IOException | RuntimeException ex) {
			this.pace.rewritesWaitSince(now);
			logger.warn("Rewriting stored contact counts failed; retrying: {}", ex.toString());
		}
	}

	private void rewriteNow() throws IOException {
		this.pace.rewriting();
		this.rewritesWaiting.clear();
		// Taken before the refresh of rewriteStaleCounts: every write they come from is
		// searchable when they are ranked.
		Map<Touched, DailyRankWindow> windows = new HashMap<>(this.rankWindows);
		windows.forEach(this.rankWindows::remove);
		try {
			rewriteStaleCounts();
			this.dailyRanks.rank(windows);
		}
		catch (IOException | RuntimeException ex) {
			windows.forEach((contact, window) -> this.rankWindows.merge(contact, window, DailyRankWindow::merge));
			throw ex;
		}
	}

	/**
	 * Recounts the contacts of records no instance finished with (its instance died
	 * between the write and the recount).
	 */
	@Scheduled(fixedDelayString = "${archive.ingest.contact-recovery-interval:10s}",
			initialDelayString = "${archive.ingest.contact-recovery-interval:10s}")
	void recoverAbandonedTouches() {
		try {
			Instant now = Instant.now();
			this.jdbc.query(
					"select id, org, contact_ids from archive_contact_touch where created_at < ? order by created_at",
					(row) -> {
						String org = row.getString("org");
						List<String> contactIds = List.of(row.getString("contact_ids").split("\n"));
						// When its conversations start is not recorded: rank them all.
						contactIds.forEach(
								(contactId) -> this.rankWindows.put(new Touched(org, contactId), DailyRankWindow.ALL));
						recountLater(org, contactIds, row.getString("id"));
					}, Timestamp.from(this.pace.touchesAbandonedBefore(now)));
			// Marks older than any live instance leaves them were left by one that died
			// (younger ones are another instance's, waiting for its writes to pause).
			if (!this.pace.rewritesWaiting() && staleContactsExist(this.pace.marksAbandonedBefore(now))) {
				this.pace.rewritesWaitSince(System.nanoTime());
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Looking for contacts left to recount failed: {}", ex.toString());
		}
	}

	private boolean staleContactsExist(Instant markedBefore) throws IOException {
		return this.client
			.count((count) -> count.index(this.indices.contacts())
				.ignoreUnavailable(true)
				.allowNoIndices(true)
				.query((query) -> query.bool((bool) -> bool
					.filter((filter) -> filter.term((term) -> term.field("stale").value(true)))
					.filter((filter) -> filter
						.range((range) -> range.date((date) -> date.field("updatedAt").lt(markedBefore.toString())))))))
			.count() > 0;
	}

	/**
	 * Recounts every contact touched so far, now.
	 * @throws IOException when Elasticsearch cannot be reached; the contacts stay pending
	 */
	void flush() throws IOException {
		List<String> touches = new ArrayList<>(this.pendingTouches);
		this.pendingTouches.removeAll(touches);
		List<Touched> contacts = new ArrayList<>(this.pending);
		this.pending.removeAll(contacts);
		this.unstored.removeAll(contacts);
		try {
			count(contacts, true);
		}
		catch (IOException | RuntimeException ex) {
			this.pending.addAll(contacts);
			this.unstored.addAll(contacts);
			this.pendingTouches.addAll(touches);
			throw ex;
		}
		if (!touches.isEmpty()) {
			this.jdbc.batchUpdate("delete from archive_contact_touch where id = ?",
					touches.stream().map((id) -> new Object[] { id }).toList());
		}
	}

	/**
	 * Counts contacts and stores their counts: exactly (a refresh, then aggregations) or
	 * as estimated here.
	 */
	private void count(List<Touched> contacts, boolean exact) throws IOException {
		if (contacts.isEmpty()) {
			return;
		}
		Map<Touched, Integer> changesCounted = this.known.changesSinceCounted(contacts);
		long countedAt = System.currentTimeMillis();
		if (exact) {
			// Counting sees only what is searchable: make every acknowledged write so,
			// once for the whole round.
			refreshConversations();
		}
		Map<String, List<String>> byOrg = new LinkedHashMap<>();
		contacts.forEach(
				(contact) -> byOrg.computeIfAbsent(contact.org(), (org) -> new ArrayList<>()).add(contact.contactId()));
		for (Map.Entry<String, List<String>> org : byOrg.entrySet()) {
			List<String> contactIds = org.getValue();
			int from = 0;
			while (from < contactIds.size()) {
				// Never more stale contacts than the backlog allows: a recount of more
				// (a large import between two rounds) rewrites those waiting first, so
				// that the Repeat contacts filter, and an instance restarted meanwhile,
				// find at most about a backlog of them.
				int room = this.pace.room(this.rewritesWaiting.size());
				if (room <= 0) {
					rewriteNow();
					continue;
				}
				int to = Math.min(contactIds.size(), from + Math.min(room, CONTACTS_PER_COUNT));
				count(org.getKey(), contactIds.subList(from, to), countedAt, changesCounted, exact);
				from = to;
			}
		}
	}

	private void count(String org, List<String> contactIds, long countedAt, Map<Touched, Integer> changesCounted,
			boolean exact) throws IOException {
		Map<String, Long> counts = exact ? recount(org, contactIds) : estimate(org, contactIds, changesCounted);
		storeCounts(org, contactIds, counts, countedAt);
		if (!this.pace.rewritesWaiting()) {
			this.pace.rewritesWaitSince(System.nanoTime());
		}
		contactIds.forEach((contactId) -> this.rewritesWaiting.add(new Touched(org, contactId)));
		for (String contactId : contactIds) {
			Touched key = new Touched(org, contactId);
			this.known.counted(key, counts.getOrDefault(contactId, 0L), changesCounted.getOrDefault(key, 0));
		}
	}

	/**
	 * The contacts' counts as this instance knows them: the last count (stored here, or
	 * else read from the contacts index) and the changes it wrote since.
	 */
	private Map<String, Long> estimate(String org, List<String> contactIds, Map<Touched, Integer> changesCounted)
			throws IOException {
		Map<String, Long> last = this.known.lastCounts(org, contactIds);
		List<String> unknown = contactIds.stream().filter((contactId) -> !last.containsKey(contactId)).toList();
		Map<String, Integer> indexed = this.contacts.counts(org, unknown);
		return KnownCounts.estimates(org, contactIds, last, indexed, changesCounted);
	}

	private Map<String, Long> recount(String org, List<String> contactIds) throws IOException {
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
	 * Rewrites the stored count of every conversation of a stale contact that holds
	 * another, then clears the contacts' marks: after a refresh, so that the filter never
	 * reads a cleared contact's conversations before they hold its count. A contact
	 * recounted meanwhile keeps its mark (the clearing is conditional on the version
	 * read).
	 * @throws IOException when Elasticsearch cannot be reached; what is not done stays
	 * marked
	 */
	private void rewriteStaleCounts() throws IOException {
		refreshConversations();
		this.client.indices()
			.refresh((refresh) -> refresh.index(this.indices.contacts()).ignoreUnavailable(true).allowNoIndices(true));
		List<FieldValue> after = null;
		List<Hit<ContactDocument>> rewritten = new ArrayList<>();
		while (true) {
			List<FieldValue> searchAfter = after;
			SearchResponse<ContactDocument> response = this.client.search((search) -> {
				search.index(this.indices.contacts())
					.ignoreUnavailable(true)
					.allowNoIndices(true)
					.size(CONTACTS_PER_COUNT)
					.seqNoPrimaryTerm(true)
					.source((source) -> source
						.filter((filter) -> filter.includes("org", "contactId", "conversationCount")))
					.sort((sort) -> sort.field((field) -> field.field("org")))
					.sort((sort) -> sort.field((field) -> field.field("contactId")))
					.query((query) -> query.term((term) -> term.field("stale").value(true)));
				return (searchAfter != null) ? search.searchAfter(searchAfter) : search;
			}, ContactDocument.class);
			List<Hit<ContactDocument>> hits = response.hits().hits();
			Map<String, Map<String, Long>> byOrg = new LinkedHashMap<>();
			for (Hit<ContactDocument> hit : hits) {
				ContactDocument contact = hit.source();
				if (contact != null && contact.org() != null && contact.contactId() != null
						&& contact.conversationCount() != null) {
					byOrg.computeIfAbsent(contact.org(), (org) -> new LinkedHashMap<>())
						.put(contact.contactId(), contact.conversationCount().longValue());
				}
			}
			for (Map.Entry<String, Map<String, Long>> org : byOrg.entrySet()) {
				updateConversations(org.getKey(), new ArrayList<>(org.getValue().keySet()), org.getValue());
			}
			rewritten.addAll(hits);
			if (rewritten.size() >= DOCUMENTS_PER_ROUND * 5 || hits.size() < CONTACTS_PER_COUNT) {
				refreshConversations();
				clearStale(rewritten);
				rewritten.clear();
			}
			if (hits.size() < CONTACTS_PER_COUNT) {
				return;
			}
			after = hits.get(hits.size() - 1).sort();
		}
	}

	private void refreshConversations() throws IOException {
		this.client.indices()
			.refresh((refresh) -> refresh.index(this.indices.conversations())
				.ignoreUnavailable(true)
				.allowNoIndices(true));
	}

	private void clearStale(List<Hit<ContactDocument>> contacts) throws IOException {
		for (int from = 0; from < contacts.size(); from += DOCUMENTS_PER_ROUND) {
			BulkRequest.Builder bulk = new BulkRequest.Builder();
			for (Hit<ContactDocument> contact : contacts.subList(from,
					Math.min(contacts.size(), from + DOCUMENTS_PER_ROUND))) {
				bulk.operations((op) -> op.update((update) -> update.index(contact.index())
					.id(contact.id())
					.routing(contact.routing())
					.ifSeqNo(contact.seqNo())
					.ifPrimaryTerm(contact.primaryTerm())
					.action((action) -> action.doc(Map.of("stale", false)))));
			}
			BulkResponse response = this.client.bulk(bulk.build());
			for (BulkResponseItem item : response.items()) {
				// 409: recounted meanwhile, stale again; 404: its last conversation went.
				if (item.error() != null && item.status() != 409 && item.status() != 404) {
					throw new IllegalStateException("Clearing stale contact counts failed: " + item.error().reason());
				}
			}
		}
	}

	/**
	 * Sets the stored count on every conversation of these contacts that holds another:
	 * contacts up to the exact limit have at most that many conversations, all read;
	 * busier contacts' conversations should all hold limit + 1, and only those that do
	 * not are read. Nothing else is touched.
	 */
	private void updateConversations(String org, List<String> contactIds, Map<String, Long> counts) throws IOException {
		int limit = this.settings.exactContactCountLimit();
		RewriteGroups groups = RewriteGroups.of(contactIds, counts, limit);
		List<String> light = groups.light();
		List<String> heavy = groups.heavy();
		List<StaleCount> stale = new ArrayList<>();
		if (!light.isEmpty()) {
			readStoredCounts(org,
					Query.of((query) -> query.bool((bool) -> bool.filter(org(org)).filter(contactIn(light)))),
					(hit, contactId, stored) -> {
						int expected = this.settings.storedContactCount(counts.getOrDefault(contactId, 0L));
						if (stored == null || stored != expected) {
							stale.add(new StaleCount(this.indices.addressed(hit.index()), hit.id(), expected));
						}
					});
		}
		if (!heavy.isEmpty()) {
			readStoredCounts(org, Query.of((query) -> query.bool((bool) -> bool.filter(org(org))
				.filter(contactIn(heavy))
				.mustNot((not) -> not.term((term) -> term.field("contactConversationCount").value(limit + 1))))),
					(hit, contactId, stored) -> stale
						.add(new StaleCount(this.indices.addressed(hit.index()), hit.id(), limit + 1)));
		}
		// A new count is a write: review rules on repeat contacts look at it as at any
		// other.
		String rewrittenAt = java.time.Instant.now().toString();
		for (int from = 0; from < stale.size(); from += DOCUMENTS_PER_ROUND) {
			BulkRequest.Builder bulk = new BulkRequest.Builder();
			for (StaleCount each : stale.subList(from, Math.min(stale.size(), from + DOCUMENTS_PER_ROUND))) {
				bulk.operations((op) -> op.update((update) -> update.index(each.index())
					.id(each.id())
					.routing(org)
					.retryOnConflict(3)
					.action((action) -> action
						.doc(Map.of("contactConversationCount", each.count(), "updatedAt", rewrittenAt)))));
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
	}

	/**
	 * Pages through the conversations a query finds, reading only their contact and
	 * stored count (doc values, no source).
	 */
	private void readStoredCounts(String org, Query query, StoredCountConsumer consumer) throws IOException {
		List<FieldValue> after = null;
		while (true) {
			List<FieldValue> searchAfter = after;
			SearchResponse<Void> response = this.client.search((search) -> {
				search.index(this.indices.conversations())
					.ignoreUnavailable(true)
					.allowNoIndices(true)
					.routing(org)
					.size(DOCUMENTS_PER_ROUND)
					.source((source) -> source.fetch(false))
					.docvalueFields((field) -> field.field("contact.id"))
					.docvalueFields((field) -> field.field("contactConversationCount"))
					.sort((sort) -> sort.field((field) -> field.field("id")))
					.query(query);
				return (searchAfter != null) ? search.searchAfter(searchAfter) : search;
			}, Void.class);
			List<Hit<Void>> hits = response.hits().hits();
			for (Hit<Void> hit : hits) {
				JsonData contact = hit.fields().get("contact.id");
				JsonData stored = hit.fields().get("contactConversationCount");
				String contactId = (contact != null) ? contact.toJson().asJsonArray().getString(0) : null;
				Integer count = (stored != null) ? stored.toJson().asJsonArray().getJsonNumber(0).intValue() : null;
				consumer.accept(hit, contactId, count);
			}
			if (hits.size() < DOCUMENTS_PER_ROUND) {
				return;
			}
			after = hits.get(hits.size() - 1).sort();
		}
	}

	private static Query contactIn(List<String> contactIds) {
		List<FieldValue> values = contactIds.stream().map(FieldValue::of).toList();
		return Query.of((query) -> query.terms((terms) -> terms.field("contact.id").terms((t) -> t.value(values))));
	}

	private interface StoredCountConsumer {

		void accept(Hit<Void> hit, @Nullable String contactId, @Nullable Integer stored);

	}

	private record StaleCount(String index, String id, int count) {
	}

	/**
	 * Stores the counts in the contacts index. Each write is versioned with the time of
	 * the count, so a slower recount by another instance cannot overwrite a newer one.
	 */
	private void storeCounts(String org, List<String> contactIds, Map<String, Long> counts, long countedAt)
			throws IOException {
		Instant now = Instant.now();
		BulkRequest.Builder bulk = new BulkRequest.Builder();
		for (String contactId : contactIds) {
			String id = Contacts.documentId(org, contactId);
			long count = counts.getOrDefault(contactId, 0L);
			if (count == 0) {
				bulk.operations((op) -> op.delete((delete) -> delete.index(this.indices.contacts())
					.id(id)
					.routing(org)
					.version(countedAt)
					.versionType(VersionType.External)));
			}
			else {
				// Stale until its conversations are rewritten (rewriteStaleCounts).
				ContactDocument counted = new ContactDocument(org, contactId, (int) count, now, true);
				bulk.operations((op) -> op.index((index) -> index.index(this.indices.contacts())
					.id(id)
					.routing(org)
					.version(countedAt)
					.versionType(VersionType.External)
					.document(counted)));
			}
		}
		BulkResponse response = this.client.bulk(bulk.build());
		for (BulkResponseItem item : response.items()) {
			// 409: a newer count is already stored; 404: nothing to delete.
			if (item.error() != null && item.status() != 409 && item.status() != 404) {
				throw new IllegalStateException("Storing contact counts failed: " + item.error().reason());
			}
		}
	}

	private static Query org(String org) {
		return Query.of((query) -> query.term((term) -> term.field("org").value(org)));
	}

}
