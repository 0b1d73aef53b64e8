package org.conversationarchive.web;

import org.conversationarchive.security.CurrentUser;
import org.conversationarchive.security.Role;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The conversations happening now and the inbox of those waiting for a human. The pages
 * give their markup; their script follows the live stream and acts through the live and
 * inbox APIs, so the rules of who may do what stay in one place.
 */
@Controller
class LivePages {

	private final CurrentUser user;

	LivePages(CurrentUser user) {
		this.user = user;
	}

	@GetMapping("/live")
	String live() {
		this.user.require(Role.VIEWER, "watch live conversations");
		return "live";
	}

	@GetMapping("/inbox")
	String inbox() {
		this.user.require(Role.VIEWER, "read the inbox");
		return "inbox";
	}

}
