package org.conversationarchive.ingest;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.conversationarchive.conversation.Conversation;
import org.conversationarchive.conversation.Conversation.Message;
import org.conversationarchive.conversation.Conversation.Ref;
import org.conversationarchive.conversation.ConversationSettings;
import org.conversationarchive.flows.Flow;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * What a conversation must be to be archived. Reports the first problem as one sentence
 * naming the field, so a client can fix the line.
 */
@Component
class ConversationValidator {

	static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

	private final IngestSettings settings;

	private final ConversationSettings conversations;

	ConversationValidator(IngestSettings settings, ConversationSettings conversations) {
		this.settings = settings;
		this.conversations = conversations;
	}

	/**
	 * The first problem of a conversation.
	 * @param conversation as received
	 * @return the problem, or {@code null} when it can be archived
	 */
	@Nullable String problem(Conversation conversation) {
		try {
			check(conversation);
			return null;
		}
		catch (Problem problem) {
			return problem.getMessage();
		}
	}

	private void check(Conversation c) {
		ConversationSettings.Years years = this.conversations.years();
		if (c.id() == null || c.id().isEmpty()) {
			throw new Problem("id is required");
		}
		if (!ID.matcher(c.id()).matches()) {
			throw new Problem("id '" + abbreviate(c.id()) + "' must be 1 to 128 characters of A-Z a-z 0-9 . _ : -");
		}
		if (c.id().equals(".") || c.id().equals("..")) {
			// A URL's path cannot name it: /conversations/.. is /.
			throw new Problem(
					"id '" + c.id() + "' cannot be the name of a conversation's address; use other characters");
		}
		if (c.platform() == null) {
			throw new Problem("platform is required");
		}
		if (c.startedAt() == null) {
			throw new Problem("startedAt is required");
		}
		// Before anything is written: the year of startedAt names the index it goes to.
		year("startedAt", c.startedAt(), years);
		if (c.endedAt() != null) {
			year("endedAt", c.endedAt(), years);
			if (c.endedAt().isBefore(c.startedAt())) {
				throw new Problem("endedAt " + c.endedAt() + " is before startedAt " + c.startedAt());
			}
		}
		field("pointOfContact", c.pointOfContact());
		if (c.contact() != null) {
			field("contact.id", c.contact().id());
			field("contact.name", c.contact().name());
			field("contact.phone", c.contact().phone());
			field("contact.email", c.contact().email());
		}
		ref("flow", c.flow());
		if (c.flowVersion() != null && c.flowVersion() < 1) {
			throw new Problem("flowVersion " + c.flowVersion() + " is not a version; versions count from 1");
		}
		ref("agent", c.agent());
		if (c.liveAgents() != null) {
			for (int i = 0; i < c.liveAgents().size(); i++) {
				ref("liveAgents[" + i + "]", c.liveAgents().get(i));
			}
		}
		field("voice", c.voice());
		field("queue", c.queue());
		if (c.flags() != null) {
			for (int i = 0; i < c.flags().size(); i++) {
				Conversation.Flag flag = c.flags().get(i);
				if (flag == null) {
					throw new Problem("flags[" + i + "] must be an object");
				}
				text("flags[" + i + "].reason", flag.reason());
				if (flag.severity() != null && !Conversation.Flag.SEVERITIES.contains(flag.severity())) {
					throw new Problem("flags[" + i + "].severity '" + abbreviate(flag.severity()) + "' is not one of "
							+ String.join(", ", Conversation.Flag.SEVERITIES));
				}
				field("flags[" + i + "].ruleId", flag.ruleId());
				field("flags[" + i + "].ruleName", flag.ruleName());
				field("flags[" + i + "].by", flag.by());
			}
		}
		tags(c.tags());
		if (c.parameters() != null) {
			for (Map.Entry<String, String> parameter : c.parameters().entrySet()) {
				key("parameters", parameter.getKey());
				field("parameters." + parameter.getKey(), parameter.getValue());
			}
		}
		if (c.sentiment() != null) {
			for (int i = 0; i < c.sentiment().size(); i++) {
				Conversation.Sentiment sentiment = c.sentiment().get(i);
				if (sentiment == null) {
					throw new Problem("sentiment[" + i + "] must be an object");
				}
				field("sentiment[" + i + "].emotion", sentiment.emotion());
				if (sentiment.score() != null && (sentiment.score() < 0 || sentiment.score() > 1)) {
					throw new Problem("sentiment[" + i + "].score " + sentiment.score() + " is not between 0 and 1");
				}
			}
		}
		text("reason", c.reason());
		text("summary", c.summary());
		text("analysis", c.analysis());
		messages(c.messages(), years);
	}

