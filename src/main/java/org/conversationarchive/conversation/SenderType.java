package org.conversationarchive.conversation;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Who sent a message.
 */
public enum SenderType {

	USER, AGENT, HUMAN_AGENT, SYSTEM, FUNCTION, COACHING;

	@JsonValue
	public String json() {
		return JsonEnum.json(this);
	}

	@JsonCreator
	public static SenderType of(String value) {
		return JsonEnum.parse(SenderType.class, value, "senderType");
	}

}
