package org.conversationarchive.conversation;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A conversation as the API takes and gives it (see SPEC.md). Only {@code id},
 * {@code platform} and {@code startedAt} are required. The derived fields
 * ({@code durationSeconds}, {@code lastMessageAt}, {@code functions},
 * {@code liveAgentHandled}, {@code contactConversationCount}, {@code signals}), the
 * attachments ({@code audio}, {@code artifacts}) and the {@code flagHistory} are kept by
 * the archive: whatever a client sends in them is ignored. So are the flags the archive
 * set (rules and people, {@link Flag#archiveSet()}): a client's write keeps those stored
 * and ignores any it sends, so that a conversation read and sent back neither loses nor
 * forges them.
 *
 * @param tags key to a string or a list of strings, e.g. {@code "Call Reason": "billing"}
 * @param parameters internal key/values, e.g. account ids
 * @param queue the human queue the conversation waits in (handed off or enqueued), or was
 * answered from, as the agent platform names it
 * @param flowVersion the version of its flow it ran (as published to
 * {@code /api/v1/flows})
 * @param exitNode derived: the flow node of its last message that names one, where the
 * conversation left the flow
 */
public record Conversation(@Nullable String id, @Nullable Platform platform, @Nullable String pointOfContact,
		@Nullable Contact contact, @Nullable Direction direction, @Nullable Environment environment,
		@Nullable Status status, @Nullable Ref flow, @Nullable Ref agent, @Nullable List<Ref> liveAgents,
		@Nullable String voice, @Nullable Instant startedAt, @Nullable Instant endedAt, @Nullable Boolean flagged,
		@Nullable List<Flag> flags, @Nullable Map<String, Object> tags, @Nullable Map<String, String> parameters,
		@Nullable List<Sentiment> sentiment, @Nullable String reason, @Nullable String summary,
		@Nullable String analysis, @Nullable List<Message> messages, @Nullable Long durationSeconds,
		@Nullable Instant lastMessageAt, @Nullable List<String> functions, @Nullable Boolean liveAgentHandled,
		@Nullable Integer contactConversationCount, @Nullable Audio audio, @Nullable List<Artifact> artifacts,
		@Nullable List<FlagEvent> flagHistory, @Nullable Signals signals, @Nullable String queue,
		@Nullable Integer flowVersion, @Nullable String exitNode) {

	/**
	 * Who the conversation was with; {@code id} groups a contact's conversations.
	 */
	public record Contact(@Nullable String id, @Nullable String name, @Nullable String phone, @Nullable String email) {

		/**
		 * What the table and the CSV show as the contact: a name, else a phone number,
		 * else an email address, else the id; blank values are skipped. Not a getter, so
		 * JSON holds only the components.
		 * @return the first of them that is not blank, or {@code null}
		 */
		public @Nullable String display() {
			for (String value : new String[] { this.name, this.phone, this.email, this.id }) {
				if (value != null && !value.isBlank()) {
					return value;
				}
			}
			return null;
		}

	}

	/**
	 * A flow, an agent or a live agent: an id and a display name.
	 */
	public record Ref(@Nullable String id, @Nullable String name) {
	}

	/**
	 * Why a conversation was flagged for review, and by whom.
	 *
	 * @param reason why
	 * @param source what flagged it
	 * @param severity how much it matters, one of {@link #SEVERITIES}
	 * @param ruleId the review rule that flagged it, if one did
	 * @param ruleName that rule's name when it flagged it
	 * @param by the user who flagged it, if a person did
	 * @param at when it was flagged
	 */
	public record Flag(@Nullable String reason, @Nullable FlagSource source, @Nullable String severity,
			@Nullable String ruleId, @Nullable String ruleName, @Nullable String by, @Nullable Instant at) {

		/**
		 * The severities a flag may have, least first.
		 */
		public static final List<String> SEVERITIES = List.of("low", "medium", "high");

		/**
		 * A flag with a reason and a source only, as clients send them.
		 * @param reason why
		 * @param source what flagged it
		 * @return the flag
		 */
		public static Flag of(@Nullable String reason, @Nullable FlagSource source) {
			return new Flag(reason, source, null, null, null, null, null);
		}

		/**
		 * Whether the archive set this flag (a rule or a person, through
		 * {@link ConversationFlags}), rather than the client that sent the conversation.
		 * Not a getter, so JSON holds only the components.
		 * @return whether it names a rule or a user
		 */
		public boolean archiveSet() {
			return this.ruleId != null || this.by != null;
		}

	}

	/**
	 * A change of a conversation's flags, as its {@code flagHistory} keeps it: a flag set
	 * (by a rule or a person), or removed (by a person). An {@code unflag} event carries
	 * the removed flag's source, severity and rule, and the reason and user of its
	 * removal.
	 *
	 * @param action flag or unflag
	 * @param reason why
	 * @param source what the flag came from
	 * @param severity the flag's severity
	 * @param ruleId the rule of the flag, if any
	 * @param ruleName that rule's name at the time
	 * @param by who did it, if a person did
	 * @param at when
	 */
	public record FlagEvent(@Nullable FlagAction action, @Nullable String reason, @Nullable FlagSource source,
			@Nullable String severity, @Nullable String ruleId, @Nullable String ruleName, @Nullable String by,
			@Nullable Instant at) {
	}

	/**
	 * An emotion detected in the conversation, scored 0..1.
	 */
	public record Sentiment(@Nullable String emotion, @Nullable Double score) {
	}

	/**
	 * One message of the transcript. {@code data} is any JSON the channel attached;
	 * {@code flowNode} the node of the conversation's flow the message was produced at.
	 */
	public record Message(@Nullable Instant at, @Nullable SenderType senderType, @Nullable String senderName,
			@Nullable String channel, @Nullable String text, @Nullable Object data, @Nullable FunctionCall function,
			@Nullable String flowNode) {
	}

	/**
	 * A function the agent called, with its arguments and result (any JSON).
	 */
	public record FunctionCall(@Nullable String name, @Nullable Object arguments, @Nullable Object result) {
	}

	/**
	 * The call recording, attached through the media endpoints.
	 */
	public record Audio(@Nullable String contentType, @Nullable Long size, @Nullable Double durationSeconds,
			@Nullable String sha256) {
	}

	/**
	 * A file the agent produced during the conversation, attached through the media
	 * endpoints.
	 *
	 * @param messageIndex the message of the transcript it belongs to, if any
	 * @param uploadedAt when it was attached
	 * @param url where the API serves it; only in answers, never stored (it depends on
	 * where artifacts are served from, see {@link ArtifactLinks})
	 */
	public record Artifact(@Nullable String id, @Nullable String name, @Nullable String contentType,
			@Nullable Long size, @Nullable Integer messageIndex, @Nullable String sha256, @Nullable Instant uploadedAt,
			@Nullable String url) {
	}

	/**
	 * What the archive reads off a conversation for review, the signals QA analysts
	 * filter by (see {@link Derivations#signals}).
	 *
	 * @param turns how many times the speaker changed, plus one: a run of messages by one
	 * sender type is one turn
	 * @param longestSilenceSeconds the longest wait between two consecutive messages, in
	 * whole seconds; {@code null} with fewer than two timed messages
	 * @param failedFunctions the functions whose result reports an error, in the order
	 * they first failed
	 * @param customerRepeats how many of the customer's messages say again what they said
	 * before (letter case, spacing and end punctuation aside)
	 * @param contactDailyRank which of its contact's conversations this is among those
	 * started in the 24 hours up to its start (1: the first); kept current by the archive
	 * within seconds of a write of the contact's conversations
	 */
	public record Signals(@Nullable Integer turns, @Nullable Long longestSilenceSeconds,
			@Nullable List<String> failedFunctions, @Nullable Integer customerRepeats,
			@Nullable Integer contactDailyRank) {
	}

}
