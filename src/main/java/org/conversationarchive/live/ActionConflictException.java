package org.conversationarchive.live;

import org.conversationarchive.system.ConflictException;

/**
 * An action, claim or release that does not apply to the conversation now.
 */
class ActionConflictException extends ConflictException {

	ActionConflictException(String detail) {
		super(detail);
	}

	static ActionConflictException held(Holds.Hold hold) {
		String how = switch (hold.kind()) {
			case Holds.TAKE_OVER -> "took it over";
			case Holds.CLAIM -> "claimed it";
			default -> "was assigned it";
		};
		return new ActionConflictException("'" + hold.holder() + "' holds the conversation (" + how + " at "
				+ hold.since() + "): only they reply, hand it back or end it");
	}

}
