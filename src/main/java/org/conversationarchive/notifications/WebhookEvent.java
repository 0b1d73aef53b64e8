package org.conversationarchive.notifications;

import java.util.regex.Pattern;

/**
 * An event a module publishes to webhooks ({@link Webhooks#publish}), declared as a bean
 * by the module that publishes it, so that endpoints can subscribe to it by name and the
 * pages list it. An endpoint subscribed to every event ({@code *}) gets undeclared ones
 * too.
 *
 * @param name lower-case words joined by dots, the first naming what it is about, e.g.
 * {@code export.ready}
 * @param description what happened, for the pages and {@code GET /api/v1/webhooks/events}
 */
public record WebhookEvent(String name, String description) {

	static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");

	static final int MAX_NAME = 64;

	public WebhookEvent {
		checkName(name);
	}

	/**
	 * Refuses a name that is not lower-case words joined by dots.
	 * @param name the name
	 * @throws IllegalArgumentException naming it
	 */
	static void checkName(String name) {
		if (name.length() > MAX_NAME || !NAME.matcher(name).matches()) {
			throw new IllegalArgumentException(
					"webhook event '" + name + "' is not lower-case words joined by dots (e.g. export.ready), at most "
							+ MAX_NAME + " characters");
		}
	}

}
