package org.conversationarchive.conversation;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.conversationarchive.conversation.Conversation.Artifact;
import org.conversationarchive.conversation.Conversation.Audio;
import org.conversationarchive.conversation.Conversation.Contact;
import org.conversationarchive.conversation.Conversation.Flag;
import org.conversationarchive.conversation.Conversation.FunctionCall;
import org.conversationarchive.conversation.Conversation.FlagEvent;
import org.conversationarchive.conversation.Conversation.Message;
import org.conversationarchive.conversation.Conversation.Ref;
import org.conversationarchive.conversation.Conversation.Sentiment;
import org.conversationarchive.conversation.Conversation.Signals;
import org.jspecify.annotations.Nullable;

/**
 * A conversation as it is indexed: the API's fields plus its {@code org}, with messages
 * in time order and the derived fields filled in.
 * <p>
 * {@code contactConversationCount} here is exact up to the archive's exact-count limit
 * and holds limit + 1 for every contact with more conversations than that; the exact
 * number of those few busy contacts lives in the contacts index. That keeps the cost of a
 * new conversation bounded however many conversations its contact already has (see
 * docs/architecture.md).
 * <p>
 * {@code exportRow} holds the fields a table export writes, again, as binary doc values:
 * an export reads them without loading and parsing the whole source (see
 * {@link ExportRows}).
 * <p>
 * {@code messageCount}, {@code parameterKeys} and {@code emotionScores} are there for
 * analytics: turns per conversation, the parameter keys (the flattened {@code parameters}
 * aggregate values only), and the sentiment again as nested documents so that each
 * emotion's scores average on their own (in {@code sentiment} a conversation's emotions
 * and scores are flattened together). Documents written before they existed lack them
 * until the conversation is written again.
 * <p>
 * {@code signals.contactDailyRank} is first the writer's estimate (exact for a contact's
 * first conversations, and among conversations written together) and made exact by
 * {@link org.conversationarchive.conversation.index.ContactUpkeep} within seconds.
 * <p>
 * {@code flagHistory} is every flag the archive set or removed
 * ({@link ConversationFlags}), oldest first; client writes keep it as it is.
 * <p>
 * {@code flowPath} lists the flow nodes its messages name, each once in the order first
 * reached, and {@code flowEdges} each step between two successive ones as {@code from>to}
 * ({@link #FLOW_EDGE}): how many conversations passed a node or an edge is then a terms
 * aggregation on a plain field, not one over the nested messages.
 * <p>
 * {@code writeToken} names the write that stored the document (random, one per request to
 * Elasticsearch; kept by appends and index rebuilds), neither indexed nor shown: a
 * request that Elasticsearch or its client sent twice finds its own token where its
 * second try was refused (409), and knows that it made the change itself.
 */
public record ConversationDocument(String org, String id, Platform platform, @Nullable String pointOfContact,
		@Nullable Contact contact, @Nullable Direction direction, @Nullable Environment environment,
		@Nullable Status status, @Nullable Ref flow, @Nullable Ref agent, @Nullable List<Ref> liveAgents,
		@Nullable String voice, Instant startedAt, @Nullable Instant endedAt, @Nullable Boolean flagged,
		@Nullable List<Flag> flags, @Nullable Map<String, Object> tags, @Nullable Map<String, String> parameters,
		@Nullable List<Sentiment> sentiment, @Nullable String reason, @Nullable String summary,
		@Nullable String analysis, @Nullable List<IndexedMessage> messages, @Nullable Long durationSeconds,
		@Nullable Instant lastMessageAt, @Nullable List<String> functions, @Nullable Boolean liveAgentHandled,
		@Nullable Integer contactConversationCount, @Nullable Audio audio, @Nullable List<Artifact> artifacts,
		@Nullable List<FlagEvent> flagHistory, @Nullable List<String> tagKeys, @Nullable List<String> tagPairs,
		@Nullable Instant updatedAt, @Nullable String exportRow, @Nullable Integer messageCount,
		@Nullable List<String> parameterKeys, @Nullable List<Sentiment> emotionScores, @Nullable Signals signals,
		@Nullable String queue, @Nullable String language, @Nullable String writeToken, @Nullable Integer flowVersion,
		@Nullable String exitNode, @Nullable List<String> flowPath, @Nullable List<String> flowEdges) {

	/**
	 * Between a tag's key and value in {@code tagPairs}.
	 */
	public static final char TAG_SEPARATOR = '\u001f';

	/**
	 * Between the nodes of a step in {@code flowEdges}; node ids never hold it.
	 */
	public static final char FLOW_EDGE = '>';

	/**
	 * The document's {@code _id}: the org and the conversation id, so the same id in two
	 * orgs is two conversations.
	 * @param org the org
	 * @param id the conversation id
	 * @return the document id
	 */
	public static String documentId(String org, String id) {
		return org + ":" + id;
	}

	/**
	 * A message as it is indexed: as sent, with where it falls in the call and its words
	 * once more for the stemmer of the conversation's language.
	 *
	 * @param offsetSeconds seconds from the conversation's start to the message
	 * @param secondsToEnd seconds from the message to the conversation's end (to its last
	 * message while it has none)
	 * @param stems the text again, under the code of the conversation's language when the
	 * archive stems that language ({@link Languages#STEMMED}); each language's field has
	 * its own analyzer, and a document can pick none
	 */
	public record IndexedMessage(@Nullable Instant at, @Nullable SenderType senderType, @Nullable String senderName,
			@Nullable String channel, @Nullable String text, @Nullable Object data, @Nullable FunctionCall function,
			@Nullable String flowNode, @Nullable Double offsetSeconds, @Nullable Double secondsToEnd,
			@Nullable Map<String, String> stems) {

		/**
		 * The message as the API shows it.
		 * @return the message
		 */
		public Message message() {
			return new Message(this.at, this.senderType, this.senderName, this.channel, this.text, this.data,
					this.function, this.flowNode);
		}

	}

	/**
	 * The transcript as the API shows it.
	 * @return the messages, empty when there are none
	 */
	public List<Message> transcript() {
		return (this.messages != null) ? this.messages.stream().map(IndexedMessage::message).toList() : List.of();
	}

	public String documentId() {
		return documentId(this.org, this.id);
	}

	public @Nullable String contactId() {
		return (this.contact != null) ? this.contact.id() : null;
	}

	/**
	 * Its rank among its contact's conversations of the 24 hours up to its start, as
	 * stored.
	 * @return the rank, or {@code null} when not known
	 */
	public @Nullable Integer contactDailyRank() {
		return (this.signals != null) ? this.signals.contactDailyRank() : null;
	}

}
