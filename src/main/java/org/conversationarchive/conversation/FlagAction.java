package org.conversationarchive.conversation;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What an event of a conversation's flag history did: set a flag, or remove one.
 */
public enum FlagAction {

	FLAG, UNFLAG;

	@JsonValue
	public String json() {
		return JsonEnum.json(this);
	}

	@JsonCreator
	public static FlagAction of(String value) {
		return JsonEnum.parse(FlagAction.class, value, "flagHistory.action");
	}

}
