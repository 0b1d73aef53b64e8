package org.conversationarchive.platform;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.conversationarchive.conversation.Conversation;
import org.conversationarchive.conversation.Conversation.Message;
import org.conversationarchive.conversation.Conversation.Ref;
import org.conversationarchive.conversation.Platform;
import org.conversationarchive.conversation.SenderType;
import org.conversationarchive.conversation.Status;
import org.jspecify.annotations.Nullable;

/**
 * One conversation the platform plays: a generated transcript said message by message in
 * real time, and the actions people take on it. The player and the actions change it
 * under one lock and only in memory; its writes to the archive leave in that order
 * through its {@link Archive.Outbox}, so nothing waits on the archive while holding it.
 */
final class LiveCall {

	/**
	 * Who has the conversation.
	 */
	enum Mode {

		/** The AI agent plays its script. */
		AI,
		/** It waits in a queue for a person. */
		WAITING,
		/** A person took it; the AI is silent. */
		HELD,
		/** It ended. */
		OVER

	}

	/** How long a customer waits for a person before leaving, at speed 1. */
	static final Duration PATIENCE = Duration.ofMinutes(15);

	private static final long SHORTEST_GAP = 500;

	private static final long LONGEST_GAP = 8000;

	private static final String[] WAITING_LINES = { "Hello? Is anyone there?", "I'm still waiting.",
			"Any update on this?" };

	private static final String[] ANSWERS = { "Okay, thanks.", "Got it.", "Could you check that again?",
			"Great, thank you!", "How long will that take?", "Alright, that makes sense." };

	private static final String[] STILL_THERE = { "Are you still there?", "Hello?" };

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	private final String id;

	private final Conversation generated;

	private final Deque<Message> script;

	private final @Nullable String handOffTo;

	private final double speed;

	private final Random rng;

	private final Archive.Outbox outbox;

	private final Runnable aiDone;

	private final List<Message> messages = new ArrayList<>();

	private final Set<String> people = new LinkedHashSet<>();

	private final String channel;

	/** The node of its flow where a person takes over, if the flow has one. */
	private final @Nullable String handoffNode;

	/** The node of its flow where it ends, if the flow has one. */
	private final @Nullable String endNode;

	private Mode mode = Mode.AI;

	private Status status = Status.IN_PROGRESS;

	private @Nullable String queue;

	private @Nullable String holder;

	private @Nullable Instant startedAt;

	/** Whether the archive was sent the conversation: later messages are appended. */
	private boolean created;

	private @Nullable Instant endedAt;

	/** Whether a person changed its course, so the generated ending no longer fits. */
	private boolean steered;

	private @Nullable String coaching;

	/** When, in the generated transcript, the last message said was said. */
	private @Nullable Instant said;

	/** When the player's next step is due ({@link System#nanoTime()}), or -1. */
	private long due = -1;

	private long quietSince;

	private int nudges;

	private boolean owesAnswer;

	private boolean aiReleased;

	private @Nullable Instant over;

	/**
	 * A conversation to play.
	 * @param id its id in the archive
	 * @param cast the generated conversation and what to play of it
	 * @param speed how much faster than real time
	 * @param seed its own random choices
	 * @param outbox where its writes go
	 * @param aiDone told once when the AI agent no longer plays it
	 */
	LiveCall(String id, Casting.Cast cast, double speed, long seed, Archive.Outbox outbox, Runnable aiDone) {
		this.id = id;
		this.generated = cast.conversation();
		this.script = new ArrayDeque<>(cast.script());
		this.handOffTo = cast.handOffTo();
		this.speed = speed;
		this.rng = new Random(seed);
		this.outbox = outbox;
		this.aiDone = aiDone;
		String first = this.script.isEmpty() ? null : this.script.peekFirst().channel();
		this.channel = (first != null) ? first : this.generated.platform().json();
		this.handoffNode = Casting.node(this.generated, "handoff");
		this.endNode = Casting.node(this.generated, "end");
	}

	String id() {
		return this.id;
	}

	Platform platform() {
		return this.generated.platform();
	}

