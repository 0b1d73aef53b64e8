package org.conversationarchive.conversation;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.bulk.OperationType;
import co.elastic.clients.elasticsearch.indices.RefreshResponse;
import org.conversationarchive.conversation.Conversation.Message;
import org.conversationarchive.conversation.index.BulkBody;
import org.conversationarchive.conversation.index.ContactUpkeep;
import org.conversationarchive.conversation.index.DocumentJson;
import org.conversationarchive.elasticsearch.ArchiveIndices;
import org.conversationarchive.system.Futures;
import org.conversationarchive.system.InvalidInputException;
import org.conversationarchive.system.NotFoundException;
import org.conversationarchive.system.StorageUnavailableException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Every write of whole conversations: upserts, appends and deletes.
 * <p>
 * Upserts valid conversations in one bulk request per batch: each into the index of the
 * year it started, routed by its org, with its derived fields; a conversation whose start
 * moved to another year leaves its old index in the same request; the contacts whose
 * count changes are recorded for recounting before the request, so that a crash cannot
 * lose the mark.
 */
@Component
public class ConversationWriter {

	private static final Logger logger = LoggerFactory.getLogger(ConversationWriter.class);

	/**
	 * What a write of a conversation that exists reads of it: its previous contact, and
	 * what the archive keeps whatever a client sends (attachments, the flags rules and
	 * people set, the flag history).
	 */
	private static final List<String> KEPT_FIELDS = List.of("contact.id", "contactConversationCount", "audio",
			"artifacts", "flags", "flagHistory", "startedAt", "signals.contactDailyRank", "status", "writeToken");

	private final ElasticsearchClient client;

	private final ArchiveIndices indices;

	private final Conversations conversations;

	private final Contacts contacts;

	private final ConversationDocuments documents;

	private final ConversationSettings settings;

	private final ContactUpkeep upkeep;

	private final DocumentJson documentJson;

	private final YearlyIndices yearlyIndices;

	private final MessageAppender appender;

	private final ConversationDeleter deleter;

	private final ApplicationEventPublisher events;

	private final ConversationDeletions deletions;

	private final ExecutorService reads = Executors.newVirtualThreadPerTaskExecutor();

	ConversationWriter(ElasticsearchClient client, ArchiveIndices indices, Conversations conversations,
			Contacts contacts, ConversationDocuments documents, ConversationSettings settings, ContactUpkeep upkeep,
			DocumentJson documentJson, YearlyIndices yearlyIndices, MessageAppender appender,
			ConversationDeleter deleter, ApplicationEventPublisher events, ConversationDeletions deletions) {
		this.deletions = deletions;
		this.events = events;
		this.appender = appender;
		this.deleter = deleter;
		this.documentJson = documentJson;
		this.yearlyIndices = yearlyIndices;
		this.client = client;
		this.indices = indices;
		this.conversations = conversations;
		this.contacts = contacts;
		this.documents = documents;
		this.settings = settings;
		this.upkeep = upkeep;
	}

	/**
	 * Writes conversations, answering once Elasticsearch has them.
	 * @param org the org they belong to
	 * @param batch valid conversations
	 * @param refresh whether to wait until they are searchable
	 * @return one result per conversation, in order
	 * @throws IOException when Elasticsearch cannot be reached: nothing is acknowledged
	 */
	public List<Written> upsert(String org, List<Conversation> batch, boolean refresh) throws IOException {
		return upsert(org, batch, refresh, new HashSet<>());
	}

	/**
	 * Writes conversations, answering once Elasticsearch has them, and tells which
	 * indices were written to: many batches are made searchable together by one
	 * {@link #refresh} of those indices once all of them are written.
	 * @param org the org they belong to
	 * @param batch valid conversations
	 * @param written receives the names of the indices written to, those a conversation
	 * that moved to another year left included
	 * @return one result per conversation, in order
	 * @throws IOException when Elasticsearch cannot be reached: nothing is acknowledged
	 */
	public List<Written> upsert(String org, List<Conversation> batch, Set<String> written) throws IOException {
		return upsert(org, batch, false, written);
	}