	/**
	 * Checks messages on their own, as the append API receives them.
	 * @param messages the messages
	 * @return the first problem, or {@code null}
	 */
	@Nullable String messagesProblem(@Nullable List<Message> messages) {
		try {
			messages(messages, this.conversations.years());
			return null;
		}
		catch (Problem problem) {
			return problem.getMessage();
		}
	}

	private void messages(@Nullable List<Message> messages, ConversationSettings.Years years) {
		if (messages == null) {
			return;
		}
		if (messages.size() > this.settings.maxMessages()) {
			throw new Problem("messages has " + messages.size() + " messages; at most " + this.settings.maxMessages()
					+ " are allowed");
		}
		for (int i = 0; i < messages.size(); i++) {
			Message message = messages.get(i);
			String path = "messages[" + i + "]";
			if (message == null) {
				throw new Problem(path + " must be an object");
			}
			if (message.at() == null) {
				throw new Problem(path + ".at is required");
			}
			year(path + ".at", message.at(), years);
			if (message.senderType() == null) {
				throw new Problem(path + ".senderType is required");
			}
			field(path + ".senderName", message.senderName());
			field(path + ".channel", message.channel());
			text(path + ".text", message.text());
			if (message.flowNode() != null && !Flow.ID.matcher(message.flowNode()).matches()) {
				throw new Problem(path + ".flowNode '" + abbreviate(message.flowNode())
						+ "' is not a node id; node ids are 1 to 100 of the characters A-Z a-z 0-9 _ . : -");
			}
			if (message.function() != null) {
				if (message.function().name() == null || message.function().name().isBlank()) {
					throw new Problem(path + ".function.name is required");
				}
				field(path + ".function.name", message.function().name());
			}
		}
	}

	private void tags(@Nullable Map<String, Object> tags) {
		if (tags == null) {
			return;
		}
		for (Map.Entry<String, Object> tag : tags.entrySet()) {
			key("tags", tag.getKey());
			String path = "tags." + tag.getKey();
			Object value = tag.getValue();
			if (value instanceof String text) {
				field(path, text);
			}
			else if (value instanceof List<?> values) {
				for (Object each : values) {
					if (!(each instanceof String text)) {
						throw new Problem(path + " must be a string or an array of strings");
					}
					field(path, text);
				}
			}
			else {
				throw new Problem(path + " must be a string or an array of strings");
			}
		}
	}

	private void key(String map, String key) {
		if (key.isBlank()) {
			throw new Problem(map + " has an empty key");
		}
		if (key.length() > this.settings.maxFieldLength()) {
			throw new Problem(map + " has a key of " + key.length() + " characters; at most "
					+ this.settings.maxFieldLength() + " are allowed");
		}
		if (key.startsWith(".") || key.endsWith(".") || key.contains("..")) {
			throw new Problem(map + " key '" + abbreviate(key) + "' must not start or end with '.' or contain '..'");
		}
	}

	private static void year(String path, Instant time, ConversationSettings.Years years) {
		if (!years.contain(time)) {
			throw new Problem(path + " " + time + " is outside the years the archive takes, " + years.first() + " to "
					+ years.last() + " (archive.conversations.first-year, archive.conversations.years-ahead)");
		}
	}

	private void ref(String path, @Nullable Ref ref) {
		if (ref != null) {
			field(path + ".id", ref.id());
			field(path + ".name", ref.name());
		}
	}

	private void field(String path, @Nullable String value) {
		if (value != null && value.length() > this.settings.maxFieldLength()) {
			throw new Problem(path + " is " + value.length() + " characters long; at most "
					+ this.settings.maxFieldLength() + " are allowed");
		}
	}

	private void text(String path, @Nullable String value) {
		if (value != null && value.length() > this.settings.maxTextLength()) {
			throw new Problem(path + " is " + value.length() + " characters long; at most "
					+ this.settings.maxTextLength() + " are allowed");
		}
	}

	private static String abbreviate(String value) {
		return (value.length() <= 40) ? value : value.substring(0, 40) + "…";
	}

	private static final class Problem extends RuntimeException {

		Problem(String message) {
			super(message, null, false, false);
		}

	}

}
