package org.conversationarchive.conversation;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Who flagged a conversation for review.
 */
public enum FlagSource {

	REVIEW_AGENT, RULE, USER;

	@JsonValue
	public String json() {
		return JsonEnum.json(this);
	}

	@JsonCreator
	public static FlagSource of(String value) {
		return JsonEnum.parse(FlagSource.class, value, "flags.source");
	}

}