	/**
	 * Writes conversations in requests of distinct ids.
	 * @param refresh whether each request waits for the shards it wrote to to be
	 * refreshed
	 */
	private List<Written> upsert(String org, List<Conversation> batch, boolean refresh, Set<String> written)
			throws IOException {
		List<Written> results = new ArrayList<>(batch.size());
		List<Conversation> group = new ArrayList<>();
		Set<String> ids = new HashSet<>();
		for (Conversation conversation : batch) {
			// Within one bulk request every id is written once; a repeated id waits for
			// the next request, so the last line wins as it would one by one.
			if (!ids.add(conversation.id())) {
				results.addAll(write(org, group, refresh, null, written));
				group.clear();
				ids.clear();
				ids.add(conversation.id());
			}
			group.add(conversation);
		}
		results.addAll(write(org, group, refresh, null, written));
		return results;
	}

	/**
	 * Makes everything written to these indices so far searchable: one refresh of them
	 * all. A write that waits for a refresh covers only the shards that request wrote to,
	 * so many requests (a bulk's batches) are made searchable this way, after every one
	 * of them completed.
	 * @param written index names
	 * @throws IOException when Elasticsearch cannot be reached
	 * @throws StorageUnavailableException when a shard could not be refreshed
	 */
	public void refresh(Collection<String> written) throws IOException {
		if (written.isEmpty()) {
			return;
		}
		RefreshResponse refreshed = this.client.indices().refresh((refresh) -> refresh.index(List.copyOf(written)));
		if (refreshed.shards().failed().intValue() > 0) {
			throw new StorageUnavailableException("Elasticsearch could not make the conversations searchable: "
					+ refreshed.shards().failed() + " of " + refreshed.shards().total() + " shards failed to refresh",
					null);
		}
	}

