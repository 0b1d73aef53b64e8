package org.conversationarchive.conversation;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.conversationarchive.conversation.Conversation.Artifact;
import org.conversationarchive.conversation.Conversation.Audio;
import org.conversationarchive.conversation.Conversation.Flag;
import org.conversationarchive.conversation.Conversation.FlagEvent;
import org.jspecify.annotations.Nullable;
import org.mapstruct.Mapper;
import org.mapstruct.Mapping;

/**
 * Between the API's conversation and the indexed document.
 */
@Mapper(imports = Derivations.class)
public interface ConversationMapper {

	/**
	 * The document for a conversation a client sent, with the derived fields computed and
	 * the attachments the archive already holds for it kept.
	 * @param org the org it belongs to
	 * @param conversation as received (valid)
	 * @param storedContactCount the contact's conversation count as stored on documents
	 * @param contactDailyRank its rank among the contact's conversations of the 24 hours
	 * up to its start, as known now
	 * @param audio the recording already attached, if any
	 * @param artifacts the artifacts already attached, if any
	 * @param flagHistory the flag history already kept, if any
	 * @param updatedAt when it was written
	 * @param language its language ({@link Languages#of})
	 * @param writeToken the token of the write that stores it
	 * @return the document
	 */
	@Mapping(target = "org", source = "org")
	@Mapping(target = "messages", expression = "java(Derivations.indexedMessages(conversation, language))")
	@Mapping(target = "language", source = "language")
	@Mapping(target = "writeToken", source = "writeToken")
	@Mapping(target = "lastMessageAt", expression = "java(Derivations.lastMessageAt(conversation.messages()))")
	@Mapping(target = "durationSeconds", expression = "java(Derivations.durationSeconds(conversation))")
	@Mapping(target = "functions", expression = "java(Derivations.functions(conversation.messages()))")
	@Mapping(target = "liveAgentHandled", expression = "java(Derivations.liveAgentHandled(conversation))")
	@Mapping(target = "contactConversationCount", source = "storedContactCount")
	@Mapping(target = "audio", source = "audio")
	@Mapping(target = "artifacts", source = "artifacts")
	@Mapping(target = "flagHistory", source = "flagHistory")
	@Mapping(target = "flagged", expression = "java(Derivations.flagged(conversation.flagged(), conversation.flags()))")
	// The maps as received, not copied: neither the conversation nor the document changes
	// them.
	@Mapping(target = "tags", expression = "java(conversation.tags())")
	@Mapping(target = "parameters", expression = "java(conversation.parameters())")
	@Mapping(target = "tagKeys", expression = "java(Derivations.tagKeys(conversation.tags()))")
	@Mapping(target = "tagPairs", expression = "java(Derivations.tagPairs(conversation.tags()))")
	@Mapping(target = "updatedAt", source = "updatedAt")
	@Mapping(target = "exportRow", ignore = true)
	@Mapping(target = "messageCount", expression = "java(Derivations.messageCount(conversation.messages()))")
	@Mapping(target = "parameterKeys", expression = "java(Derivations.parameterKeys(conversation.parameters()))")
	@Mapping(target = "emotionScores", expression = "java(Derivations.emotionScores(conversation.sentiment()))")
	@Mapping(target = "signals", expression = "java(Derivations.signals(conversation.messages(), contactDailyRank))")
	@Mapping(target = "exitNode", expression = "java(Derivations.exitNode(conversation.messages()))")
	@Mapping(target = "flowPath", expression = "java(Derivations.flowPath(conversation.messages()))")
	@Mapping(target = "flowEdges", expression = "java(Derivations.flowEdges(conversation.messages()))")
	ConversationDocument toDocument(String org, Conversation conversation, @Nullable Integer storedContactCount,
			@Nullable Integer contactDailyRank, @Nullable Audio audio, @Nullable List<Artifact> artifacts,
			@Nullable List<FlagEvent> flagHistory, Instant updatedAt, @Nullable String language,
			@Nullable String writeToken);

	/**
	 * The conversation the API shows for a document.
	 * @param document the indexed document
	 * @param contactConversationCount the contact's exact conversation count
	 * @return the conversation
	 */
	@Mapping(target = "contactConversationCount", source = "contactConversationCount")
	@Mapping(target = "messages", expression = "java(document.messages() != null ? document.transcript() : null)")
	Conversation toConversation(ConversationDocument document, @Nullable Integer contactConversationCount);

	/**
	 * The same conversation with another transcript.
	 * @param conversation the conversation
	 * @param messages its new messages
	 * @return a copy with those messages
	 */
	@Mapping(target = "messages", source = "messages")
	Conversation withMessages(Conversation conversation, List<Conversation.Message> messages);

	/**
	 * The same conversation with other flags and tags.
	 * @param conversation the conversation
	 * @param flagged whether it is flagged
	 * @param flags its flags
	 * @param tags its tags
	 * @return a copy with those
	 */
	@Mapping(target = "flagged", source = "flagged")
	@Mapping(target = "flags", source = "flags")
	@Mapping(target = "tags", source = "tags")
	Conversation withFlags(Conversation conversation, @Nullable Boolean flagged, @Nullable List<Flag> flags,
			@Nullable Map<String, Object> tags);

	/**
	 * The same conversation with other artifacts.
	 * @param conversation the conversation
	 * @param artifacts its artifacts
	 * @return a copy with those artifacts
	 */
	@Mapping(target = "artifacts", source = "artifacts")
	Conversation withArtifacts(Conversation conversation, @Nullable List<Artifact> artifacts);

	/**
	 * The same artifact with a link to it.
	 * @param artifact the artifact
	 * @param url where the API serves it
	 * @return a copy with that link
	 */
	@Mapping(target = "url", source = "url")
	Artifact withUrl(Artifact artifact, @Nullable String url);

}
