package org.conversationarchive.conversation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.conversationarchive.conversation.Conversation.FunctionCall;
import org.conversationarchive.conversation.Conversation.Message;
import org.conversationarchive.conversation.Conversation.Sentiment;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link Derivations}: the ordering of a transcript, and the fields derived for
 * analytics.
 */
class DerivationsTests {

	@Test
	void indexedMessagesSayWhereTheyFallAndCarryTheirWordsForTheirLanguagesStemmer() {
		Instant start = Instant.parse("2025-01-01T10:00:00Z");
		List<Message> messages = Arrays.asList(
				new Message(start.plusSeconds(70), SenderType.AGENT, null, null, "¿Algo más?", null, null, null),
				new Message(start.plusMillis(2500), SenderType.USER, null, null, "Quiero un reembolso", null, null,
						null),
				new Message(null, SenderType.SYSTEM, null, null, "sin hora", null, null, null));
		Conversation live = new Conversation("c", Platform.WEB, null, null, null, null, null, null, null, null, null,
				start, null, null, null, null, null, null, null, null, null, messages, null, null, null, null, null,
				null, null, null, null, null, null, null);
		List<ConversationDocument.IndexedMessage> indexed = Derivations.indexedMessages(live, "es");
		assertThat(indexed).extracting(ConversationDocument.IndexedMessage::text)
			.containsExactly("Quiero un reembolso", "¿Algo más?", "sin hora");
		assertThat(indexed).extracting(ConversationDocument.IndexedMessage::offsetSeconds)
			.containsExactly(2.5, 70.0, null);
		// No end yet: the last message is where it ends so far.
		assertThat(indexed).extracting(ConversationDocument.IndexedMessage::secondsToEnd)
			.containsExactly(67.5, 0.0, null);
		assertThat(indexed.get(0).stems()).isEqualTo(Map.of("es", "Quiero un reembolso"));
		assertThat(indexed.get(0).message()).isEqualTo(messages.get(1));
		// A language the archive does not stem, or none: the words are searched as
		// written.
		assertThat(Derivations.indexedMessages(live, "ja"))
			.allSatisfy((message) -> assertThat(message.stems()).isNull());
		assertThat(Derivations.indexedMessages(live, null))
			.allSatisfy((message) -> assertThat(message.stems()).isNull());
	}