	/**
	 * Adds messages to a conversation that is still going; a message it has already is
	 * not added again. Concurrent appends do not lose each other. Answers once stored (a
	 * real-time read sees it; a search after the next refresh): a live conversation gains
	 * a message every few seconds, and each append holding a connection until the refresh
	 * held up every other request.
	 * @param org the org
	 * @param id the conversation id
	 * @param messages the messages (each valid)
	 * @param problem what is wrong with the conversation the messages make, if anything:
	 * then nothing is written
	 * @return the conversation as the API shows it now
	 * @throws NotFoundException when the org has no such conversation
	 * @throws InvalidInputException when the conversation they make has a problem
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	public Conversation append(String org, String id, List<Message> messages,
			Function<Conversation, @Nullable String> problem) throws IOException {
		return this.appender.append(org, id, messages, problem);
	}

	/**
	 * Deletes a conversation; its contact is recounted and its files follow
	 * ({@link ConversationDeleted}).
	 * @param org the org
	 * @param id the conversation id
	 * @throws NotFoundException when the org has no such conversation
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	public void delete(String org, String id) throws IOException {
		this.deleter.delete(org, id);
	}

	/**
	 * Whether an org has no conversation yet, as of the last refresh: the demo data is
	 * written only into an empty org.
	 * @param org the org
	 * @return whether none of its conversations is searchable
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	public boolean isEmpty(String org) throws IOException {
		return this.client
			.count((count) -> count.index(this.indices.conversations())
				.ignoreUnavailable(true)
				.allowNoIndices(true)
				.routing(org)
				.query((query) -> query.term((term) -> term.field("org").value(org))))
			.count() == 0;
	}

	/**
	 * Writes a group of conversations with distinct ids, each document stamped with a
	 * token of this write.
	 * <p>
	 * Without {@code read}, each is created in the index of its year, reading only the
	 * other yearly indices first (for one that moved there from another year): the create
	 * itself tells whether the conversation was there already (409). Those that were are
	 * read, which is what a write of a conversation that exists needs (its kept fields
	 * and previous contact), and written again with what was read. One that holds this
	 * write's token was created by it: the request was sent twice (by the client, on
	 * another node, after its connection to the first failed; or by Elasticsearch, when a
	 * primary failed under it) and the second one refused; it is created, once. A bulk
	 * ingest of new conversations reads nothing from the index it writes.
	 * @param read the conversations of the group as they are stored, read already; or
	 * {@code null} to create them
	 */
	private List<Written> write(String org, List<Conversation> group, boolean refresh,
			@Nullable Map<String, StoredConversation> read, Set<String> written) throws IOException {
		if (group.isEmpty()) {
			return List.of();
		}
		boolean create = read == null;
		String token = WriteTokens.next();
		// The two reads are independent: run them side by side.
		// Contacts recounted here lately need no read: their count is remembered.
		Set<String> contactIds = new LinkedHashSet<>();
		group.forEach((conversation) -> addContact(contactIds, contactId(conversation)));
		contactIds.removeIf((contactId) -> this.upkeep.knows(org, contactId));
		Future<Map<String, Integer>> knownCounts = this.reads.submit(() -> this.contacts.counts(org, contactIds));
		Map<String, String> targets = new LinkedHashMap<>();
		group.forEach((conversation) -> targets.put(conversation.id(),
				this.indices.conversationsFor(conversation.startedAt())));
		Map<String, StoredConversation> existing = create ? this.conversations.findOutside(org, targets, KEPT_FIELDS)
				: read;
		Map<String, Integer> counts = new HashMap<>(Futures.await(knownCounts));
		Set<String> previousContacts = new LinkedHashSet<>();
		existing.values().forEach((before) -> addContact(previousContacts, before.document().contactId()));
		previousContacts.removeAll(counts.keySet());
		previousContacts.removeIf((contactId) -> this.upkeep.knows(org, contactId));
		counts.putAll(this.contacts.counts(org, previousContacts));
		learn(org, contactIds, previousContacts, counts);

		// Every conversation a contact gains raises its count; estimate it now, the
		// upkeep makes it exact within seconds.
		Map<String, Integer> gained = new HashMap<>();
		Map<String, Integer> changes = new HashMap<>();
		Set<String> dirty = new LinkedHashSet<>();
		for (Conversation conversation : group) {
			StoredConversation before = existing.get(conversation.id());
			String contactId = contactId(conversation);
			String previousContactId = (before != null) ? before.document().contactId() : null;
			// Moved in time, or written before daily ranks were kept.
			boolean rerank = before != null && (!Objects.equals(conversation.startedAt(), before.document().startedAt())
					|| (contactId != null && before.document().contactDailyRank() == null));
			if (!Objects.equals(contactId, previousContactId) || rerank) {
				addContact(dirty, contactId);
				addContact(dirty, previousContactId);
				// The contacts' daily ranks around both starts change.
				if (contactId != null) {
					this.upkeep.started(org, contactId, conversation.startedAt());
				}
				if (previousContactId != null) {
					this.upkeep.started(org, previousContactId, before.document().startedAt());
				}
			}
			if (!Objects.equals(contactId, previousContactId)) {
				if (contactId != null) {
					gained.merge(contactId, 1, Integer::sum);
					changes.merge(contactId, 1, Integer::sum);
				}
				if (previousContactId != null) {
					changes.merge(previousContactId, -1, Integer::sum);
				}
			}
		}

		String touch = dirty.isEmpty() ? null : this.upkeep.record(org, dirty);
		Map<String, List<Conversation>> byContact = new HashMap<>();
		group.forEach((conversation) -> {
			if (contactId(conversation) != null) {
				byContact.computeIfAbsent(contactId(conversation), (any) -> new ArrayList<>()).add(conversation);
			}
		});
		Instant now = Instant.now();
		BulkBody bulk = new BulkBody(refresh);
		Map<String, String> movedFrom = new HashMap<>();
		for (Conversation conversation : group) {
			StoredConversation before = existing.get(conversation.id());
			String index = targets.get(conversation.id());
			String documentId = ConversationDocument.documentId(org, conversation.id());
			ConversationDocument document = this.documents.of(org,
					this.documents.keepingFlags(conversation, (before != null) ? before.document() : null),
					storedCount(org, conversation, before, counts, gained), dailyRank(conversation, before, byContact),
					(before != null) ? before.document().audio() : null,
					(before != null) ? before.document().artifacts() : null,
					(before != null) ? before.document().flagHistory() : null, now, token);
			// Serialized here, straight into the request's body.
			if (create && before == null) {
				bulk.create(index, documentId, org, (out) -> this.documentJson.write(document, out));
			}
			else {
				bulk.index(index, documentId, org, (out) -> this.documentJson.write(document, out));
			}
			if (before != null && !before.index().equals(index)) {
				movedFrom.put(conversation.id(), before.index());
			}
		}
		announceLive(org, group, existing);
		BulkResponse response = bulk.send(this.client);
		// What was written: an index that refused its items (closed) is none to refresh.
		List<String> indices = response.items()
			.stream()
			.filter((item) -> item.error() == null)
			.map(BulkResponseItem::index)
			.distinct()
			.toList();
		this.yearlyIndices.written(indices);
		written.addAll(indices);
		List<Written> results = results(org, group, existing, response);
		Map<String, Conversation> there = Map.of();
		Map<String, StoredConversation> thereRead = Map.of();
		if (create) {
			Map<String, BulkResponseItem> conflicts = conflicts(response);
			if (!conflicts.isEmpty()) {
				there = new LinkedHashMap<>();
				for (Conversation conversation : group) {
					if (conflicts.containsKey(ConversationDocument.documentId(org, conversation.id()))) {
						there.put(conversation.id(), conversation);
					}
				}
				thereRead = this.conversations.findAll(org, there.keySet(), KEPT_FIELDS);
				ownCreates(org, group, results, there, thereRead, conflicts, token, refresh, written);
			}
		}
		there.values().forEach((conversation) -> {
			// Not a conversation gained: it goes through the write that reads.
			String contactId = contactId(conversation);
			if (contactId != null) {
				changes.merge(contactId, -1, Integer::sum);
			}
		});
		leaveOldYears(org, group, movedFrom, targets, results, refresh, written);
		if (touch != null) {
			this.upkeep.changed(org, changes);
			this.upkeep.touched(org, dirty, touch);
		}
		if (!there.isEmpty()) {
			Iterator<Written> again = write(org, List.copyOf(there.values()), refresh, thereRead, written).iterator();
			for (int i = 0; i < results.size(); i++) {
				if (there.containsKey(results.get(i).id())) {
					results.set(i, again.next());
				}
			}
		}
		return results;
	}

