package org.conversationarchive.generator;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.conversationarchive.conversation.Conversation.FunctionCall;
import org.conversationarchive.conversation.Conversation.Message;
import org.conversationarchive.conversation.Conversation.Ref;
import org.conversationarchive.conversation.Platform;
import org.conversationarchive.conversation.SenderType;
import org.conversationarchive.generator.ContactPool.Person;
import org.jspecify.annotations.Nullable;

/**
 * One conversation being written: its transcript with a clock that moves as people on
 * this channel would (seconds on a call, minutes by text, hours by email), the slot
 * values its phrasings are filled with, and the tags and parameters it accumulates.
 */
final class Dialog {

	final Rng rng;

	final Platform platform;

	final Person person;

	final Ref agent;

	final List<Message> messages = new ArrayList<>(32);

	final Map<String, Object> tags = new LinkedHashMap<>();

	final Map<String, String> parameters = new LinkedHashMap<>();

	final List<Ref> liveAgents = new ArrayList<>(2);

	/** Things said that a reviewer would flag, as flag reasons. */
	final List<String> concerns = new ArrayList<>(2);

	private final Map<String, String> slots = new HashMap<>(48);

	private final String channel;

	private final String userName;

	private final Instant startedAt;

	private long clockMillis;

	private @Nullable Ref human;

	/**
	 * The node of its flow the conversation is at: what {@link Story} plays sets it, and
	 * every message is marked with it.
	 */
	String node = Script.GREETING;

	/**
	 * The flow's lookup function, whose call from {@link Script#IDENTIFY} is its node.
	 */
	@Nullable String lookup;

	/** The version of its flow the conversation runs. */
	int flowVersion = 1;

	/** Which of its flow's issues the conversation is about. */
	int issue;

	/** How upset the contact is: 0 calm, higher when complaining. */
	int frustration;

	/** Whether the contact asked for something the flow could not do, or was confused. */
	boolean confused;

	Dialog(Rng rng, Platform platform, Person person, Ref agent, Instant startedAt) {
		this.rng = rng;
		this.platform = platform;
		this.person = person;
		this.agent = agent;
		this.channel = platform.json();
		this.startedAt = startedAt;
		this.clockMillis = startedAt.toEpochMilli();
		this.userName = switch (platform) {
			case EMAIL, WEB, SLACK -> (person.name() != null) ? person.name() : person.email();
			default -> (person.name() != null) ? person.name() : person.phone();
		};
		put("first", person.first());
		put("name", person.fullName());
		put("company", Catalog.COMPANY);
		put("agent", firstWord(agent.name()));
		put("email", person.email());
		put("phone", person.phone());
		put("phoneLast4", person.phone().substring(person.phone().length() - 4));
		put("city", rng.pick(Catalog.CITIES));
		LocalDate today = LocalDate.ofInstant(startedAt, ZoneOffset.UTC);
		LocalDate future = today.plusDays(rng.between(1, 12));
		LocalDate past = today.minusDays(rng.between(2, 20));
		put("date", date(future));
		put("isoDate", future.toString());
		put("soonDate", date(today.plusDays(rng.between(1, 3))));
		put("pastDate", date(past));
		put("isoPastDate", past.toString());
		put("month", Catalog.MONTHS[today.minusMonths(rng.between(0, 1)).getMonthValue() - 1]);
		put("time", rng.pick(Catalog.TIMES));
		put("altTime", rng.pick(Catalog.TIMES));
	}

	static String date(LocalDate date) {
		return Catalog.DAYS[date.getDayOfWeek().getValue() - 1] + ", " + Catalog.MONTHS[date.getMonthValue() - 1] + " "
				+ date.getDayOfMonth();
	}

	static String firstWord(@Nullable String text) {
		if (text == null) {
			return "";
		}
		int space = text.indexOf(' ');
		return (space < 0) ? text : text.substring(0, space);
	}

	boolean voiceLike() {
		return this.platform == Platform.VOICE || this.platform == Platform.HUMAN_PHONE;
	}

