package org.conversationarchive.conversation;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import org.conversationarchive.conversation.Conversation.Flag;
import org.conversationarchive.conversation.Conversation.FlagEvent;
import org.conversationarchive.conversation.index.DocumentJson;
import org.conversationarchive.system.InvalidInputException;
import org.conversationarchive.system.NotFoundException;
import org.conversationarchive.system.StorageUnavailableException;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * The one way rules and people change a conversation's flags: each change is kept in its
 * {@code flagHistory}, and the flags it sets stay through clients' writes (see
 * {@link Flag#archiveSet()}).
 * <p>
 * A change reads the conversation (a real-time get), derives the whole document again
 * exactly as a write derives it ({@code flagged}, the export row, {@code tagKeys} and
 * {@code tagPairs}, ...) with {@code updatedAt} now, and writes it conditional on the
 * version read; when another write came first it starts again from that one, so no
 * concurrent append, upload or client write is lost.
 * <p>
 * By default a change answers once it is searchable. A caller that flags many
 * conversations (a rule over history) passes {@code refresh} false to each and calls
 * {@link #refresh()} once at the end, or lets the index's refresh interval make them
 * searchable: a wait for a refresh per conversation would cost each one up to the
 * interval.
 */
@Component
public class ConversationFlags {

	private static final int ATTEMPTS = 10;

	private final ElasticsearchClient client;

	private final Conversations conversations;

	private final ConversationMapper mapper;

	private final ConversationDocuments documents;

	private final DocumentJson documentJson;

	private final ConversationWriter writer;

	private final YearlyIndices yearlyIndices;

	ConversationFlags(ElasticsearchClient client, Conversations conversations, ConversationMapper mapper,
			ConversationDocuments documents, DocumentJson documentJson, ConversationWriter writer,
			YearlyIndices yearlyIndices) {
		this.client = client;
		this.conversations = conversations;
		this.mapper = mapper;
		this.documents = documents;
		this.documentJson = documentJson;
		this.writer = writer;
		this.yearlyIndices = yearlyIndices;
	}

	/**
	 * Adds these flags (each recorded in flagHistory as action "flag") and these tags to
	 * a conversation, answering once the change is searchable. A flag whose ruleId
	 * already appears in the conversation's flagHistory is skipped (a rule never flags a
	 * conversation twice). A flag without {@code at} is given the time of the change. A
	 * tag whose key has another value already gets this one too (the tag becomes a list):
	 * a client's value is never lost.
	 * @param org the org
	 * @param id the conversation id
	 * @param flags the flags, each with its {@code ruleId} (a rule's) or its {@code by}
	 * (a person's): that is what keeps them through clients' writes
	 * @param tags tag key to a value to add
	 * @return whether the conversation changed
	 * @throws NotFoundException when the org has no such conversation
	 * @throws InvalidInputException when a flag's severity is not one of
	 * {@link Flag#SEVERITIES}
	 * @throws IllegalArgumentException when a flag names neither a rule nor a person
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	public boolean flag(String org, String id, List<Flag> flags, Map<String, String> tags) throws IOException {
		return flag(org, id, flags, tags, true);
	}

	/**
	 * {@link #flag(String, String, List, Map)}, waiting for the change to be searchable
	 * or not.
	 * @param org the org
	 * @param id the conversation id
	 * @param flags the flags
	 * @param tags tag key to a value to add
	 * @param refresh whether to answer once the change is searchable; without, it is
	 * within the index's refresh interval, or at the next {@link #refresh()}
	 * @return whether the conversation changed
	 * @throws NotFoundException when the org has no such conversation
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	public boolean flag(String org, String id, List<Flag> flags, Map<String, String> tags, boolean refresh)
			throws IOException {
		for (Flag flag : flags) {
			if (!flag.archiveSet()) {
				// It would be taken for the client's, and gone at the client's next
				// write.
				throw new IllegalArgumentException(
						"a flag set by the archive names its rule (ruleId) or its person (by): " + flag);
			}
			if (flag.severity() != null && !Flag.SEVERITIES.contains(flag.severity())) {
				throw new InvalidInputException(
						"severity '" + flag.severity() + "' is not one of " + String.join(", ", Flag.SEVERITIES));
			}
		}
		return change(org, id, refresh, (document, now) -> {
			List<FlagEvent> history = new ArrayList<>(
					(document.flagHistory() != null) ? document.flagHistory() : List.of());
			Set<String> rules = new HashSet<>();
			history.forEach((event) -> {
				if (event != null && event.ruleId() != null) {
					rules.add(event.ruleId());
				}
			});
			List<Flag> current = new ArrayList<>((document.flags() != null) ? document.flags() : List.of());
			boolean changed = false;
			for (Flag flag : flags) {
				if (flag.ruleId() != null && !rules.add(flag.ruleId())) {
					continue;
				}
				Flag added = (flag.at() != null) ? flag : new Flag(flag.reason(), flag.source(), flag.severity(),
						flag.ruleId(), flag.ruleName(), flag.by(), now);
				current.add(added);
				history.add(new FlagEvent(FlagAction.FLAG, added.reason(), added.source(), added.severity(),
						added.ruleId(), added.ruleName(), added.by(), added.at()));
				changed = true;
			}
			Map<String, Object> tagged = withTags(document.tags(), tags);
			if (!changed && tagged == null) {
				return null;
			}
			return new Change(document.flagged(), current, (tagged != null) ? tagged : document.tags(), history);
		}) != null;
	}

	/**
	 * Removes the flags that match (recording an "unflag" event per removed flag with
	 * this reason and by, and the removed flag's source, severity and rule), answering
	 * once the change is searchable. A conversation left without flags is no longer
	 * flagged.
	 * @param org the org
	 * @param id the conversation id
	 * @param which the flags to remove
	 * @param reason why they are removed
	 * @param by who removes them
	 * @return how many were removed
	 * @throws NotFoundException when the org has no such conversation
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	public int unflag(String org, String id, Predicate<Flag> which, @Nullable String reason, @Nullable String by)
			throws IOException {
		return unflag(org, id, which, reason, by, true);
	}

	/**
	 * {@link #unflag(String, String, Predicate, String, String)}, waiting for the change
	 * to be searchable or not.
	 * @param org the org
	 * @param id the conversation id
	 * @param which the flags to remove
	 * @param reason why they are removed
	 * @param by who removes them
	 * @param refresh whether to answer once the change is searchable
	 * @return how many were removed
	 * @throws NotFoundException when the org has no such conversation
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	public int unflag(String org, String id, Predicate<Flag> which, @Nullable String reason, @Nullable String by,
			boolean refresh) throws IOException {
		int[] removed = new int[1];
		change(org, id, refresh, (document, now) -> {
			removed[0] = 0;
			List<Flag> kept = new ArrayList<>();
			List<FlagEvent> history = new ArrayList<>(
					(document.flagHistory() != null) ? document.flagHistory() : List.of());
			for (Flag flag : (document.flags() != null) ? document.flags() : List.<Flag>of()) {
				if (flag != null && which.test(flag)) {
					removed[0]++;
					history.add(new FlagEvent(FlagAction.UNFLAG, reason, flag.source(), flag.severity(), flag.ruleId(),
							flag.ruleName(), by, now));
				}
				else {
					kept.add(flag);
				}
			}
			if (removed[0] == 0) {
				return null;
			}
			// Its flags were why it was flagged: without any, it is not.
			return new Change(!kept.isEmpty(), kept.isEmpty() ? null : kept, document.tags(), history);
		});
		return removed[0];
	}

	/**
	 * Makes every change made without a refresh so far searchable: one refresh of the
	 * conversation indices.
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	public void refresh() throws IOException {
		this.writer.refresh(this.yearlyIndices.current());
	}

	/**
	 * The tags with values added, a value to a key that has another becoming one more of
	 * a list.
	 * @return the new tags, or {@code null} when they have every value already
	 */
	private static @Nullable Map<String, Object> withTags(@Nullable Map<String, Object> tags,
			Map<String, String> added) {
		Map<String, Object> result = new LinkedHashMap<>((tags != null) ? tags : Map.of());
		boolean changed = false;
		for (Map.Entry<String, String> tag : added.entrySet()) {
			Object existing = result.get(tag.getKey());
			String value = tag.getValue();
			if (existing == null) {
				result.put(tag.getKey(), value);
				changed = true;
			}
			else if (existing instanceof List<?> values) {
				if (!values.contains(value)) {
					List<Object> more = new ArrayList<>(values);
					more.add(value);
					result.put(tag.getKey(), more);
					changed = true;
				}
			}
			else if (!Objects.equals(existing, value)) {
				result.put(tag.getKey(), new ArrayList<>(List.of(existing, value)));
				changed = true;
			}
		}
		return changed ? result : null;
	}

	/**
	 * Writes the change a function makes of the stored document, again on the current
	 * version whenever another write came first.
	 * @return the change written, or {@code null} when there was none to write
	 */
	private @Nullable Change change(String org, String id, boolean refresh, ChangeOf change) throws IOException {
		@Nullable Change tried = null;
		@Nullable String token = null;
		for (int attempt = 1;; attempt++) {
			StoredConversation stored = this.conversations.find(org, id)
				.orElseThrow(() -> new NotFoundException("no conversation '" + id + "'"));
			ConversationDocument document = stored.document();
			if (token != null && token.equals(document.writeToken())) {
				// The write refused (409) was this change's own, sent again (the client
				// on another node, or Elasticsearch after a primary failed) once the
				// first try had stored it: made once, not again. That try's wait for
				// the refresh was lost with its answer.
				if (refresh) {
					this.writer.refresh(List.of(stored.index()));
				}
				return tried;
			}
			Instant now = Instant.now();
			Change made = change.of(document, now);
			if (made == null) {
				return null;
			}
			Conversation conversation = this.mapper.withFlags(this.mapper.toConversation(document, null),
					made.flagged(), made.flags(), made.tags());
			tried = made;
			token = WriteTokens.next();
			ConversationDocument updated = this.documents.of(org, conversation, document.contactConversationCount(),
					document.contactDailyRank(), document.audio(), document.artifacts(), made.history(), now, token);
			// Written as every other write of a whole document writes it.
			BinaryData source = BinaryData.of(this.documentJson.bytes(updated), ContentType.APPLICATION_JSON);
			try {
				this.client.index((index) -> index.index(stored.index())
					.id(updated.documentId())
					.routing(org)
					.ifSeqNo(stored.seqNo())
					.ifPrimaryTerm(stored.primaryTerm())
					.refresh(refresh ? Refresh.WaitFor : Refresh.False)
					.document(source));
				return made;
			}
			catch (ElasticsearchException ex) {
				if (ex.status() != 409) {
					throw ex;
				}
				if (attempt == ATTEMPTS) {
					throw new StorageUnavailableException(
							"conversation '" + id + "' kept changing while its flags were changed", ex);
				}
			}
		}
	}

	/**
	 * A change of a document's flags.
	 */
	@FunctionalInterface
	private interface ChangeOf {

		/**
		 * @param document the stored document
		 * @param now the time of the change
		 * @return the change, or {@code null} for none
		 */
		@Nullable Change of(ConversationDocument document, Instant now);

	}

	/**
	 * What a change writes: {@code flagged} as the client would have sent it (a write
	 * derives it from the flags again).
	 */
	private record Change(@Nullable Boolean flagged, @Nullable List<Flag> flags, @Nullable Map<String, Object> tags,
			List<FlagEvent> history) {
	}

}