	@Test
	void aTranscriptInOrderIsKeptAsItIs() {
		List<Message> messages = new ArrayList<>(List.of(message("a", "10:00:00", null), message("b", "10:00:00", null),
				message("c", "10:00:01", null), message("d", null, null)));
		List<Message> ordered = Derivations.inTimeOrder(messages);
		assertThat(ordered).containsExactlyElementsOf(messages);
		// A copy the caller cannot change, whatever becomes of the list it was given.
		messages.clear();
		assertThat(ordered).hasSize(4);
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> ordered.add(null));
	}

	@Test
	void aTranscriptOutOfOrderIsSortedByTimeMessagesOfTheSameInstantKeepingTheirOrderAndThoseWithoutATimeLast() {
		List<Message> messages = List.of(message("late", "10:00:05", null), message("none", null, null),
				message("first", "10:00:01", null), message("tie-1", "10:00:03", null),
				message("tie-2", "10:00:03", null));
		assertThat(Derivations.inTimeOrder(messages)).extracting(Message::text)
			.containsExactly("first", "tie-1", "tie-2", "late", "none");
	}

	@Test
	void functionsAreNamedInTheOrderFirstCalledWhateverTheOrderReceived() {
		List<Message> inOrder = List.of(message("1", "10:00:01", "lookup"), message("2", "10:00:02", "sms"),
				message("3", "10:00:03", "lookup"));
		assertThat(Derivations.functions(inOrder)).containsExactly("lookup", "sms");
		List<Message> outOfOrder = List.of(message("3", "10:00:03", "refund"), message("2", "10:00:02", "sms"),
				message("1", "10:00:01", "lookup"), message("4", "10:00:04", "sms"));
		assertThat(Derivations.functions(outOfOrder)).containsExactly("lookup", "sms", "refund");
		assertThat(Derivations.functions(List.of(message("x", "10:00:00", null)))).isNull();
	}

	@Test
	void turnsCountTheMessagesThereAre() {
		assertThat(Derivations.messageCount(null)).isZero();
		assertThat(Derivations.messageCount(List.of())).isZero();
		assertThat(Derivations
			.messageCount(Arrays.asList(message("a", "10:00:00", null), null, message("b", null, "lookup"))))
			.isEqualTo(2);
	}

	@Test
	void parameterKeysInTheOrderGiven() {
		Map<String, String> parameters = new LinkedHashMap<>();
		parameters.put("plan", "gold");
		parameters.put("account", "A-1");
		assertThat(Derivations.parameterKeys(parameters)).containsExactly("plan", "account");
		assertThat(Derivations.parameterKeys(Map.of())).isNull();
		assertThat(Derivations.parameterKeys(null)).isNull();
	}

	@Test
	void emotionScoresAreTheSentimentsThatNameAnEmotion() {
		List<Sentiment> sentiment = Arrays.asList(new Sentiment("joy", 0.5), null, new Sentiment(null, 0.9),
				new Sentiment("anger", null));
		assertThat(Derivations.emotionScores(sentiment)).containsExactly(new Sentiment("joy", 0.5),
				new Sentiment("anger", null));
		assertThat(Derivations.emotionScores(List.of(new Sentiment(null, 1.0)))).isNull();
		assertThat(Derivations.emotionScores(null)).isNull();
	}

	@Test
	void turnsAreRunsOfMessagesByOneSideAndTheLongestSilenceIsBetweenTwoMessagesInTimeOrder() {
		List<Message> messages = List.of(said(SenderType.USER, "10:00:00", "Hi"),
				said(SenderType.USER, "10:00:05", "?"), said(SenderType.AGENT, "10:01:35", "Hello"),
				said(SenderType.USER, "10:00:50", "Anyone?"), said(SenderType.AGENT, "10:01:40", "Sorry"));
		Conversation.Signals signals = Derivations.signals(messages, 3);
		// In time order: user, user, user, agent, agent.
		assertThat(signals.turns()).isEqualTo(2);
		assertThat(signals.longestSilenceSeconds()).isEqualTo(45);
		assertThat(signals.contactDailyRank()).isEqualTo(3);
		assertThat(Derivations.signals(List.of(said(SenderType.USER, null, "Hi")), null).longestSilenceSeconds())
			.isNull();
		assertThat(Derivations.signals(null, null).turns()).isZero();
	}

	@Test
	void theCustomerRepeatsWhatTheySaidAgainLetterCaseSpacingAndEndPunctuationAside() {
		List<Message> messages = List.of(said(SenderType.USER, "10:00:00", "Cancel my order"),
				said(SenderType.AGENT, "10:00:01", "Cancel my order"),
				said(SenderType.USER, "10:00:02", "cancel  my ORDER!"), said(SenderType.USER, "10:00:03", "Agent"),
				said(SenderType.USER, "10:00:04", "agent."), said(SenderType.USER, "10:00:05", "agent?"),
				said(SenderType.USER, "10:00:06", "..."), said(SenderType.USER, "10:00:07", "!!"));
		assertThat(Derivations.signals(messages, null).customerRepeats()).isEqualTo(3);
	}

	@Test
	void functionsWhoseResultReportsAnErrorAreFailedInTheOrderTheyFirstFailed() {
		List<Message> messages = List.of(called("10:00:00", "book", "Error: flight HAT030 not available"),
				called("10:00:01", "search", Map.of("flights", List.of())),
				called("10:00:02", "pay", Map.of("error", "declined")),
				called("10:00:03", "book", Map.of("status", 503)),
				called("10:00:04", "refund", Map.of("success", false)),
				called("10:00:05", "mcp", Map.of("isError", true, "content", List.of())),
				called("10:00:06", "note", "Errors are logged elsewhere: all fine"), called("10:00:07", "check",
						Map.of("error", "", "errors", List.of(), "ok", true, "status", "completed")));
		// A text that begins with the word error reports one; "Errors are…" does not.
		assertThat(Derivations.signals(messages, null).failedFunctions()).containsExactly("book", "pay", "refund",
				"mcp");
		assertThat(Derivations.signals(List.of(called("10:00:00", "ok", Map.of("result", "fine"))), null)
			.failedFunctions()).isNull();
	}

	@Test
	void theFlowsPathStepsAndExitComeFromTheMessagesNodesInTimeOrder() {
		List<Message> messages = Arrays.asList(at("10:00:30", "verify"), at("10:00:00", "greet"), at("10:00:10", null),
				at("10:00:20", "greet"), at("10:00:40", "verify"), at("10:00:50", "greet"), at("10:01:00", "pay"),
				at("10:01:10", null));
		// Successive messages at one node are one visit; a node reached again is a step
		// back to it, and each node and step is listed once.
		assertThat(Derivations.flowPath(messages)).containsExactly("greet", "verify", "pay");
		assertThat(Derivations.flowEdges(messages)).containsExactly("greet>verify", "verify>greet", "greet>pay");
		assertThat(Derivations.exitNode(messages)).isEqualTo("pay");
		List<Message> unmarked = List.of(at("10:00:00", null));
		assertThat(Derivations.flowPath(unmarked)).isNull();
		assertThat(Derivations.flowEdges(unmarked)).isNull();
		assertThat(Derivations.exitNode(unmarked)).isNull();
		assertThat(Derivations.flowEdges(List.of(at("10:00:00", "greet"), at("10:00:01", "greet")))).isNull();
		assertThat(Derivations.exitNode(null)).isNull();
	}

	private static Message at(String time, String node) {
		return new Message(Instant.parse("2025-03-01T" + time + "Z"), SenderType.AGENT, null, null, "x", null, null,
				node);
	}

	private static Message said(SenderType sender, String time, String text) {
		return new Message((time != null) ? Instant.parse("2025-03-01T" + time + "Z") : null, sender, null, null, text,
				null, null, null);
	}

	private static Message called(String time, String function, Object result) {
		return new Message(Instant.parse("2025-03-01T" + time + "Z"), SenderType.FUNCTION, null, null, null, null,
				new FunctionCall(function, null, result), null);
	}

	private static Message message(String text, String time, String function) {
		return new Message((time != null) ? Instant.parse("2025-03-01T" + time + "Z") : null, SenderType.AGENT, null,
				null, text, null, (function != null) ? new FunctionCall(function, null, null) : null, null);
	}

}
