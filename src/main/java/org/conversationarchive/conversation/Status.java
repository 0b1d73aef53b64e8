package org.conversationarchive.conversation;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How a conversation ended (or that it is still going).
 */
public enum Status {

	COMPLETED, ABANDONED, FAILED, HUMAN_HANDOFF, IN_PROGRESS, REPORTED, RESTARTED, UNSUBSCRIBED, NO_ANSWER,
	VOICEMAIL_MESSAGE_LEFT, VOICEMAIL_NO_MESSAGE_LEFT;

	@JsonValue
	public String json() {
		return JsonEnum.json(this);
	}

	@JsonCreator
	public static Status of(String value) {
		return JsonEnum.parse(Status.class, value, "status");
	}

}