	/**
	 * Tells those watching live conversations what is about to change: the group's live
	 * conversations and those that were live until now (ended, say).
	 */
	private void announceLive(String org, List<Conversation> group, Map<String, StoredConversation> existing) {
		Map<String, Long> live = null;
		for (Conversation conversation : group) {
			StoredConversation before = existing.get(conversation.id());
			if (LiveConversationsWriting.live(conversation.status())
					|| (before != null && LiveConversationsWriting.live(before.document().status()))) {
				if (live == null) {
					live = new HashMap<>();
				}
				live.put(conversation.id(), (before != null) ? before.seqNo() : -1L);
			}
		}
		if (live != null) {
			this.events.publishEvent(new LiveConversationsWriting(org, live));
		}
	}

	/**
	 * Deletes the old copies of conversations that moved to another year, once their new
	 * copies are stored (one not stored stays where it was). An old year that refuses the
	 * delete (its write block, while it is rebuilt) would leave one in both: its new copy
	 * is deleted again and the write answered {@code 503}, so that a resend moves it
	 * whole.
	 */
	private void leaveOldYears(String org, List<Conversation> group, Map<String, String> movedFrom,
			Map<String, String> targets, List<Written> results, boolean refresh, Set<String> written)
			throws IOException {
		BulkBody deletes = new BulkBody(refresh);
		int moved = 0;
		for (int i = 0; i < group.size(); i++) {
			String id = group.get(i).id();
			String from = movedFrom.get(id);
			if (from != null && results.get(i).stored()) {
				String documentId = ConversationDocument.documentId(org, id);
				// A rebuild of the year it leaves deletes it there too.
				this.deletions.record(from, documentId);
				deletes.delete(from, documentId, org);
				moved++;
			}
		}
		if (moved == 0) {
			return;
		}
		BulkResponse response = deletes.send(this.client);
		Set<String> blocked = new HashSet<>();
		for (BulkResponseItem item : response.items()) {
			if (item.error() == null) {
				written.add(item.index());
			}
			else if (StorageUnavailableException.isWriteBlocked(item.error())) {
				blocked.add(item.id());
			}
			else if (item.status() != 404) {
				logger.warn("The clean-up of the move of {} from {} failed: {}", item.id(), item.index(),
						item.error().reason());
			}
		}
		if (blocked.isEmpty()) {
			return;
		}
		BulkBody undo = new BulkBody(refresh);
		for (int i = 0; i < group.size(); i++) {
			String id = group.get(i).id();
			String documentId = ConversationDocument.documentId(org, id);
			if (blocked.contains(documentId)) {
				undo.delete(targets.get(id), documentId, org);
				results.set(i, new Written(id, 503, StorageUnavailableException.REBUILDING));
			}
		}
		for (BulkResponseItem item : undo.send(this.client).items()) {
			if (item.error() != null && item.status() != 404) {
				// In both years now: the resend the 503 asks for moves it whole.
				logger.warn("Could not take back the new copy of {} in {}: {}", item.id(), item.index(),
						item.error().reason());
			}
		}
	}

