package org.conversationarchive.web;

import java.io.IOException;

import org.conversationarchive.search.ConversationSearch;
import org.conversationarchive.security.CurrentUser;
import org.conversationarchive.security.Role;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The org's AI agents, each with the years of its conversations, from which a year's
 * history is exported as a zip of CSV (through the history-exports API, from the page's
 * script).
 */
@Controller
class AgentsPage {

	static final int MAX_AGENTS = 1000;

	private final ConversationSearch search;

	private final CurrentUser user;

	AgentsPage(ConversationSearch search, CurrentUser user) {
		this.search = search;
		this.user = user;
	}

	@GetMapping("/agents")
	String agents(Model model) throws IOException {
		this.user.require(Role.VIEWER, "read conversations");
		model.addAttribute("agents", this.search.agents(this.user.id(), MAX_AGENTS));
		return "agents";
	}

}
