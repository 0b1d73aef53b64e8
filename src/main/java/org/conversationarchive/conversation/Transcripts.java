package org.conversationarchive.conversation;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.conversationarchive.conversation.Conversation.Message;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * A conversation's transcript as a document of its own: text people read, or JSON for
 * training data.
 */
final class Transcripts {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
		.withZone(ZoneOffset.UTC);

	private Transcripts() {
	}

	/**
	 * One line per message: {@code [time] sender type (sender name): text}, function
	 * calls indented below with their arguments and result.
	 */
	static String text(ConversationDocument document, JsonMapper json) {
		StringBuilder text = new StringBuilder();
		text.append("Conversation ").append(document.id()).append(" (").append(document.platform().json());
		if (document.contact() != null && document.contact().id() != null) {
			text.append(", contact ").append(document.contact().id());
		}
		text.append(")\nStarted ").append(time(document.startedAt()));
		if (document.endedAt() != null) {
			text.append(", ended ").append(time(document.endedAt()));
		}
		text.append("\n\n");
		List<Message> messages = document.transcript();
		for (Message message : messages) {
			text.append('[').append(time(message.at())).append("] ");
			text.append((message.senderType() != null) ? message.senderType().json() : "unknown");
			if (message.senderName() != null) {
				text.append(" (").append(message.senderName()).append(')');
			}
			text.append(':');
			if (message.text() != null && !message.text().isEmpty()) {
				text.append(' ').append(message.text().replace("\n", "\n    "));
			}
			text.append('\n');
			if (message.function() != null) {
				text.append("    function ").append(message.function().name());
				text.append(' ').append(json.writeValueAsString(message.function().arguments()));
				text.append(" -> ").append(json.writeValueAsString(message.function().result())).append('\n');
			}
		}
		return text.toString();
	}

	static Map<String, Object> json(ConversationDocument document) {
		Map<String, Object> transcript = new LinkedHashMap<>();
		transcript.put("id", document.id());
		transcript.put("platform", document.platform());
		transcript.put("startedAt", document.startedAt());
		if (document.endedAt() != null) {
			transcript.put("endedAt", document.endedAt());
		}
		transcript.put("messages", document.transcript());
		return transcript;
	}

	private static String time(@Nullable Instant instant) {
		return (instant != null) ? TIME.format(instant) : "?";
	}

}
