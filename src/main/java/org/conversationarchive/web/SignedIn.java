package org.conversationarchive.web;

import org.conversationarchive.security.CurrentUser;
import org.conversationarchive.security.Role;
import org.jspecify.annotations.Nullable;

/**
 * Who is signed in, as the layout shows it and as the pages decide what to offer: a
 * button the role may not use is not shown (the API refuses it anyway).
 *
 * @param org the org
 * @param userId the user, or the API key's id
 * @param role the role
 */
record SignedIn(String org, String userId, Role role) {

	static @Nullable SignedIn of(CurrentUser user) {
		try {
			return new SignedIn(user.id(), user.userId(), user.role());
		}
		catch (IllegalStateException ex) {
			// Not signed in: the sign-in page and errors before it.
			return null;
		}
	}

	public boolean analyst() {
		return this.role.includes(Role.ANALYST);
	}

	public boolean manager() {
		return this.role.includes(Role.MANAGER);
	}

	public boolean admin() {
		return this.role.includes(Role.ADMIN);
	}

	public String roleName() {
		return this.role.json();
	}

}
