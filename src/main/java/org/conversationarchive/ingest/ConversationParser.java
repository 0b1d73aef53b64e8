package org.conversationarchive.ingest;

import org.conversationarchive.conversation.Conversation;
import org.conversationarchive.conversation.ConversationReader;
import org.conversationarchive.system.JsonProblems;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Reads one NDJSON line as a conversation and checks it, or says what is wrong with it.
 */
@Component
class ConversationParser {

	private final ConversationValidator validator;

	private final IngestSettings settings;

	private final JsonMapper json;

	private final ConversationReader reader;

	ConversationParser(ConversationValidator validator, IngestSettings settings, JsonMapper json,
			ConversationReader reader) {
		this.validator = validator;
		this.settings = settings;
		this.json = json;
		this.reader = reader;
	}

	Parsed parse(NdjsonLines.Line line) {
		if (line.oversized()) {
			return new Parsed(null, null, 413, "line is " + line.size() + " bytes; at most "
					+ this.settings.maxLineSize().toBytes() + " bytes are allowed (archive.ingest.max-line-size)");
		}
		Conversation conversation;
		try {
			conversation = this.reader.read(line.bytes());
		}
		catch (JacksonException ex) {
			return Parsed.invalid(idOf(line.bytes()), JsonProblems.describe(ex));
		}
		if (conversation == null) {
			return Parsed.invalid(null, "expected a JSON object, not null");
		}
		String problem = this.validator.problem(conversation);
		return (problem != null) ? Parsed.invalid(conversation.id(), problem) : Parsed.valid(conversation);
	}

	/**
	 * The id of a line that could not be read as a conversation, if it has one.
	 */
	private @Nullable String idOf(byte[] bytes) {
		try {
			var id = this.json.readTree(bytes).get("id");
			return (id != null && id.isString()) ? id.asString() : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/**
	 * A line read.
	 *
	 * @param conversation the conversation, when the line holds a valid one
	 * @param id its id, when it could be read
	 * @param status what a refused line is answered: {@code 400}, or {@code 413} for a
	 * line over the limit
	 * @param error why it was refused
	 */
	record Parsed(@Nullable Conversation conversation, @Nullable String id, int status, @Nullable String error) {

		static Parsed valid(Conversation conversation) {
			return new Parsed(conversation, conversation.id(), 0, null);
		}

		static Parsed invalid(@Nullable String id, String error) {
			return new Parsed(null, id, 400, error);
		}

	}

}
