package org.conversationarchive.conversation;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The channel a conversation happened on.
 */
public enum Platform {

	VOICE, SMS, WEB, EMAIL, SLACK, WHATSAPP, HUMAN_PHONE;

	@JsonValue
	public String json() {
		return JsonEnum.json(this);
	}

	@JsonCreator
	public static Platform of(String value) {
		return JsonEnum.parse(Platform.class, value, "platform");
	}

}
