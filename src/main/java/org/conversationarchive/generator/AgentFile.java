package org.conversationarchive.generator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.conversationarchive.conversation.Conversation;
import org.conversationarchive.conversation.Conversation.FunctionCall;
import org.conversationarchive.conversation.Conversation.Message;
import org.conversationarchive.conversation.SenderType;
import org.jspecify.annotations.Nullable;

/**
 * A file the agent of a generated conversation produced, made from what the conversation
 * says: for a return or refund, the customer's recent orders as CSV; for a billing
 * question, the account's monthly charges as a PNG bar chart and the month's invoice as a
 * PDF. The same conversation always gives the same files.
 *
 * @param name the file's name
 * @param contentType its media type
 * @param messageIndex the message of the transcript it belongs to (from 0): the agent's
 * answer to the function call it came from
 * @param content its bytes (compared by identity, as a record's arrays are)
 */
public record AgentFile(String name, String contentType, int messageIndex, byte[] content) {

	static final String RETURNS = "flow-returns";

	static final String BILLING = "flow-billing";

	/**
	 * Whether {@link #of} makes files for a conversation, without making them.
	 * @param conversation a generated conversation
	 * @return whether it has any
	 */
	public static boolean madeIn(Conversation conversation) {
		String flow = (conversation.flow() != null) ? conversation.flow().id() : null;
		if (RETURNS.equals(flow)) {
			return OrderHistory.lookup(conversation) != null;
		}
		if (BILLING.equals(flow)) {
			return call(conversation, "lookup_account") >= 0;
		}
		return false;
	}

	/**
	 * The files the agent produced in a conversation.
	 * @param conversation a generated conversation
	 * @return its files, in transcript order; none for most conversations
	 */
	public static List<AgentFile> of(Conversation conversation) {
		if (!madeIn(conversation)) {
			return List.of();
		}
		if (RETURNS.equals(conversation.flow().id())) {
			return List.of(OrderHistory.csv(conversation));
		}
		BillingHistory billing = BillingHistory.of(conversation);
		List<AgentFile> files = new ArrayList<>(2);
		files.add(billing.chart());
		files.add(billing.invoice());
		return files;
	}

	/**
	 * Where the message of a function call of this name is, or -1.
	 */
	static int call(Conversation conversation, String name) {
		List<Message> messages = conversation.messages();
		for (int i = 0; (messages != null) && i < messages.size(); i++) {
			FunctionCall function = messages.get(i).function();
			if (function != null && name.equals(function.name())) {
				return i;
			}
		}
		return -1;
	}

	/**
	 * The agent's answer to the message at {@code index}: the first agent message after
	 * it, or the message itself when the agent said nothing more.
	 */
	static int answer(Conversation conversation, int index) {
		List<Message> messages = conversation.messages();
		for (int i = index + 1; i < messages.size(); i++) {
			SenderType type = messages.get(i).senderType();
			if (type == SenderType.AGENT || type == SenderType.HUMAN_AGENT) {
				return i;
			}
		}
		return index;
	}

	/**
	 * A function call's result, if it is an object.
	 */
	static @Nullable Map<?, ?> result(Conversation conversation, int index) {
		if (index < 0) {
			return null;
		}
		FunctionCall function = conversation.messages().get(index).function();
		return (function != null && function.result() instanceof Map<?, ?> result) ? result : null;
	}

	static String string(@Nullable Map<?, ?> map, String key, String otherwise) {
		Object value = (map != null) ? map.get(key) : null;
		return (value != null) ? value.toString() : otherwise;
	}

	/**
	 * An amount as the generator writes them ({@code $12.50}).
	 */
	static double dollars(String amount) {
		try {
			return Double.parseDouble(amount.replace("$", "").replace(",", ""));
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	static Rng rng(Conversation conversation, long salt) {
		return Rng.of(Rng.mix(conversation.id().hashCode()), salt, 0);
	}

}
