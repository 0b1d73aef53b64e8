package org.conversationarchive.ingest;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.io.output.DeferredFileOutputStream;
import org.conversationarchive.conversation.Conversation;
import org.conversationarchive.conversation.Conversation.Message;
import org.conversationarchive.conversation.ConversationWriter;
import org.conversationarchive.conversation.Conversations;
import org.conversationarchive.conversation.Written;
import org.conversationarchive.security.CurrentOrg;
import org.conversationarchive.system.InvalidInputException;
import org.conversationarchive.system.StorageUnavailableException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Writing conversations: one (upsert), many (NDJSON bulk), messages appended to a live
 * one, and deleting one.
 */
@RestController
@RequestMapping("/api/v1/conversations")
class IngestController {

	static final String NDJSON = "application/x-ndjson";

	/** The most of a bulk answer kept in memory while the body is read. */
	static final int RESULTS_IN_MEMORY = 1024 * 1024;

	private final ConversationWriter writer;

	private final ConversationValidator validator;

	private final BulkIngest bulk;

	private final Conversations conversations;

	private final CurrentOrg org;

	private final JsonMapper json;

	IngestController(ConversationWriter writer, ConversationValidator validator, BulkIngest bulk,
			Conversations conversations, CurrentOrg org, JsonMapper json) {
		this.writer = writer;
		this.validator = validator;
		this.bulk = bulk;
		this.conversations = conversations;
		this.org = org;
		this.json = json;
	}

	/**
	 * Creates or replaces one conversation; answers once it is stored and searchable.
	 */
	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Conversation> upsert(@RequestBody Conversation conversation) throws IOException {
		String problem = this.validator.problem(conversation);
		if (problem != null) {
			throw new InvalidInputException(problem);
		}
		String org = this.org.id();
		Written written = this.writer.upsert(org, List.of(conversation), true).get(0);
		if (written.status() == 503) {
			throw new StorageUnavailableException(String.valueOf(written.error()), null);
		}
		if (!written.stored()) {
			throw new InvalidInputException(String.valueOf(written.error()));
		}
		Conversation stored = this.conversations.toApi(this.conversations.find(org, conversation.id())
			.orElseThrow(() -> new IllegalStateException("conversation just written is not found"))
			.document());
		return (written.status() == 201)
				? ResponseEntity.created(URI.create("/api/v1/conversations/" + conversation.id())).body(stored)
				: ResponseEntity.ok(stored);
	}

	/**
	 * Upserts NDJSON, one conversation a line, read as a stream: answers {@code {"items":
	 * [{"line", "id", "status", "error"}…], …}} with one item per non-blank line, in
	 * order, once the whole body is read.
	 * <p>
	 * The items wait for the end of the body (in memory up to {@link #RESULTS_IN_MEMORY},
	 * then in a temporary file): most HTTP clients send the whole body before they read
	 * any of the answer, so items written meanwhile would fill the socket's buffers until
	 * both sides waited on each other.
	 */
	@PostMapping(path = "/_bulk", consumes = NDJSON)
	void bulk(HttpServletRequest request, HttpServletResponse response,
			@RequestParam(defaultValue = "false") boolean refresh) throws IOException {
		String org = this.org.id();
		long started = System.nanoTime();
		Summary summary = new Summary();
		DeferredFileOutputStream items = DeferredFileOutputStream.builder()
			.setThreshold(RESULTS_IN_MEMORY)
			.setPrefix("bulk-items-")
			.setSuffix(".json")
			.get();
		try {
			JsonGenerator[] generator = new JsonGenerator[1];
			try {
				this.bulk.ingest(org, request.getInputStream(), refresh, (results) -> {
					if (generator[0] == null) {
						generator[0] = this.json.createGenerator(items);
						generator[0].writeStartObject();
						generator[0].writeArrayPropertyStart("items");
					}
					for (BulkIngest.LineResult result : results) {
						summary.count(result.written());
						generator[0].writeStartObject();
						generator[0].writeNumberProperty("line", result.line());
						generator[0].writeStringProperty("id", result.written().id());
						generator[0].writeNumberProperty("status", result.written().status());
						if (result.written().error() != null) {
							generator[0].writeStringProperty("error", result.written().error());
						}
						generator[0].writeEndObject();
					}
				});
			}
			catch (StorageUnavailableException ex) {
				// Asked to answer once everything stored is searchable, it cannot answer
				// as if it were: the whole request is resent (lines replace, never
				// duplicate).
				if (generator[0] == null || refresh) {
					throw ex;
				}
			}
			JsonGenerator end = generator[0];
			end.writeEndArray();
			end.writeNumberProperty("took", (System.nanoTime() - started) / 1_000_000);
			end.writeNumberProperty("created", summary.created);
			end.writeNumberProperty("replaced", summary.replaced);
			end.writeNumberProperty("failed", summary.failed);
			end.writeBooleanProperty("errors", summary.failed > 0);
			end.writeEndObject();
			end.close();
			response.setStatus(200);
			response.setContentType(MediaType.APPLICATION_JSON_VALUE);
			response.setContentLengthLong(items.getByteCount());
			OutputStream out = response.getOutputStream();
			items.writeTo(out);
			out.flush();
		}
		finally {
			items.close();
			if (!items.isInMemory()) {
				Files.deleteIfExists(items.getPath());
			}
		}
	}

	/**
	 * Appends messages (a JSON array) to a conversation; a message it already has is not
	 * added twice.
	 */
	@PostMapping(path = "/{id}/messages", consumes = MediaType.APPLICATION_JSON_VALUE)
	Conversation append(@PathVariable String id, @RequestBody List<Message> messages) throws IOException {
		String org = this.org.id();
		String problem = this.validator.messagesProblem(messages);
		if (problem != null) {
			throw new InvalidInputException(problem);
		}
		return this.writer.append(org, id, messages, this.validator::problem);
	}

	/**
	 * Deletes a conversation with its audio and artifacts.
	 */
	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(@PathVariable String id) throws IOException {
		this.writer.delete(this.org.id(), id);
		return ResponseEntity.noContent().build();
	}

	private static final class Summary {

		long created;

		long replaced;

		long failed;

		void count(Written written) {
			switch (written.status()) {
				case 201 -> this.created++;
				case 200 -> this.replaced++;
				default -> this.failed++;
			}
		}

	}

}
