package org.conversationarchive.conversation;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Whether a conversation was real (production) or a test (the seed's "Used For").
 */
public enum Environment {

	PRODUCTION, TEST;

	@JsonValue
	public String json() {
		return JsonEnum.json(this);
	}

	@JsonCreator
	public static Environment of(String value) {
		return JsonEnum.parse(Environment.class, value, "environment");
	}

}