	/**
	 * The creates that found their conversation in its index already, by document id.
	 */
	private static Map<String, BulkResponseItem> conflicts(BulkResponse response) {
		Map<String, BulkResponseItem> conflicts = new HashMap<>();
		for (BulkResponseItem item : response.items()) {
			if (item.operationType() == OperationType.Create && item.status() == 409) {
				conflicts.put(item.id(), item);
			}
		}
		return conflicts;
	}

	/**
	 * Takes out of {@code there} the conversations this write created itself, which hold
	 * its token: they are answered created, as the first try that stored them would have
	 * been, and not written again. Their indices were written to: made searchable when
	 * the write waits for it (the refused try did not wait for them).
	 */
	private void ownCreates(String org, List<Conversation> group, List<Written> results,
			Map<String, Conversation> there, Map<String, StoredConversation> read,
			Map<String, BulkResponseItem> conflicts, String token, boolean refresh, Set<String> written)
			throws IOException {
		Set<String> indices = new LinkedHashSet<>();
		for (int i = 0; i < group.size(); i++) {
			String id = group.get(i).id();
			StoredConversation stored = read.get(id);
			if (there.containsKey(id) && stored != null && token.equals(stored.document().writeToken())) {
				there.remove(id);
				results.set(i, new Written(id, 201, null));
				indices.add(conflicts.get(ConversationDocument.documentId(org, id)).index());
			}
		}
		if (indices.isEmpty()) {
			return;
		}
		this.yearlyIndices.written(List.copyOf(indices));
		written.addAll(indices);
		if (refresh) {
			refresh(indices);
		}
	}

