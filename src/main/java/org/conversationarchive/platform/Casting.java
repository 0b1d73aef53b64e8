package org.conversationarchive.platform;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import org.conversationarchive.conversation.Conversation;
import org.conversationarchive.conversation.Conversation.Message;
import org.conversationarchive.conversation.SenderType;
import org.conversationarchive.conversation.Status;
import org.conversationarchive.generator.ConversationGenerator;
import org.conversationarchive.generator.FlowGraph;
import org.jspecify.annotations.Nullable;

/**
 * Which generated conversations the platform plays, in order: the same seed gives the
 * same ones. About one in five is handed off to a person: one the generator handed off,
 * cut where its AI agent hands it to a queue (the person who joined in the generated one
 * is left to the people using the archive). The others are played whole, so they end as
 * generated; those the generator left in progress are skipped, since a conversation
 * played here always ends.
 */
final class Casting {

	static final double HAND_OFF_SHARE = 0.2;

	/** The pool the generator draws contacts for: big enough to repeat few. */
	private static final long POOL = 1_000_000;

	/** The generated flows' graphs, by flow id and version. */
	private static final Map<String, FlowGraph> GRAPHS = ConversationGenerator.flowGraphs()
		.stream()
		.collect(Collectors.toUnmodifiableMap((graph) -> graph.id() + "@" + graph.version(), (graph) -> graph));

	private final ConversationGenerator generator;

	private final Random rng;

	private long handOffs;

	private long others;

	Casting(long seed) {
		this.generator = new ConversationGenerator(seed, ConversationGenerator.Options.of(POOL));
		this.rng = new Random(seed);
	}

	/**
	 * A conversation to play and what to play of it.
	 *
	 * @param index its index in the generator's stream
	 * @param script the messages the AI agent and the customer say
	 * @param handOffTo the queue it waits in once the script is said, or {@code null}
	 * when it then ends
	 */
	record Cast(long index, Conversation conversation, List<Message> script, @Nullable String handOffTo) {
	}

	/**
	 * A node of the conversation's flow.
	 * @param conversation a generated conversation
	 * @param kind e.g. {@code handoff}
	 * @return the first node of that kind in the version of the flow it ran, or
	 * {@code null} if it has none
	 */
	static @Nullable String node(Conversation conversation, String kind) {
		FlowGraph graph = (conversation.flow() != null)
				? GRAPHS.get(conversation.flow().id() + "@" + conversation.flowVersion()) : null;
		if (graph == null) {
			return null;
		}
		return graph.nodes()
			.stream()
			.filter((node) -> node.kind().equals(kind))
			.map(FlowGraph.Node::id)
			.findFirst()
			.orElse(null);
	}

	Cast next() {
		if (this.rng.nextDouble() < HAND_OFF_SHARE) {
			while (true) {
				long index = this.handOffs++;
				Conversation conversation = this.generator.conversation(index);
				if (conversation.status() == Status.HUMAN_HANDOFF) {
					Cast cast = handedOff(index, conversation);
					if (cast != null) {
						return cast;
					}
				}
			}
		}
		while (true) {
			long index = this.others++;
			Conversation conversation = this.generator.conversation(index);
			if (conversation.status() != Status.HUMAN_HANDOFF && conversation.status() != Status.IN_PROGRESS
					&& conversation.messages() != null && !conversation.messages().isEmpty()) {
				return new Cast(index, conversation, conversation.messages(), null);
			}
		}
	}

	/**
	 * A handed-off conversation up to the AI agent's last words before the person it
	 * hands it to, or {@code null} when it has no such point.
	 */
	static @Nullable Cast handedOff(long index, Conversation conversation) {
		List<Message> messages = (conversation.messages() != null) ? conversation.messages() : List.of();
		for (int i = 0; i < messages.size(); i++) {
			Message message = messages.get(i);
			if (message.function() != null && "transfer_to_human".equals(message.function().name())) {
				int end = i + 1;
				while (end < messages.size() && messages.get(end).senderType() == SenderType.AGENT) {
					end++;
				}
				String queue = (conversation.flow() != null && conversation.flow().name() != null)
						? conversation.flow().name() : "Support";
				return new Cast(index, conversation, messages.subList(0, end), queue);
			}
		}
		return null;
	}

}
