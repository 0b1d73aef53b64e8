package org.conversationarchive.security;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a caller may do. The people roles build on each other: an analyst can do what a
 * viewer can, a manager what an analyst can, an admin everything; {@code ingest} is for
 * machines that only write conversations.
 */
public enum Role {

	/**
	 * Reads conversations, views and facets.
	 */
	VIEWER,

	/**
	 * Also exports, saves private views and downloads audio.
	 */
	ANALYST,

	/**
	 * Also saves views for the whole org, sets its default view, schedules exports.
	 */
	MANAGER,

	/**
	 * Also deletes, manages API keys and uploads.
	 */
	ADMIN,

	/**
	 * Only writes conversations (ingest API).
	 */
	INGEST;

	/**
	 * Whether a caller with this role may do what {@code needed} allows.
	 * @param needed the role an action needs
	 * @return whether this role includes it
	 */
	public boolean includes(Role needed) {
		if (this == INGEST || needed == INGEST) {
			return this == needed || this == ADMIN;
		}
		return ordinal() >= needed.ordinal();
	}

	@JsonValue
	public String json() {
		return name().toLowerCase(Locale.ROOT);
	}

	@JsonCreator
	public static Role of(String value) {
		for (Role role : values()) {
			if (role.json().equalsIgnoreCase(value.trim())) {
				return role;
			}
		}
		throw new IllegalArgumentException(
				"unknown role '" + value + "'; expected one of viewer, analyst, manager, admin, ingest");
	}

}