	boolean email() {
		return this.platform == Platform.EMAIL;
	}

	boolean textLike() {
		return this.platform == Platform.SMS || this.platform == Platform.WHATSAPP;
	}

	Instant startedAt() {
		return this.startedAt;
	}

	Instant clock() {
		return Instant.ofEpochMilli(this.clockMillis);
	}

	@Nullable Ref human() {
		return this.human;
	}

	/**
	 * A live agent takes over: from now on the company's side of the conversation is this
	 * person's.
	 * @param liveAgent the live agent
	 */
	void handOver(Ref liveAgent) {
		this.human = liveAgent;
		if (!this.liveAgents.contains(liveAgent)) {
			this.liveAgents.add(liveAgent);
		}
		put("liveAgent", firstWord(liveAgent.name()));
	}

	void put(String key, String value) {
		this.slots.put(key, value);
	}

	boolean has(String key) {
		return this.slots.containsKey(key);
	}

	String get(String key) {
		String value = this.slots.get(key);
		if (value == null) {
			throw new IllegalStateException("no slot '" + key + "'");
		}
		return value;
	}

	void tag(String key, Object value) {
		this.tags.put(key, value);
	}

	void param(String key, String value) {
		this.parameters.put(key, value);
	}

	/**
	 * The contact says one of these.
	 * @param phrasings alternative phrasings with {@code {slot}} placeholders
	 */
	void user(String... phrasings) {
		say(SenderType.USER, this.userName, fill(this.rng.pick(phrasings)), null);
	}

	void userWithData(Object data, String... phrasings) {
		say(SenderType.USER, this.userName, fill(this.rng.pick(phrasings)), data);
	}

	/**
	 * The company's side says one of these: the AI agent, or the live agent once one has
	 * taken over.
	 * @param phrasings alternative phrasings with {@code {slot}} placeholders
	 */
	void agent(String... phrasings) {
		agentWithData(null, phrasings);
	}

	void agentWithData(@Nullable Object data, String... phrasings) {
		String text = fill(this.rng.pick(phrasings));
		if (this.human != null) {
			say(SenderType.HUMAN_AGENT, this.human.name(), text, data);
		}
		else {
			say(SenderType.AGENT, this.agent.name(), text, data);
		}
	}

	/**
	 * The AI agent says one of these, whoever else is in the conversation.
	 * @param phrasings alternative phrasings with {@code {slot}} placeholders
	 */
	void bot(String... phrasings) {
		say(SenderType.AGENT, this.agent.name(), fill(this.rng.pick(phrasings)), null);
	}

	void system(String... phrasings) {
		say(SenderType.SYSTEM, "System", fill(this.rng.pick(phrasings)), null);
	}

	void coaching(String... phrasings) {
		say(SenderType.COACHING, this.agent.name(), fill(this.rng.pick(phrasings)), null);
	}

	/**
	 * A function the agent called, as its own transcript entry.
	 * @param name the function
	 * @param arguments its arguments
	 * @param result what it returned
	 */
	void call(String name, Map<String, ?> arguments, Object result) {
		if (Script.IDENTIFY.equals(this.node) && this.lookup != null) {
			// Found: what follows is said on the lookup's result. The lookup node stands
			// for
			// whatever the flow calls to find the contact's records (a search, in
			// travel).
			this.node = this.lookup;
		}
		say(SenderType.FUNCTION, name, null, null, new FunctionCall(name, arguments, result));
	}

	/**
	 * Lets time pass without anyone writing, e.g. a contact who walked away.
	 * @param minSeconds the shortest pause
	 * @param maxSeconds the longest pause
	 */
	void pause(int minSeconds, int maxSeconds) {
		this.clockMillis += this.rng.between(minSeconds, maxSeconds) * 1000L;
	}

	private void say(SenderType type, @Nullable String name, @Nullable String text, @Nullable Object data) {
		say(type, name, text, data, null);
	}