	private static List<Written> results(String org, List<Conversation> group, Map<String, StoredConversation> existing,
			BulkResponse response) {
		Map<String, BulkResponseItem> written = new HashMap<>();
		for (BulkResponseItem item : response.items()) {
			if (item.operationType() == OperationType.Index || item.operationType() == OperationType.Create) {
				written.put(item.id(), item);
			}
			else if (item.error() != null) {
				// A contact mark or the clean-up of a move; the write itself succeeded.
				logger.warn("{} of {} in {} failed: {}", item.operationType(), item.id(), item.index(),
						item.error().reason());
			}
		}
		List<Written> results = new ArrayList<>(group.size());
		for (Conversation conversation : group) {
			BulkResponseItem item = written.get(ConversationDocument.documentId(org, conversation.id()));
			results.add(result(conversation, existing.containsKey(conversation.id()), item));
		}
		return results;
	}

	private static Written result(Conversation conversation, boolean existed, @Nullable BulkResponseItem item) {
		if (item == null) {
			return new Written(conversation.id(), 503, "Elasticsearch gave no answer for it; resend it");
		}
		if (item.error() != null) {
			int status = item.status();
			if (StorageUnavailableException.isWriteBlocked(item.error())) {
				return new Written(conversation.id(), 503, StorageUnavailableException.REBUILDING);
			}
			if (status == 429 || status >= 500 || StorageUnavailableException.isUnreadable(item.error())) {
				return new Written(conversation.id(), 503,
						"Elasticsearch could not take it now (" + item.error().type() + "); resend it");
			}
			return new Written(conversation.id(), 400, item.error().reason());
		}
		return new Written(conversation.id(), (existed || item.status() == 200) ? 200 : 201, null);
	}

	/**
	 * Tells the upkeep the counts read: a contact the index does not have has none yet,
	 * unless one of the conversations read is its (the index has not shown its count yet,
	 * and the conversation's stored count is the better guess: left unknown).
	 */
	private void learn(String org, Set<String> read, Set<String> previousContacts, Map<String, Integer> counts) {
		Map<String, Integer> learned = new HashMap<>(counts);
		for (String contactId : read) {
			if (!previousContacts.contains(contactId)) {
				learned.putIfAbsent(contactId, 0);
			}
		}
		this.upkeep.read(org, learned);
	}

	private @Nullable Integer storedCount(String org, Conversation conversation, @Nullable StoredConversation before,
			Map<String, Integer> counts, Map<String, Integer> gained) {
		String contactId = contactId(conversation);
		if (contactId == null) {
			return null;
		}
		Integer indexed = counts.get(contactId);
		if (indexed == null && before != null && contactId.equals(before.document().contactId())) {
			indexed = before.document().contactConversationCount();
		}
		int current = this.upkeep.currentCount(org, contactId, indexed);
		return this.settings.storedContactCount(current + gained.getOrDefault(contactId, 0));
	}

	/**
	 * The conversation's daily rank as known without a read: kept while its contact and
	 * start stay, else its place among the contact's conversations written with it (exact
	 * for a new contact; the upkeep corrects it within seconds otherwise).
	 */
	private static @Nullable Integer dailyRank(Conversation conversation, @Nullable StoredConversation before,
			Map<String, List<Conversation>> byContact) {
		String contactId = contactId(conversation);
		if (contactId == null) {
			return null;
		}
		if (before != null && contactId.equals(before.document().contactId())
				&& Objects.equals(conversation.startedAt(), before.document().startedAt())
				&& before.document().contactDailyRank() != null) {
			return before.document().contactDailyRank();
		}
		Instant start = conversation.startedAt();
		Instant dayBefore = start.minus(Duration.ofDays(1));
		int rank = 1;
		for (Conversation other : byContact.get(contactId)) {
			if (other != conversation && other.startedAt().isAfter(dayBefore) && (other.startedAt().isBefore(start)
					|| (other.startedAt().equals(start) && other.id().compareTo(conversation.id()) < 0))) {
				rank++;
			}
		}
		return rank;
	}

	private static @Nullable String contactId(Conversation conversation) {
		return (conversation.contact() != null) ? conversation.contact().id() : null;
	}

	private static void addContact(Set<String> contactIds, @Nullable String contactId) {
		if (contactId != null && !contactId.isEmpty()) {
			contactIds.add(contactId);
		}
	}

}
