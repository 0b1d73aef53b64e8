package org.conversationarchive.generator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import org.conversationarchive.conversation.Conversation.Ref;
import org.jspecify.annotations.Nullable;

/**
 * What is said in one flow, in the phases every conversation goes through: the contact's
 * request, identification and lookup, a few back-and-forth exchanges, and the resolution.
 * How far a conversation gets, and who speaks for the company, is decided by its status
 * ({@link ConversationGenerator}); the script only supplies the words, several phrasings
 * for each turn, and the functions called on the way.
 */
abstract class Script {

	final Ref flow;

	/** The "Call Reason" tag. */
	final String callReason;

	/** The AI agents that run this flow. */
	final List<Ref> agents;

	/** Whether the company also starts conversations of this flow (reminders, alerts). */
	final boolean outbound;

	/** What an outbound call or message is about, e.g. "your claim {claim}". */
	final String topic;

	/**
	 * The function that finds the contact's records, the one that fails when systems do.
	 */
	final String lookup;

	private final List<Consumer<Dialog>> exchanges = new ArrayList<>();

	// The nodes every flow's graph has; its lookup function and its issues' branches are
	// nodes too, named after them.

	static final String GREETING = "greeting";

	static final String INTENT = "intent";

	/** Only in a revised flow: the request read back before identifying. */
	static final String CONFIRM = "confirm";

	static final String IDENTIFY = "identify";

	static final String QUESTIONS = "questions";

	static final String HANDOFF = "handoff";

	static final String END = "end";

	Script(String id, String name, String callReason, String lookup, @Nullable String topic, int... agents) {
		this.flow = new Ref(id, name);
		this.callReason = callReason;
		this.lookup = lookup;
		this.outbound = topic != null;
		this.topic = (topic != null) ? topic : "your " + callReason;
		List<Ref> refs = new ArrayList<>(agents.length);
		for (int agent : agents) {
			refs.add(Catalog.AGENTS.get(agent));
		}
		this.agents = List.copyOf(refs);
	}

	/**
	 * An optional back-and-forth of the middle of the conversation.
	 * @param exchange what is said
	 */
	final void exchange(Consumer<Dialog> exchange) {
		this.exchanges.add(exchange);
	}

	/**
	 * The issues the flow branches on after the lookup.
	 * @return their names, in the order of {@link Dialog#issue}
	 */
	abstract List<String> branches();

	/**
	 * When the flow's second version went live, if it has one: it reads the request back
	 * before identifying the contact.
	 * @return from when conversations run version 2, or {@code null}
	 */
	@Nullable Instant revised() {
		return null;
	}

	/**
	 * The version a conversation runs, from when it started: no draw, so the
	 * conversation's other values are the same with or without versions.
	 * @param startedAt when the conversation started
	 * @return its flow's version
	 */
	final int version(Instant startedAt) {
		Instant revised = revised();
		return (revised != null && !startedAt.isBefore(revised)) ? 2 : 1;
	}

	/**
	 * @param issue the conversation's {@link Dialog#issue}
	 * @return the node of its branch
	 */
	final String branch(int issue) {
		List<String> branches = branches();
		return slug(branches.get(Math.min(issue, branches.size() - 1)));
	}

	/**
	 * @return what the graph shows on the lookup node
	 */
	String lookupLabel() {
		return this.lookup;
	}

	/**
	 * The flow's published versions.
	 * @return version 1, and 2 if the flow was revised
	 */
	final List<FlowGraph> graphs() {
		return (revised() != null) ? List.of(graph(1), graph(2)) : List.of(graph(1));
	}

	/**
	 * The graph of one version: the phases {@link Story} plays, with a branch per issue.
	 */
	private FlowGraph graph(int version) {
		List<FlowGraph.Node> nodes = new ArrayList<>();
		List<FlowGraph.Edge> edges = new ArrayList<>();
		nodes.add(new FlowGraph.Node(GREETING, "Greeting", "start"));
		nodes.add(new FlowGraph.Node(INTENT, "What the customer wants", "condition"));
		if (version >= 2) {
			nodes.add(new FlowGraph.Node(CONFIRM, "Confirm the request", "question"));
		}
		nodes.add(new FlowGraph.Node(IDENTIFY, "Identify the customer", "question"));
		nodes.add(new FlowGraph.Node(this.lookup, lookupLabel(), "function"));
		nodes.add(new FlowGraph.Node(QUESTIONS, "Follow-up questions", "message"));
		edges.add(new FlowGraph.Edge(GREETING, INTENT, null));
		edges.add(new FlowGraph.Edge(GREETING, END, "opt-out"));
		edges.add(new FlowGraph.Edge(INTENT, GREETING, "start over"));
		if (version >= 2) {
			edges.add(new FlowGraph.Edge(INTENT, CONFIRM, null));
			edges.add(new FlowGraph.Edge(CONFIRM, IDENTIFY, "confirmed"));
		}
		edges.add(new FlowGraph.Edge(INTENT, IDENTIFY, null));
		edges.add(new FlowGraph.Edge(INTENT, this.lookup, null));
		edges.add(new FlowGraph.Edge(INTENT, HANDOFF, "asks for a person"));
		edges.add(new FlowGraph.Edge(IDENTIFY, this.lookup, null));
		edges.add(new FlowGraph.Edge(this.lookup, QUESTIONS, null));
		edges.add(new FlowGraph.Edge(this.lookup, INTENT, "misunderstood"));
		edges.add(new FlowGraph.Edge(this.lookup, HANDOFF, "needs a person"));
		edges.add(new FlowGraph.Edge(QUESTIONS, QUESTIONS, "another question"));
		edges.add(new FlowGraph.Edge(QUESTIONS, HANDOFF, "needs a person"));
		// A person may hand the conversation back for the agent to close.
		edges.add(new FlowGraph.Edge(HANDOFF, END, "handed back"));
		for (String branch : branches()) {
			String id = slug(branch);
			nodes.add(new FlowGraph.Node(id, Character.toUpperCase(branch.charAt(0)) + branch.substring(1), "message"));
			edges.add(new FlowGraph.Edge(this.lookup, id, branch));
			edges.add(new FlowGraph.Edge(QUESTIONS, id, branch));
			edges.add(new FlowGraph.Edge(id, END, null));
		}
		nodes.add(new FlowGraph.Node(HANDOFF, "Transfer to a person", "handoff"));
		nodes.add(new FlowGraph.Node(END, "Goodbye", "end"));
		return new FlowGraph(this.flow.id(), this.flow.name(), version, nodes, edges);
	}

