package org.conversationarchive.conversation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import org.conversationarchive.conversation.Conversation.Flag;
import org.conversationarchive.conversation.Conversation.Message;
import org.conversationarchive.conversation.Conversation.Sentiment;
import org.conversationarchive.conversation.Conversation.Signals;
import org.conversationarchive.conversation.ConversationDocument.IndexedMessage;
import org.jspecify.annotations.Nullable;

/**
 * The fields the archive derives from a conversation rather than taking from clients.
 */
public final class Derivations {

	private static final Pattern SPACES = Pattern.compile("\\s+");

	private static final Pattern END_PUNCTUATION = Pattern.compile("^[\\p{Punct}\\s]+|[\\p{Punct}\\s]+$");

	private static final Comparator<Message> BY_TIME = Comparator.comparing(Message::at,
			Comparator.nullsLast(Comparator.naturalOrder()));

	private Derivations() {
	}

	/**
	 * The messages in time order; messages sent at the same instant keep their order.
	 * @param messages the messages as received
	 * @return a sorted copy, or {@code null}
	 */
	public static @Nullable List<Message> inTimeOrder(@Nullable List<Message> messages) {
		if (messages == null) {
			return null;
		}
		// Transcripts mostly arrive in order: checking is one pass, a sort is more.
		return inOrder(messages) ? messages.stream().toList() : messages.stream().sorted(BY_TIME).toList();
	}

	/**
	 * The messages in time order as they are indexed: each with its offset from the start
	 * and to the end, and its words for the stemmer of the conversation's language.
	 * @param conversation the conversation
	 * @param language its language's code, or {@code null}
	 * @return the indexed messages, or {@code null}
	 */
	public static @Nullable List<IndexedMessage> indexedMessages(Conversation conversation, @Nullable String language) {
		List<Message> messages = inTimeOrder(conversation.messages());
		if (messages == null) {
			return null;
		}
		Instant start = conversation.startedAt();
		Instant end = (conversation.endedAt() != null) ? conversation.endedAt() : lastMessageAt(messages);
		boolean stemmed = language != null && Languages.STEMMED.contains(language);
		List<IndexedMessage> indexed = new ArrayList<>(messages.size());
		for (Message message : messages) {
			Instant at = message.at();
			indexed.add(new IndexedMessage(at, message.senderType(), message.senderName(), message.channel(),
					message.text(), message.data(), message.function(), message.flowNode(),
					(at != null) ? seconds(start, at) : null, (at != null) ? seconds(at, end) : null,
					(stemmed && message.text() != null) ? Map.of(language, message.text()) : null));
		}
		return indexed;
	}

	private static @Nullable Double seconds(@Nullable Instant from, @Nullable Instant to) {
		return (from != null && to != null) ? Duration.between(from, to).toMillis() / 1000.0 : null;
	}

	/**
	 * Whether the messages are in {@link #BY_TIME} order (messages without a time last),
	 * compared here rather than through the comparator's chain of lambdas.
	 */
	private static boolean inOrder(List<Message> messages) {
		Instant last = null;
		boolean untimed = false;
		for (Message message : messages) {
			Instant at = message.at();
			if (at == null) {
				untimed = true;
			}
			else if (untimed || (last != null && last.compareTo(at) > 0)) {
				return false;
			}
			else {
				last = at;
			}
		}
		return true;
	}

	/**
	 * Where the conversation left its flow: the node of its last message that names one.
	 * @param messages the messages as received
	 * @return the node, or {@code null} when no message names one
	 */
	public static @Nullable String exitNode(@Nullable List<Message> messages) {
		List<String> marks = flowMarks(messages);
		return marks.isEmpty() ? null : marks.getLast();
	}

	/**
	 * The flow nodes the messages name, each once, in the order first reached.
	 * @param messages the messages as received
	 * @return the nodes, or {@code null} when no message names one
	 */
	public static @Nullable List<String> flowPath(@Nullable List<Message> messages) {
		List<String> marks = flowMarks(messages);
		return marks.isEmpty() ? null : List.copyOf(new LinkedHashSet<>(marks));
	}

