package org.conversationarchive.views;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.conversationarchive.conversation.JsonEnum;

/**
 * Who sees a view: its owner only, or everyone in the org.
 */
enum Scope {

	PRIVATE, ORG;

	@JsonValue
	String json() {
		return JsonEnum.json(this);
	}

	@JsonCreator
	static Scope of(String value) {
		return JsonEnum.parse(Scope.class, value, "scope");
	}

}