	/**
	 * A node id from an issue: "doesn't fit" is {@code doesnt-fit}.
	 */
	static String slug(String name) {
		return name.toLowerCase(Locale.ROOT).replace("'", "").replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
	}

	/**
	 * Chooses the issue and fills the flow's slots, tags and parameters.
	 * @param d the conversation
	 */
	abstract void setup(Dialog d);

	/**
	 * The contact says what they want (inbound), or answers the company's opening
	 * (outbound).
	 * @param d the conversation
	 */
	abstract void intent(Dialog d);

	/**
	 * The agent finds the contact's account, order or booking.
	 * @param d the conversation
	 */
	abstract void identify(Dialog d);

	/**
	 * Some of the flow's exchanges, each at most once, in random order.
	 * @param d the conversation
	 * @param rounds how many
	 */
	final void details(Dialog d, int rounds) {
		int count = this.exchanges.size();
		int start = d.rng.nextInt(count);
		int step = coprimeStep(d.rng, count);
		for (int i = 0; i < Math.min(rounds, count); i++) {
			this.exchanges.get((start + i * step) % count).accept(d);
		}
	}

	private static int coprimeStep(Rng rng, int count) {
		int step = 1 + rng.nextInt(Math.max(1, count - 1));
		while (gcd(step, count) != 1) {
			step++;
		}
		return step;
	}

	private static int gcd(int a, int b) {
		return (b == 0) ? a : gcd(b, a % b);
	}

	/**
	 * The agent does what was asked and says so.
	 * @param d the conversation
	 */
	abstract void resolve(Dialog d);

	/**
	 * The company's first message of an outbound conversation.
	 * @param d the conversation
	 */
	abstract void outboundOpening(Dialog d);

	/**
	 * @param d the conversation
	 * @return the conversation's {@code reason}: why it happened
	 */
	abstract String reason(Dialog d);

	/**
	 * @param d the conversation
	 * @return the summary's first sentence: what the contact wanted
	 */
	abstract String request(Dialog d);

	/**
	 * @param d the conversation
	 * @return the "Resolution" tag of a resolved conversation, e.g. "refund issued"
	 */
	abstract String resolution(Dialog d);

	/**
	 * @param d the conversation
	 * @return the summary's sentence on how it was resolved
	 */
	abstract String outcome(Dialog d);

	static String digits(Rng rng, int count) {
		char[] digits = new char[count];
		for (int i = 0; i < count; i++) {
			digits[i] = (char) ('0' + rng.nextInt(10));
		}
		return new String(digits);
	}

	static String letters(Rng rng, int count) {
		char[] letters = new char[count];
		for (int i = 0; i < count; i++) {
			letters[i] = (char) ('A' + rng.nextInt(26));
		}
		return new String(letters);
	}

	static String alphanumeric(Rng rng, int count) {
		String alphabet = "abcdefghijkmnopqrstuvwxyz0123456789";
		char[] chars = new char[count];
		for (int i = 0; i < count; i++) {
			chars[i] = alphabet.charAt(rng.nextInt(alphabet.length()));
		}
		return new String(chars);
	}

	/**
	 * An amount of money.
	 * @param rng the randomness
	 * @param min the smallest amount in whole dollars
	 * @param max the largest amount in whole dollars
	 * @return e.g. {@code 49.99}, as a number for function arguments
	 */
	static double amount(Rng rng, int min, int max) {
		int dollars = rng.between(min, max);
		int cents = rng.pick(0, 0, 49, 95, 99, 99, rng.nextInt(100));
		return dollars + cents / 100.0;
	}

	static String dollars(double amount) {
		long cents = Math.round(amount * 100);
		String fraction = Long.toString(cents % 100);
		return "$" + (cents / 100) + "." + ((fraction.length() == 1) ? "0" + fraction : fraction);
	}

}