	private void say(SenderType type, @Nullable String name, @Nullable String text, @Nullable Object data,
			@Nullable FunctionCall function) {
		if (this.messages.isEmpty()) {
			this.clockMillis += (type == SenderType.SYSTEM) ? 0 : this.rng.between(200, 2500);
		}
		else {
			this.clockMillis += gapMillis(type, (text != null) ? text.length() : 0);
		}
		this.messages.add(new Message(Instant.ofEpochMilli(this.clockMillis), type, name, this.channel, text, data,
				function, this.node));
	}

	/**
	 * How long after the previous message this one comes: speaking takes about a second
	 * per fifteen characters, typing a second per four, and email is answered in minutes
	 * by the AI and in hours by people.
	 */
	private long gapMillis(SenderType type, int length) {
		Rng r = this.rng;
		if (voiceLike()) {
			return switch (type) {
				case USER -> r.between(400, 2500) + length * 70L;
				case AGENT -> r.between(500, 1600) + length * 65L;
				case HUMAN_AGENT -> r.between(800, 3500) + length * 70L;
				case FUNCTION -> r.between(150, 1800);
				default -> r.between(100, 1500);
			};
		}
		if (email()) {
			return switch (type) {
				case USER -> r.between(15 * 60, 26 * 3600) * 1000L;
				case AGENT -> r.between(20, 180) * 1000L;
				case HUMAN_AGENT -> r.between(10 * 60, 6 * 3600) * 1000L;
				case FUNCTION -> r.between(300, 4000);
				default -> r.between(100, 2000);
			};
		}
		boolean texting = textLike();
		return switch (type) {
			case USER -> (texting ? r.between(8000, 120_000) : r.between(3000, 25_000)) + length * 220L;
			case AGENT -> r.between(900, 3500);
			case HUMAN_AGENT -> r.between(6000, 60_000) + length * 150L;
			case FUNCTION -> r.between(150, 2000);
			case COACHING -> r.between(1000, 4000);
			default -> r.between(100, 1500);
		};
	}

	/**
	 * A phrasing with its slots filled in; {@code {a:slot}} adds the indefinite article
	 * ({@code {A:slot}} capitalized).
	 * @param template text with {@code {slot}} placeholders
	 * @return the text
	 */
	String fill(String template) {
		int open = template.indexOf('{');
		if (open < 0) {
			return template;
		}
		StringBuilder text = new StringBuilder(template.length() + 32);
		int from = 0;
		while (open >= 0) {
			int close = template.indexOf('}', open);
			text.append(template, from, open);
			String key = template.substring(open + 1, close);
			if (key.length() > 2 && key.charAt(1) == ':') {
				String value = withArticle(get(key.substring(2)));
				text.append(
						(key.charAt(0) == 'A') ? Character.toUpperCase(value.charAt(0)) + value.substring(1) : value);
			}
			else {
				text.append(get(key));
			}
			from = close + 1;
			open = template.indexOf('{', from);
		}
		return text.append(template, from, template.length()).toString();
	}

	/**
	 * A noun phrase with its indefinite article: "an air fryer", "a yoga mat", "running
	 * shoes".
	 * @param phrase the noun phrase
	 * @return the phrase with "a" or "an"
	 */
	static String withArticle(String phrase) {
		if (phrase.endsWith("s") && !phrase.endsWith("ss")) {
			// Plurals (running shoes, sunglasses) take none.
			return phrase;
		}
		char first = Character.toLowerCase(phrase.charAt(0));
		return ("aeiou".indexOf(first) >= 0) ? "an " + phrase : "a " + phrase;
	}

	/**
	 * An ordered JSON object, for function arguments, results and message data.
	 * @param keysAndValues alternating keys and values
	 * @return the object
	 */
	static Map<String, Object> json(Object... keysAndValues) {
		Map<String, Object> json = new LinkedHashMap<>(keysAndValues.length);
		for (int i = 0; i < keysAndValues.length; i += 2) {
			json.put((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return json;
	}

}
