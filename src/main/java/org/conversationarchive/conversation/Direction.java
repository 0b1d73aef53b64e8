package org.conversationarchive.conversation;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Who started the conversation: the customer (inbound) or the company (outbound).
 */
public enum Direction {

	INBOUND, OUTBOUND;

	@JsonValue
	public String json() {
		return JsonEnum.json(this);
	}

	@JsonCreator
	public static Direction of(String value) {
		return JsonEnum.parse(Direction.class, value, "direction");
	}

}