	/**
	 * The steps between successive flow nodes the messages name, each once, as
	 * {@code from>to}; a node named by several messages in a row is one visit, and a node
	 * reached again (a retry loop) is a step back to it.
	 * @param messages the messages as received
	 * @return the steps, or {@code null} when there are none
	 */
	public static @Nullable List<String> flowEdges(@Nullable List<Message> messages) {
		List<String> marks = flowMarks(messages);
		Set<String> edges = new LinkedHashSet<>();
		for (int i = 1; i < marks.size(); i++) {
			edges.add(marks.get(i - 1) + ConversationDocument.FLOW_EDGE + marks.get(i));
		}
		return edges.isEmpty() ? null : List.copyOf(edges);
	}

	/**
	 * The flow nodes of the messages in time order, a node named by successive messages
	 * once.
	 */
	private static List<String> flowMarks(@Nullable List<Message> messages) {
		List<Message> ordered = inTimeOrder(messages);
		if (ordered == null) {
			return List.of();
		}
		List<String> marks = new ArrayList<>();
		for (Message message : ordered) {
			String node = message.flowNode();
			if (node != null && (marks.isEmpty() || !marks.getLast().equals(node))) {
				marks.add(node);
			}
		}
		return marks;
	}

	public static @Nullable Instant lastMessageAt(@Nullable List<Message> messages) {
		if (messages == null) {
			return null;
		}
		return messages.stream().map(Message::at).filter(Objects::nonNull).max(Comparator.naturalOrder()).orElse(null);
	}

	/**
	 * Whole seconds from start to end; while a conversation has no end, to its last
	 * message.
	 * @param conversation the conversation
	 * @return the duration, or {@code null} when neither end nor messages are known
	 */
	public static @Nullable Long durationSeconds(Conversation conversation) {
		Instant end = (conversation.endedAt() != null) ? conversation.endedAt()
				: lastMessageAt(conversation.messages());
		if (conversation.startedAt() == null || end == null) {
			return null;
		}
		return Math.max(0, Duration.between(conversation.startedAt(), end).toSeconds());
	}

	/**
	 * The distinct names of the functions called, in the order first called.
	 * @param messages the transcript
	 * @return the names, or {@code null} when none were called
	 */
	public static @Nullable List<String> functions(@Nullable List<Message> messages) {
		if (messages == null) {
			return null;
		}
		Set<String> names = new LinkedHashSet<>();
		(inOrder(messages) ? messages : messages.stream().sorted(BY_TIME).toList()).forEach((message) -> {
			if (message.function() != null && message.function().name() != null) {
				names.add(message.function().name());
			}
		});
		return names.isEmpty() ? null : List.copyOf(names);
	}

	/**
	 * Whether a human handled the conversation: a live agent is named, or one wrote.
	 * @param conversation the conversation
	 * @return whether a live agent handled it
	 */
	public static boolean liveAgentHandled(Conversation conversation) {
		if (conversation.liveAgents() != null && !conversation.liveAgents().isEmpty()) {
			return true;
		}
		return conversation.messages() != null && conversation.messages()
			.stream()
			.anyMatch((message) -> message.senderType() == SenderType.HUMAN_AGENT);
	}

	/**
	 * Whether a conversation is flagged: whenever it has a flag; without one, as the
	 * client said (a client may flag a conversation without saying why).
	 * @param flagged what the conversation says
	 * @param flags its flags
	 * @return whether it is flagged
	 */
	public static @Nullable Boolean flagged(@Nullable Boolean flagged, @Nullable List<Flag> flags) {
		return (flags != null && !flags.isEmpty()) ? Boolean.TRUE : flagged;
	}

	/**
	 * The keys of the tags, for the tag-key facet.
	 * @param tags the tags
	 * @return the keys, or {@code null} without tags
	 */
	public static @Nullable List<String> tagKeys(@Nullable Map<String, Object> tags) {
		return (tags == null || tags.isEmpty()) ? null : List.copyOf(tags.keySet());
	}

	/**
	 * Every key and value of the tags as one keyword, for the tag-value facet.
	 * @param tags the tags
	 * @return {@code key + TAG_SEPARATOR + value} for each value, or {@code null}
	 */
	public static @Nullable List<String> tagPairs(@Nullable Map<String, Object> tags) {
		if (tags == null || tags.isEmpty()) {
			return null;
		}
		List<String> pairs = new ArrayList<>();
		tags.forEach((key, value) -> {
			if (value instanceof List<?> values) {
				values.forEach((each) -> pairs.add(key + ConversationDocument.TAG_SEPARATOR + each));
			}
			else if (value != null) {
				pairs.add(key + ConversationDocument.TAG_SEPARATOR + value);
			}
		});
		return pairs;
	}

