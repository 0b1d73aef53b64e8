package org.conversationarchive.security;

import org.conversationarchive.system.ForbiddenException;

/**
 * Who the current request acts for: an org, a user (or API key) in it, and a role.
 * Modules ask this rather than the security framework, so that every rule about who may
 * do what reads the same way.
 */
public interface CurrentUser extends CurrentOrg {

	/**
	 * A stable id of the person or key, for owned things such as private views.
	 * @return the user id
	 */
	String userId();

	/**
	 * The caller's role.
	 * @return the role
	 */
	Role role();

	/**
	 * Whether the caller may do what a role allows.
	 * @param needed the role needed
	 * @return whether the caller's role includes it
	 */
	default boolean can(Role needed) {
		return role().includes(needed);
	}

	/**
	 * Refuses the request ({@code 403}) unless the caller may do what a role allows.
	 * @param needed the role needed
	 * @param action what the caller tried, for the message
	 */
	default void require(Role needed, String action) {
		if (!can(needed)) {
			throw new ForbiddenException(
					"the " + role().json() + " role may not " + action + "; it needs the " + needed.json() + " role");
		}
	}

}