	Mode mode() {
		this.lock.lock();
		try {
			return this.mode;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * When it ended.
	 * @return the time, or {@code null} while it goes on
	 */
	@Nullable Instant over() {
		this.lock.lock();
		try {
			return this.over;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Starts the conversation: creates it in the archive, in progress, with its first
	 * message.
	 */
	void begin() {
		this.lock.lock();
		try {
			this.startedAt = now();
			Message first = this.script.pollFirst();
			if (first != null) {
				say(first);
			}
			this.outbox.replace(snapshot());
			this.created = true;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Plays the conversation once {@link #begin begun}, until it ends: says the rest of
	 * its script, waits for people, or ends it, as it goes.
	 */
	void play() {
		this.lock.lock();
		try {
			while (this.mode != Mode.OVER) {
				long now = System.nanoTime();
				if (this.due < 0) {
					this.due = now + nextStep();
				}
				long wait = this.due - now;
				if (wait > 0) {
					this.changed.awaitNanos(wait);
					continue;
				}
				this.due = -1;
				step();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** How long until the next step, in nanoseconds. */
	private long nextStep() {
		return switch (this.mode) {
			case AI -> {
				Message next = this.script.peekFirst();
				if (next != null) {
					long gap = (this.said != null && next.at() != null)
							? Duration.between(this.said, next.at()).toMillis() : SHORTEST_GAP;
					yield scaled(Math.clamp(gap, SHORTEST_GAP, LONGEST_GAP));
				}
				yield (this.handOffTo != null) ? 0 : scaled(1000);
			}
			case WAITING, HELD -> {
				long patience = scaled(PATIENCE.toMillis()) - (System.nanoTime() - this.quietSince);
				if (this.owesAnswer) {
					yield Math.min(patience, scaled(between(2000, 6000)));
				}
				int nudgesAllowed = (this.mode == Mode.WAITING) ? WAITING_LINES.length : STILL_THERE.length;
				yield (this.nudges < nudgesAllowed) ? Math.min(patience, scaled(between(20_000, 60_000))) : patience;
			}
			case OVER -> 0;
		};
	}

	private void step() {
		switch (this.mode) {
			case AI -> {
				Message next = this.script.pollFirst();
				if (next != null) {
					say(next);
				}
				else if (this.handOffTo != null) {
					this.status = Status.HUMAN_HANDOFF;
					this.queue = this.handOffTo;
					waitForAPerson();
					this.outbox.replace(snapshot());
				}
				else {
					end((this.steered || this.generated.status() == null) ? Status.COMPLETED : this.generated.status());
				}
			}
			case WAITING, HELD -> {
				if (System.nanoTime() - this.quietSince >= scaled(PATIENCE.toMillis())) {
					add(SenderType.SYSTEM, "System", "The customer left", null);
					end(Status.ABANDONED);
				}
				else if (this.owesAnswer) {
					this.owesAnswer = false;
					add(SenderType.USER, customerName(), ANSWERS[this.rng.nextInt(ANSWERS.length)], null);
				}
				else {
					String[] lines = (this.mode == Mode.WAITING) ? WAITING_LINES : STILL_THERE;
					add(SenderType.USER, customerName(), lines[Math.min(this.nudges++, lines.length - 1)], null);
				}
			}
			case OVER -> {
			}
		}
	}

	/**
	 * Why an action cannot be taken now.
	 * @param action a well-formed action on this conversation
	 * @return why (the {@code 409}'s body), or {@code null} when it can be taken
	 */
	@Nullable String refusal(Action action) {
		this.lock.lock();
		try {
			if (this.mode == Mode.OVER) {
				return "the conversation is over (" + this.status.json() + ")";
			}
			return switch (action.type()) {
				case "listen" -> (platform() == Platform.VOICE || platform() == Platform.HUMAN_PHONE) ? null
						: "a " + platform().json() + " conversation has no audio to listen to";
				case "take_over" -> (this.holder != null && !this.holder.equals(action.requestedBy()))
						? this.holder + " holds the conversation" : null;
				case "hand_back" -> (this.mode == Mode.AI) ? "the AI agent has the conversation already" : null;
				default -> null;
			};
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Takes an action: changes the conversation and writes its outcome, as the contract's
	 * conventions say. {@code listen} changes nothing: its answer is its outcome, and
	 * listening in is not an event of the transcript.
	 * @param action a well-formed action
	 * @return why it was not taken (see {@link #refusal}), or {@code null} when it was
	 */
	@Nullable String take(Action action) {
		this.lock.lock();
		try {
			String refusal = refusal(action);
			if (refusal != null) {
				return refusal;
			}
			String by = action.requestedBy();
			Map<String, Object> done = outcome(action, null);
			switch (action.type()) {
				case "take_over" -> {
					add(SenderType.SYSTEM, "System", by + " took over", done);
					hold(by);
				}
				case "reply" -> {
					add(SenderType.HUMAN_AGENT, by, action.text(), done);
					this.people.add(by);
					this.quietSince = System.nanoTime();
					if (this.mode == Mode.WAITING) {
						hold(by);
					}
					this.owesAnswer = this.mode == Mode.HELD;
				}
				case "coach" -> {
					add(SenderType.COACHING, by, action.text(), done);
					if (this.mode == Mode.AI) {
						this.coaching = action.actionId();
					}
				}
				case "hand_back" -> {
					add(SenderType.SYSTEM, "System", "Handed back to the AI agent", done);
					this.mode = Mode.AI;
					this.holder = null;
					this.steered = true;
					if (this.script.stream().noneMatch((message) -> message.senderType() == SenderType.AGENT)) {
						// Its script was the part before a person: the AI agent closes.
						this.script.clear();
						this.script.add(line(SenderType.AGENT, this.generated.agent(),
								"Thanks for waiting, I'm back with you. Is there anything else I can help with?"));
						this.script.add(line(SenderType.USER, null, "No, that's all. Thanks."));
						this.script.add(line(SenderType.AGENT, this.generated.agent(), "You're welcome. Goodbye!"));
						this.said = null;
					}
					if (this.status != Status.IN_PROGRESS) {
						this.status = Status.IN_PROGRESS;
						this.outbox.replace(snapshot());
					}
				}
				case "transfer" -> {
					if (platform() == Platform.VOICE || platform() == Platform.HUMAN_PHONE) {
						add(SenderType.SYSTEM, "System", "Transferred to " + action.to(), done);
						end(Status.COMPLETED);
					}
					else {
						String reason = "a " + platform().json()
								+ " conversation cannot be transferred to a phone number";
						add(SenderType.SYSTEM, "System", "Could not transfer to " + action.to() + ": " + reason,
								outcome(action, reason));
					}
				}
				case "enqueue" -> {
					add(SenderType.SYSTEM, "System", "Enqueued to " + action.queue(), done);
					this.status = Status.HUMAN_HANDOFF;
					this.queue = action.queue();
					this.holder = null;
					this.steered = true;
					waitForAPerson();
					this.outbox.replace(snapshot());
				}
				case "end" -> {
					add(SenderType.SYSTEM, "System", "Call ended", done);
					this.steered = true;
					end(Status.COMPLETED);
				}
				default -> {
				}
			}
			this.due = -1;
			this.changed.signalAll();
			return null;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Ends the conversation because the platform stops, if it still goes on.
	 */
	void stop() {
		this.lock.lock();
		try {
			if (this.mode != Mode.OVER) {
				// Where it was stopped.
				addAt(this.messages.isEmpty() ? null : this.messages.getLast().flowNode(), SenderType.SYSTEM, "System",
						"The agent platform stopped", null);
				this.steered = true;
				end(Status.FAILED);
				this.changed.signalAll();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Waits for its writes to be sent, once it is over.
	 * @param timeout how long at most
	 * @return whether they were
	 */
	boolean awaitWritten(Duration timeout) throws InterruptedException {
		return this.outbox.awaitSent(timeout);
	}

	private void hold(String person) {
		this.holder = person;
		this.people.add(person);
		this.mode = Mode.HELD;
		this.steered = true;
		this.nudges = 0;
		this.quietSince = System.nanoTime();
		releaseAi();
		if (this.status != Status.IN_PROGRESS) {
			this.status = Status.IN_PROGRESS;
			this.outbox.replace(snapshot());
		}
	}

	private void waitForAPerson() {
		this.mode = Mode.WAITING;
		this.nudges = 0;
		this.owesAnswer = false;
		this.quietSince = System.nanoTime();
		releaseAi();
	}

	private void end(Status status) {
		this.status = status;
		Instant now = now();
		Instant last = this.messages.isEmpty() ? null : this.messages.get(this.messages.size() - 1).at();
		this.endedAt = (last != null && last.isAfter(now)) ? last : now;
		this.mode = Mode.OVER;
		this.over = this.endedAt;
		this.outbox.replace(snapshot());
		this.outbox.close();
		releaseAi();
	}

	private void releaseAi() {
		if (!this.aiReleased) {
			this.aiReleased = true;
			this.aiDone.run();
		}
	}

	/** Says a message of the script now. */
	private void say(Message message) {
		this.said = message.at();
		Object data = message.data();
		if (this.coaching != null && message.senderType() == SenderType.AGENT) {
			// The AI agent's next words follow the coaching.
			Map<String, Object> followed = new LinkedHashMap<>();
			if (data instanceof Map<?, ?> map) {
				map.forEach((key, value) -> followed.put(String.valueOf(key), value));
			}
			followed.put("followsCoaching", this.coaching);
			data = followed;
			this.coaching = null;
		}
		append(new Message(now(), message.senderType(), message.senderName(), message.channel(), message.text(), data,
				message.function(), message.flowNode()));
	}

	/**
	 * A message of the platform's own, not the script's: what people do and what their
	 * actions cause happens where the flow hands a conversation to a person.
	 */
	private void add(SenderType sender, @Nullable String name, @Nullable String text, @Nullable Object data) {
		addAt(this.handoffNode, sender, name, text, data);
	}

	private void addAt(@Nullable String node, SenderType sender, @Nullable String name, @Nullable String text,
			@Nullable Object data) {
		append(new Message(now(), sender, name, this.channel, text, data, null, node));
	}

	private void append(Message message) {
		Instant last = this.messages.isEmpty() ? null : this.messages.get(this.messages.size() - 1).at();
		if (last != null && !message.at().isAfter(last)) {
			// Two messages in one millisecond keep their order.
			message = new Message(last.plusMillis(1), message.senderType(), message.senderName(), message.channel(),
					message.text(), message.data(), message.function(), message.flowNode());
		}
		this.messages.add(message);
		if (this.created) {
			this.outbox.append(List.of(message));
		}
	}

	/** A line the AI agent and the customer say to close, at the flow's end. */
	private Message line(SenderType sender, @Nullable Ref agent, String text) {
		String name = (sender == SenderType.USER) ? customerName() : (agent != null) ? agent.name() : "AI agent";
		return new Message(null, sender, name, this.channel, text, null, null, this.endNode);
	}

	private @Nullable String customerName() {
		return (this.generated.contact() != null) ? this.generated.contact().name() : null;
	}

	private static Map<String, Object> outcome(Action action, @Nullable String failure) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("actionId", action.actionId());
		data.put("outcome", (failure != null) ? "failed" : "done");
		if (failure != null) {
			data.put("reason", failure);
		}
		return data;
	}

	/**
	 * The whole conversation as it stands. While it goes on, what is known only at its
	 * end (the summary, the analysis, the sentiment, the flags, the resolution) is left
	 * out; it ends with them only if it went as generated.
	 */
	private Conversation snapshot() {
		Conversation g = this.generated;
		boolean asGenerated = this.mode == Mode.OVER && !this.steered;
		Map<String, Object> tags = (g.tags() != null) ? new LinkedHashMap<>(g.tags()) : new LinkedHashMap<>();
		if (!asGenerated) {
			tags.remove("Resolution");
		}
		List<Ref> liveAgents = new ArrayList<>();
		if (g.liveAgents() != null) {
			for (Ref agent : g.liveAgents()) {
				if (this.messages.stream()
					.anyMatch((message) -> agent.name() != null && agent.name().equals(message.senderName())
							&& message.senderType() == SenderType.HUMAN_AGENT)) {
					liveAgents.add(agent);
				}
			}
		}
		for (String person : this.people) {
			liveAgents.add(new Ref(person, person));
		}
		return new Conversation(this.id, g.platform(), g.pointOfContact(), g.contact(), g.direction(), g.environment(),
				this.status, g.flow(), g.agent(), liveAgents.isEmpty() ? null : liveAgents, g.voice(), this.startedAt,
				this.endedAt, asGenerated ? g.flagged() : null, asGenerated ? g.flags() : null, tags, g.parameters(),
				asGenerated ? g.sentiment() : null, asGenerated ? g.reason() : null, asGenerated ? g.summary() : null,
				asGenerated ? g.analysis() : null, List.copyOf(this.messages), null, null, null, null, null, null, null,
				null, null, this.queue, g.flowVersion(), null);
	}

	private long scaled(long millis) {
		return (long) (TimeUnit.MILLISECONDS.toNanos(millis) / this.speed);
	}

	private long between(int min, int max) {
		return min + this.rng.nextInt(max - min + 1);
	}

	private static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.MILLIS);
	}

}
