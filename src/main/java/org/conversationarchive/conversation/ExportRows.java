package org.conversationarchive.conversation;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.conversationarchive.conversation.Conversation.Contact;
import org.conversationarchive.conversation.Conversation.Ref;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * The fields a table export writes, kept a second time in each conversation document as
 * binary doc values ({@code exportRow}): reading a million of them that way skips loading
 * and parsing each whole source, messages included, which is what limits an export read
 * from {@code _source} (see bench/README.md). Every write of a whole document adds it;
 * the partial updates of the contact-count upkeep and of attachments keep it, since it
 * holds none of the fields they change.
 */
@Component
public class ExportRows {

	/**
	 * The document fields in an export row, and what an export reads from the source of a
	 * document written before rows existed.
	 */
	public static final List<String> FIELDS = List.of("id", "platform", "contact", "status", "flow", "durationSeconds",
			"lastMessageAt", "startedAt", "flagged", "functions", "parameters", "tags");

	/**
	 * The doc values field.
	 */
	public static final String FIELD = "exportRow";

	private final JsonMapper json;

	ExportRows(JsonMapper json) {
		this.json = json;
	}

	/**
	 * The document with its export row.
	 * @param document a whole document about to be written
	 * @return the same document, its row added
	 */
	public ConversationDocument attach(ConversationDocument document) {
		Row row = new Row(document.id(), document.platform(), document.contact(), document.status(), document.flow(),
				document.durationSeconds(), document.lastMessageAt(), document.startedAt(), document.flagged(),
				document.functions(), document.parameters(), document.tags());
		return withRow(document, Base64.getEncoder().encodeToString(this.json.writeValueAsBytes(row)));
	}

	private static ConversationDocument withRow(ConversationDocument d, String row) {
		return new ConversationDocument(d.org(), d.id(), d.platform(), d.pointOfContact(), d.contact(), d.direction(),
				d.environment(), d.status(), d.flow(), d.agent(), d.liveAgents(), d.voice(), d.startedAt(), d.endedAt(),
				d.flagged(), d.flags(), d.tags(), d.parameters(), d.sentiment(), d.reason(), d.summary(), d.analysis(),
				d.messages(), d.durationSeconds(), d.lastMessageAt(), d.functions(), d.liveAgentHandled(),
				d.contactConversationCount(), d.audio(), d.artifacts(), d.tagKeys(), d.tagPairs(), d.updatedAt(), row);
	}

	/**
	 * A document holding the fields of an export row.
	 * @param row the row as Elasticsearch returns binary doc values (base64)
	 * @return the document, with the row's fields only
	 */
	public ConversationDocument read(String row) {
		return this.json.readValue(Base64.getDecoder().decode(row), ConversationDocument.class);
	}

	/**
	 * The row's fields, named as in the document so that a row reads as one.
	 */
	record Row(String id, Platform platform, @Nullable Contact contact, @Nullable Status status, @Nullable Ref flow,
			@Nullable Long durationSeconds, @Nullable Instant lastMessageAt, Instant startedAt,
			@Nullable Boolean flagged, @Nullable List<String> functions, @Nullable Map<String, String> parameters,
			@Nullable Map<String, Object> tags) {
	}

}