	/**
	 * How many messages the transcript has: the conversation's turns.
	 * @param messages the transcript
	 * @return the messages, 0 without a transcript
	 */
	public static int messageCount(@Nullable List<Message> messages) {
		if (messages == null) {
			return 0;
		}
		int count = 0;
		for (Message message : messages) {
			if (message != null) {
				count++;
			}
		}
		return count;
	}

	/**
	 * The keys of the parameters, for counting conversations by parameter key.
	 * @param parameters the parameters
	 * @return the keys, or {@code null} without parameters
	 */
	public static @Nullable List<String> parameterKeys(@Nullable Map<String, String> parameters) {
		return (parameters == null || parameters.isEmpty()) ? null : List.copyOf(parameters.keySet());
	}

	/**
	 * The sentiment's emotions with their scores, indexed as nested documents so that an
	 * emotion's scores can be averaged apart from the conversation's other emotions.
	 * @param sentiment the sentiment
	 * @return the entries that name an emotion, or {@code null} when none does
	 */
	public static @Nullable List<Sentiment> emotionScores(@Nullable List<Sentiment> sentiment) {
		if (sentiment == null) {
			return null;
		}
		List<Sentiment> named = sentiment.stream().filter((each) -> each != null && each.emotion() != null).toList();
		return named.isEmpty() ? null : named;
	}

	/**
	 * The review signals of a transcript.
	 * @param messages the transcript, in any order
	 * @param contactDailyRank the conversation's rank among its contact's of the last 24
	 * hours, as known when written
	 * @return the signals
	 */
	public static Signals signals(@Nullable List<Message> messages, @Nullable Integer contactDailyRank) {
		List<Message> ordered = (messages != null) ? inTimeOrder(messages) : List.of();
		return new Signals(turns(ordered), longestSilenceSeconds(ordered), failedFunctions(ordered),
				customerRepeats(ordered), contactDailyRank);
	}

	/**
	 * Runs of messages by one sender type; a message without one is a run of its own
	 * kind.
	 */
	static int turns(List<Message> messages) {
		int turns = 0;
		boolean first = true;
		SenderType last = null;
		for (Message message : messages) {
			if (message == null) {
				continue;
			}
			if (first || message.senderType() != last) {
				turns++;
			}
			first = false;
			last = message.senderType();
		}
		return turns;
	}

	static @Nullable Long longestSilenceSeconds(List<Message> messages) {
		Instant previous = null;
		long longest = -1;
		for (Message message : messages) {
			if (message == null || message.at() == null) {
				continue;
			}
			if (previous != null) {
				longest = Math.max(longest, Duration.between(previous, message.at()).toSeconds());
			}
			previous = message.at();
		}
		return (longest >= 0) ? longest : null;
	}

	static @Nullable List<String> failedFunctions(List<Message> messages) {
		Set<String> failed = new LinkedHashSet<>();
		for (Message message : messages) {
			if (message != null && message.function() != null && message.function().name() != null
					&& FunctionErrors.reportsError(message.function().result())) {
				failed.add(message.function().name());
			}
		}
		return failed.isEmpty() ? null : List.copyOf(failed);
	}

	static int customerRepeats(List<Message> messages) {
		Set<String> said = new HashSet<>();
		int repeats = 0;
		for (Message message : messages) {
			if (message == null || message.senderType() != SenderType.USER || message.text() == null) {
				continue;
			}
			String text = sameText(message.text());
			if (!text.isEmpty() && !said.add(text)) {
				repeats++;
			}
		}
		return repeats;
	}

	/**
	 * A message's text as a repeat is compared: lower case, runs of spaces as one, no
	 * punctuation at either end ("Cancel my order!" says again "cancel my order").
	 */
	private static String sameText(String text) {
		String spaced = SPACES.matcher(text.strip().toLowerCase(Locale.ROOT)).replaceAll(" ");
		return END_PUNCTUATION.matcher(spaced).replaceAll("");
	}

}
