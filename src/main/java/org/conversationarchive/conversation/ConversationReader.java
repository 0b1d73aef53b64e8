package org.conversationarchive.conversation;

import org.conversationarchive.conversation.index.FastConversationReader;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Reads a conversation as clients send it: lines of the usual form without binding,
 * anything else through binding, which also says what is wrong with a bad line.
 */
@Component
public class ConversationReader {

	private final JsonMapper json;

	private final FastConversationReader fast;

	ConversationReader(JsonMapper json) {
		this.json = json;
		this.fast = new FastConversationReader(json);
	}

	/**
	 * Reads one conversation.
	 * @param json its UTF-8 JSON
	 * @return the conversation, or {@code null} for a JSON null
	 * @throws JacksonException naming what is wrong with it
	 */
	public @Nullable Conversation read(byte[] json) throws JacksonException {
		Conversation conversation = this.fast.read(json);
		return (conversation != null) ? conversation : this.json.readValue(json, Conversation.class);
	}

}
