package org.conversationarchive.conversation;

import java.io.IOException;

import org.conversationarchive.system.CurrentOrg;
import org.conversationarchive.system.NotFoundException;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * One conversation, whole: transcript, function calls, metadata and derived fields.
 */
@RestController
@RequestMapping("/api/v1/conversations")
class ConversationController {

	private final Conversations conversations;

	private final CurrentOrg org;

	ConversationController(Conversations conversations, CurrentOrg org) {
		this.conversations = conversations;
		this.org = org;
	}

	@GetMapping("/{id}")
	Conversation conversation(@PathVariable String id) throws IOException {
		StoredConversation stored = this.conversations.find(this.org.id(), id)
			.orElseThrow(() -> new NotFoundException("no conversation '" + id + "'"));
		return this.conversations.toApi(stored.document());
	}

}
