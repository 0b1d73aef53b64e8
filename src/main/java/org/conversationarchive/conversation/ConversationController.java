package org.conversationarchive.conversation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.conversationarchive.security.CurrentOrg;
import org.conversationarchive.system.InvalidInputException;
import org.conversationarchive.system.NotFoundException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * One conversation, whole: transcript, function calls, metadata and derived fields; and
 * its transcript as a download.
 */
@RestController
@RequestMapping("/api/v1/conversations")
class ConversationController {

	private final Conversations conversations;

	private final CurrentOrg org;

	private final JsonMapper json;

	ConversationController(Conversations conversations, CurrentOrg org, JsonMapper json) {
		this.conversations = conversations;
		this.org = org;
		this.json = json;
	}

	@GetMapping("/{id}")
	Conversation conversation(@PathVariable String id) throws IOException {
		return this.conversations.toApi(find(id));
	}

	/**
	 * The transcript for documentation or training data: {@code format=txt} (the default)
	 * or {@code json}, as a download.
	 */
	@GetMapping("/{id}/transcript")
	ResponseEntity<?> transcript(@PathVariable String id, @RequestParam(defaultValue = "txt") String format)
			throws IOException {
		if (!format.equals("txt") && !format.equals("json")) {
			throw new InvalidInputException("parameter format: unknown format '" + format + "'; expected txt or json");
		}
		ConversationDocument document = find(id);
		ContentDisposition disposition = ContentDisposition.attachment().filename(id + "-transcript." + format).build();
		ResponseEntity.BodyBuilder response = ResponseEntity.ok()
			.header(HttpHeaders.CONTENT_DISPOSITION, disposition.toString());
		if (format.equals("json")) {
			return response.contentType(MediaType.APPLICATION_JSON).body(Transcripts.json(document));
		}
		return response.contentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8))
			.body(Transcripts.text(document, this.json));
	}

	private ConversationDocument find(String id) throws IOException {
		return this.conversations.find(this.org.id(), id)
			.orElseThrow(() -> new NotFoundException("no conversation '" + id + "'"))
			.document();
	}

}
