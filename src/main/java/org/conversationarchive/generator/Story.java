package org.conversationarchive.generator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.conversationarchive.conversation.Conversation.Flag;
import org.conversationarchive.conversation.Conversation.Message;
import org.conversationarchive.conversation.Conversation.Ref;
import org.conversationarchive.conversation.Conversation.Sentiment;
import org.conversationarchive.conversation.Direction;
import org.conversationarchive.conversation.FlagSource;
import org.conversationarchive.conversation.Platform;
import org.conversationarchive.conversation.SenderType;
import org.conversationarchive.conversation.Status;
import org.jspecify.annotations.Nullable;

import static org.conversationarchive.generator.Dialog.json;

/**
 * How a conversation goes, given how it ends: which phases of its flow happen, who speaks
 * for the company, and what its ending looks like on this channel (a hang-up, a chat
 * closed for inactivity, a transfer to a person, an opt-out), and then what a reviewer
 * would write about it: sentiment, flags, reason, summary and analysis.
 */
final class Story {

	private final Dialog d;

	private final Script flow;

	private final Status status;

	private final Direction direction;

	private boolean identified;

	private @Nullable String handoffWhy;

	private int humanRequests;

	private @Nullable String failure;

	private boolean handedOff;

	Story(Dialog dialog, Script flow, Status status, Direction direction) {
		this.d = dialog;
		this.flow = flow;
		this.status = status;
		this.direction = direction;
	}

	boolean outbound() {
		return this.direction == Direction.OUTBOUND;
	}

	void play() {
		this.d.put("topic", this.d.fill(this.flow.topic));
		if (this.d.platform == Platform.HUMAN_PHONE) {
			this.d.handOver(this.d.rng.pick(Catalog.LIVE_AGENTS));
			// On a person's call, the person is who introduces themselves and leaves
			// messages.
			this.d.put("agent", this.d.get("liveAgent"));
		}
		switch (this.status) {
			case NO_ANSWER -> noAnswer();
			case VOICEMAIL_MESSAGE_LEFT -> voicemail(true);
			case VOICEMAIL_NO_MESSAGE_LEFT -> voicemail(false);
			case UNSUBSCRIBED -> unsubscribed();
			default -> conversation();
		}
		if (this.d.email()) {
			asEmails();
		}
	}

	private void conversation() {
		opening();
		switch (this.status) {
			case COMPLETED -> {
				// Email threads stay short: every turn costs the customer hours.
				middle(this.d.email() ? this.d.rng.between(0, 1)
						: this.d.rng.weighted(new int[] { 20, 35, 25, 12, 5, 3 }));
				resolve();
				closing();
			}
			case HUMAN_HANDOFF -> handoff();
			case ABANDONED -> abandoned();
			case FAILED -> failed();
			case IN_PROGRESS -> {
				identify();
				// A quick answer leaves the conversation open only if more was asked.
				details(this.d.rng.between((this.d.messages.size() < 4) ? 1 : 0, 2));
			}
			case REPORTED -> reported();
			case RESTARTED -> restarted();
			default -> throw new IllegalStateException("no story for " + this.status);
		}
	}

	private void opening() {
		Dialog d = this.d;
		if (outbound()) {
			if (d.voiceLike()) {
				d.system("Outbound call to {phone}", "Dialing {phone}");
				d.system("Call answered", "Call connected");
			}
			this.flow.outboundOpening(d);
			if (d.rng.chance(0.5)) {
				d.user("Yes, this is {first}.", "Hi, yes.", "Speaking.", "Oh, hi.", "Yes, go ahead.");
			}
			// Reached about one thing, the contact brings up what bothers them about it.
			intent();
			return;
		}
		switch (d.platform) {
			case VOICE -> {
				d.system("Call connected", "Inbound call from {phone}");
				if (d.person.spanish() || d.rng.chance(0.2)) {
					d.bot("For English, press 1. Para español, oprima 2.",
							"Thanks for calling {company}. For English, press 1. Para español, oprima el 2.");
					String key = d.person.spanish() ? "2" : "1";
					d.userWithData(json("dtmf", key), "[pressed " + key + "]");
				}
				if (d.person.spanish()) {
					spanish();
				}
				d.agent("Thank you for calling {company}, this is {agent}, your virtual assistant. How can I help you today?",
						"Hi, you've reached {company}. I'm {agent}, an AI assistant. What can I do for you?",
						"Welcome to {company}! I'm {agent}. How can I help?",
						"Thanks for calling {company}. This call may be recorded. I'm {agent}, how can I help you?");
				intent();
			}
			case HUMAN_PHONE -> {
				d.system("Call connected to {liveAgent}", "Inbound call from {phone} answered by {liveAgent}");
				d.agent("Thank you for calling {company}, my name is {liveAgent}. How can I help you today?",
						"{company} customer care, this is {liveAgent} speaking. How may I help?",
						"Hi, thanks for calling {company}. This is {liveAgent}.");
				if (d.person.spanish()) {
					spanish();
				}
				intent();
			}
			case WEB -> {
				if (d.rng.chance(0.5)) {
					d.system("Chat started from {page}", "Visitor opened the chat on {page}");
				}
				Object quickReplies = d.rng.chance(0.35) ? json("quickReplies",
						List.of("Track my order", "Returns & refunds", "Billing", "Talk to a person")) : null;
				d.agentWithData(quickReplies,
						"Hi! I'm {agent}, {company}'s virtual assistant. What can I help you with?",
						"Hello 👋 I'm {agent}. Ask me anything about your orders, account or billing.",
						"Hi there! How can I help you today?");
				if (d.person.spanish()) {
					spanish();
				}
				intent();
			}
			case SMS, WHATSAPP -> {
				if (d.rng.chance(0.4)) {
					d.user("Hi", "Hello", "Hi there", "hey");
					d.agent("Hi! This is {agent}, {company}'s virtual assistant. How can I help?",
							"Hello! You're chatting with {agent} from {company}. What can I do for you?");
				}
				if (d.person.spanish()) {
					spanish();
				}
				intent();
			}
			case SLACK -> {
				d.user("hey team, quick one", "Hi all 👋", "hello, need some help here");
				d.agent("Hi {first}! I'm {agent}, the {company} support bot. What's up?",
						"Hey {first}, {agent} here. How can I help?");
				intent();
			}
			default -> intent();
		}
	}

	/**
	 * A Spanish-speaking contact starts in Spanish, and the conversation continues in
	 * English.
	 */
	private void spanish() {
		Dialog d = this.d;
		d.user("Hola, ¿hablan español?", "Buenos días, necesito ayuda por favor.", "Hola, tengo un problema.");
		d.agent("¡Hola! Puedo ayudarle en español o en inglés. ¿Qué prefiere?",
				"Claro que sí. ¿Prefiere continuar en español o en inglés?");
		d.user("English is fine, thanks.", "Inglés está bien. OK, English.", "Let's do English.");
		d.tag("Language", d.rng.chance(0.3) ? "es" : List.of("es", "en"));
	}

	/**
	 * Moves the conversation to a node of its flow, unless a person has taken it over:
	 * from the handoff on, it has left the flow.
	 */
	private void at(String node) {
		if (!this.handedOff) {
			this.d.node = node;
		}
	}

	private void intent() {
		at(Script.INTENT);
		this.flow.intent(this.d);
	}

	private void details(int rounds) {
		at(Script.QUESTIONS);
		this.flow.details(this.d, rounds);
	}

	private void resolve() {
		at(this.flow.branch(this.d.issue));
		this.flow.resolve(this.d);
	}

	private void identify() {
		if (!this.identified) {
			at(Script.IDENTIFY);
			this.flow.identify(this.d);
			this.identified = true;
		}
	}

	private void middle(int rounds) {
		if (this.d.rng.chance(0.12)) {
			if (this.d.flowVersion >= 2) {
				at(Script.CONFIRM);
			}
			this.d.agent("Just to make sure I understand: is this about {callReason}?",
					"Let me confirm: you're contacting us about {callReason}, right?");
			this.d.user("Yes, exactly.", "Yes.", "Right.", "Yep, that's it.");
		}
		identify();
		details(rounds);
		if (this.d.rng.chance(0.06)) {
			this.d.user("Sorry, my connection dropped for a second. What did you say?",
					"Sorry, I got distracted. Can you say that again?");
			this.d.agent("No problem. In short: we're almost done.", "No worries, I'll repeat it.");
		}
	}

	private void closing() {
		Dialog d = this.d;
		at(Script.END);
		if (!d.email() && d.rng.chance(0.6)) {
			d.agent("Is there anything else I can help you with?", "Anything else I can do for you today?",
					"Can I help with anything else?");
			d.user("No, that's all. Thanks!", "No, that's it.", "Nope, you've been very helpful.",
					"That's everything, thank you.");
		}
		d.agent("Thanks for contacting {company}, {first}. Have a great day!", "You're welcome! Take care, {first}.",
				"Glad I could help. Goodbye!", "Thank you for your patience today. Bye!");
		if (d.voiceLike()) {
			d.system("Call ended", "Caller hung up", "Call completed");
		}
		else if (d.rng.chance(0.3) && !d.email()) {
			d.system("Conversation closed", "Chat ended by the customer");
		}
	}

	private void handoff() {
		Dialog d = this.d;
		boolean wantsHuman = d.human() == null && d.rng.chance(0.6);
		if (d.rng.chance(0.6)) {
			identify();
			details(d.rng.between(0, 1));
		}
		at(Script.HANDOFF);
		this.handedOff = true;
		if (wantsHuman) {
			this.humanRequests = 1;
			d.user("Can I talk to a real person?", "I'd like to speak to a human, please.",
					"Agent. Representative. Get me a human.", "This isn't helping, transfer me to someone.",
					"Can you connect me with a live agent?");
			d.frustration++;
			if (d.rng.chance(0.35)) {
				d.bot("I can help with most requests. Could you tell me a bit more about the problem first?",
						"I understand. Before I transfer you, can I try one more thing?");
				d.user("No. I want a person.", "Please, just transfer me.", "I already explained. A human, please.");
				this.humanRequests = 2;
				d.frustration++;
			}
			this.handoffWhy = "the customer asked for a person";
		}
		else {
			d.agent("This needs one of our specialists. Let me connect you with a member of our team.",
					"I'm not able to complete that here, but a colleague can. I'll transfer you now.",
					"For this request I need to bring in a person from our {callReason} team.");
			this.handoffWhy = "the request needed a specialist";
		}
		Ref live = d.rng.pick(Catalog.LIVE_AGENTS);
		if (live.equals(d.human())) {
			live = Catalog.LIVE_AGENTS.get((Catalog.LIVE_AGENTS.indexOf(live) + 1) % Catalog.LIVE_AGENTS.size());
		}
		int wait = d.rng.between(15, 420);
		d.put("wait", Integer.toString(Math.max(1, wait / 60)));
		d.call("transfer_to_human",
				json("queue", this.flow.callReason, "reason", this.handoffWhy, "priority",
						(d.frustration > 1) ? "high" : "normal"),
				json("queued", true, "position", d.rng.between(1, 9), "estimatedWaitSeconds", wait));
		if (d.voiceLike()) {
			d.agent("I'm transferring you now. Please hold.", "Please stay on the line while I connect you.");
		}
		else {
			d.agent("I'm connecting you with a live agent. The wait is about {wait} min.",
					"A member of our team will join this chat shortly.");
		}
		d.pause(wait / 2, wait);
		d.put("liveAgent", Dialog.firstWord(live.name()));
		d.system("{liveAgent} joined the conversation", "Transferred to {liveAgent}",
				"Live agent {liveAgent} connected");
		d.handOver(live);
		d.agent("Hi {first}, this is {liveAgent}. I've read your conversation with our assistant, thanks for waiting.",
				"Hello {first}, {liveAgent} here. Sorry for the wait, let me take a look.",
				"Hi, I'm {liveAgent} from the {callReason} team. I can take it from here.");
		if (d.rng.chance(0.3)) {
			coaching();
		}
		identify();
		if (d.rng.chance(0.1)) {
			Ref supervisor = Catalog.LIVE_AGENTS
				.get((Catalog.LIVE_AGENTS.indexOf(live) + 3) % Catalog.LIVE_AGENTS.size());
			d.agent("I'll bring in my supervisor to approve this.", "Let me get a supervisor to help with this one.");
			d.put("liveAgent", Dialog.firstWord(supervisor.name()));
			d.system("{liveAgent} joined the conversation");
			d.handOver(supervisor);
			d.agent("Hi {first}, I'm {liveAgent}, the team lead. I've approved it.");
		}
		resolve();
		closing();
	}

	private void coaching() {
		this.d.coaching("Tip: confirm the {callReason} details back to the customer before acting.",
				"Customer sentiment is negative: acknowledge the wait before continuing.",
				"Suggested reply: offer to email a summary of the next steps.",
				"Reminder: verify identity before discussing account details.",
				"This contact has reached out several times recently; consider a goodwill gesture.",
				"Don't read full card or account numbers aloud.");
	}

	private void abandoned() {
		Dialog d = this.d;
		if (d.rng.chance(0.55)) {
			identify();
			details(1);
		}
		else {
			d.agent("I can help with that. Could you share a few more details first?",
					"Sure. Can you tell me a bit more?", "Happy to help. Could you give me some more details?");
		}
		if (d.voiceLike()) {
			d.pause(2, 8);
			d.system("Caller hung up", "Call disconnected by the caller");
		}
		else if (d.email()) {
			d.pause(86_400, 3 * 86_400);
			d.agent("Just following up on my previous message. Let us know if you still need help.",
					"We haven't heard back from you. Reply to this email any time and we'll pick it up.");
			d.pause(3 * 86_400, 5 * 86_400);
			d.system("Ticket closed automatically: no reply from the customer");
		}
		else {
			d.pause(120, 600);
			d.agent("Are you still there? I'll close this chat soon if I don't hear back.",
					"Just checking in, do you still need help?");
			d.pause(300, 600);
			d.system("Conversation closed after 10 minutes of inactivity", "Customer left the chat");
		}
	}

	private void failed() {
		Dialog d = this.d;
		if (d.rng.chance(0.5)) {
			identify();
		}
		int mode = d.rng.nextInt(d.voiceLike() ? 3 : 2);
		switch (mode) {
			case 0 -> {
				String function = this.flow.lookup;
				at(function);
				this.failure = function + " timed out";
				d.call(function, json("contactId", d.person.id()),
						json("error", json("code", "UPSTREAM_TIMEOUT", "message", "no response within 10 seconds")));
				d.agent("I'm sorry, I'm having trouble reaching our systems right now. Please try again in a little while.",
						"Apologies, something went wrong on our side and I can't access your details at the moment.");
				d.user("Seriously?", "OK, I'll try later.", "That's annoying.");
				d.frustration++;
				d.system("Conversation ended: upstream error");
			}
			case 1 -> {
				this.failure = "the agent stopped responding";
				d.agent("One moment please...", "Let me check that for you.");
				d.pause(30, 180);
				d.user("Hello?", "Are you there?", "??");
				d.system("Agent error: the model did not respond", "Conversation ended: agent timeout");
				d.frustration++;
			}
			default -> {
				this.failure = "speech recognition failed";
				d.agent("I'm sorry, I didn't catch that. Could you repeat it?");
				d.user("I said, I need help with my {callReason}.", "Can you hear me?");
				d.agent("Sorry, I'm having trouble understanding. Could you say that again?");
				d.system("Call dropped: network error (SIP 503)", "Call ended: audio stream lost");
				d.confused = true;
			}
		}
	}

	private void reported() {
		Dialog d = this.d;
		identify();
		// The request was routed to the wrong branch.
		at(Script.INTENT);
		d.agent("I can help you with {otherReason} questions. What would you like to know?",
				"It sounds like you want to update your address. Is that right?",
				"Here's an article that might help: How to manage your notifications.");
		d.user("That's not what I asked.", "No, that's wrong. I already told you twice.", "What? That makes no sense.");
		d.frustration += 2;
		d.agent("I'm sorry for the confusion. Could you rephrase your question?",
				"Apologies. Let me try again: are you asking about your account settings?");
		d.user("This is useless. I'm reporting this conversation.", "I want to report this chat.",
				"Forget it. I'm filing a complaint about this bot.");
		d.call("report_conversation", json("reason", "customer_complaint", "category", "wrong_answers"),
				json("reportId", "rep_" + Script.alphanumeric(d.rng, 10), "reviewQueue", "qa"));
		d.agent("I'm sorry I couldn't help. I've recorded your feedback and a supervisor will review this conversation.");
		d.system("Conversation reported by the customer");
	}

	private void restarted() {
		Dialog d = this.d;
		d.agent("Sure, I can help you with {otherReason}. Can I have your account number?",
				"Got it, you'd like help with {otherReason}.");
		d.user("No, that's not what I meant. Can we start over?", "Start over.", "That's wrong. Let me start again.");
		d.confused = true;
		d.system("Conversation restarted");
		at(Script.GREETING);
		d.agent("No problem, let's start again. What can I help you with?",
				"Sorry about that! Let's start over. How can I help?");
		intent();
		middle(d.rng.between(0, 2));
		resolve();
		closing();
	}

	private void unsubscribed() {
		Dialog d = this.d;
		if (outbound()) {
			if (d.voiceLike()) {
				d.system("Outbound call to {phone}");
				d.system("Call answered");
			}
			this.flow.outboundOpening(d);
			if (d.voiceLike()) {
				d.user("Please take me off your call list.", "Stop calling me, please. I want to be removed.",
						"I'm not interested. Don't call this number again.");
			}
			else {
				d.user("STOP", "Stop", "unsubscribe", "Please stop messaging me.", "UNSUBSCRIBE");
			}
		}
		else {
			intent();
			identify();
			resolve();
			d.agent("Would you like to receive updates and offers by {channelWord}?",
					"Can we send you occasional offers by {channelWord}?");
			d.user("No. Actually, please unsubscribe me from all marketing.",
					"No thanks, and please stop sending me promotions.");
		}
		at(Script.END);
		d.call("unsubscribe_contact",
				json("contactId", d.person.id(), "channel", d.platform.json(), "scope", "marketing"),
				json("unsubscribed", true, "effective", "immediately"));
		d.agent("You've been unsubscribed and won't receive further {channelWord} messages from {company}.",
				"Done. You're opted out of {company} {channelWord} messages. Sorry for the bother.");
		d.system("Contact opted out of {channelWord} messages");
	}

	private void noAnswer() {
		Dialog d = this.d;
		d.system("Dialing {phone}", "Outbound call to {phone}");
		d.system("Ringing");
		int seconds = d.rng.between(25, 45);
		d.pause(seconds - 2, seconds);
		d.system("No answer after " + seconds + " seconds", "Call not answered (" + seconds + " s)");
		logOutcome("no_answer");
	}

	private void voicemail(boolean leaveMessage) {
		Dialog d = this.d;
		d.system("Dialing {phone}", "Outbound call to {phone}");
		d.pause(8, 25);
		d.system("Voicemail greeting detected", "Answering machine detected");
		if (leaveMessage) {
			d.agent("Hi {first}, this is {agent} from {company}, calling about {topic}. Please call us back at {callback}. Thank you!",
					"Hello, this message is for {first}. It's {agent} from {company} with an update on {topic}. You can reach us at {callback} or reply to our text. Thanks!");
			d.system("Voicemail message left");
		}
		else {
			d.system("Mailbox full: no message left", "No message left (campaign policy: first attempt)",
					"Voicemail detected; hung up without leaving a message");
		}
		logOutcome(leaveMessage ? "voicemail_message_left" : "voicemail_no_message_left");
	}

	private void logOutcome(String outcome) {
		this.d.call("log_call_outcome", json("outcome", outcome, "attempt", this.d.rng.between(1, 3)),
				json("logged", true, "nextAttemptAt", this.d.clock().plusSeconds(86_400).toString()));
	}

	/**
	 * Email threads read as emails: a greeting, paragraphs and a signature.
	 */
	private void asEmails() {
		List<Message> messages = this.d.messages;
		// What the company says in a row is one email.
		for (int i = messages.size() - 1; i > 0; i--) {
			Message m = messages.get(i);
			Message previous = messages.get(i - 1);
			if (m.senderType() == previous.senderType() && m.text() != null && previous.text() != null
					&& m.at().toEpochMilli() - previous.at().toEpochMilli() < 15 * 60_000
					&& (m.senderType() == SenderType.AGENT || m.senderType() == SenderType.HUMAN_AGENT)) {
				messages.set(i - 1,
						new Message(previous.at(), previous.senderType(), previous.senderName(), previous.channel(),
								previous.text() + "\n\n" + m.text(), previous.data(), previous.function(),
								previous.flowNode()));
				messages.remove(i);
			}
		}
		boolean firstFromUser = true;
		for (int i = 0; i < messages.size(); i++) {
			Message m = messages.get(i);
			if (m.text() == null) {
				continue;
			}
			String text = null;
			if (m.senderType() == SenderType.USER) {
				text = (firstFromUser ? "Hello,\n\n" : "") + m.text() + "\n\n"
						+ this.d.rng.pick("Thanks,", "Best,", "Regards,", "Thank you,") + "\n" + this.d.get("first");
				firstFromUser = false;
			}
			else if (m.senderType() == SenderType.AGENT || m.senderType() == SenderType.HUMAN_AGENT) {
				text = "Hi " + this.d.get("first") + ",\n\n" + m.text() + "\n\nBest regards,\n"
						+ Dialog.firstWord(m.senderName()) + "\n" + Catalog.COMPANY + " Support";
			}
			if (text != null) {
				messages.set(i, new Message(m.at(), m.senderType(), m.senderName(), m.channel(), text, m.data(),
						m.function(), m.flowNode()));
			}
		}
	}

	// What a reviewer writes about it.

	@Nullable List<Sentiment> sentiment() {
		if (this.status == Status.NO_ANSWER || this.status == Status.VOICEMAIL_MESSAGE_LEFT
				|| this.status == Status.VOICEMAIL_NO_MESSAGE_LEFT) {
			return null;
		}
		Rng r = this.d.rng;
		List<Sentiment> sentiment = new ArrayList<>(3);
		switch (this.status) {
			case COMPLETED, RESTARTED -> {
				add(sentiment, "gratitude", r.score(0.55, 0.97));
				if (r.chance(0.6)) {
					add(sentiment, "satisfaction", r.score(0.5, 0.95));
				}
				if (this.flow instanceof Flows.Faq && r.chance(0.7)) {
					add(sentiment, "curiosity", r.score(0.4, 0.9));
				}
				else if (r.chance(0.2)) {
					add(sentiment, "relief", r.score(0.3, 0.8));
				}
			}
			case HUMAN_HANDOFF -> {
				add(sentiment, "frustration", r.score(0.35, 0.9));
				if (r.chance(0.5)) {
					add(sentiment, "impatience", r.score(0.3, 0.85));
				}
				if (r.chance(0.6)) {
					add(sentiment, "gratitude", r.score(0.3, 0.8));
				}
			}
			case ABANDONED -> {
				add(sentiment, r.pick("impatience", "neutral", "frustration"), r.score(0.2, 0.7));
			}
			case FAILED -> {
				add(sentiment, "frustration", r.score(0.4, 0.9));
				if (r.chance(0.5)) {
					add(sentiment, "confusion", r.score(0.3, 0.8));
				}
			}
			case REPORTED -> {
				add(sentiment, "anger", r.score(0.6, 0.97));
				add(sentiment, "frustration", r.score(0.6, 0.95));
			}
			case UNSUBSCRIBED -> add(sentiment, r.pick("annoyance", "neutral"), r.score(0.3, 0.8));
			default -> add(sentiment, r.pick("curiosity", "neutral", "confusion"), r.score(0.2, 0.7));
		}
		if (this.d.confused && sentiment.size() < 3) {
			add(sentiment, "confusion", r.score(0.3, 0.75));
		}
		if (this.d.frustration > 0 && sentiment.size() < 3) {
			add(sentiment, "frustration", r.score(0.2, 0.6));
		}
		return sentiment;
	}

	private static void add(List<Sentiment> sentiment, String emotion, double score) {
		for (Sentiment each : sentiment) {
			if (emotion.equals(each.emotion())) {
				return;
			}
		}
		sentiment.add(new Sentiment(emotion, score));
	}

	List<Flag> flags() {
		Rng r = this.d.rng;
		List<Flag> flags = new ArrayList<>(2);
		switch (this.status) {
			case REPORTED ->
				flags.add(Flag.of("Customer reported the conversation: the agent misunderstood the request",
						r.pick(FlagSource.USER, FlagSource.REVIEW_AGENT)));
			case FAILED -> {
				if (r.chance(0.35)) {
					flags
						.add(Flag.of("Conversation ended with a system error (" + this.failure + ")", FlagSource.RULE));
				}
			}
			case HUMAN_HANDOFF -> {
				if (this.humanRequests > 1 && r.chance(0.6)) {
					flags.add(Flag.of("Customer had to ask for a human " + this.humanRequests + " times",
							FlagSource.REVIEW_AGENT));
				}
				else if (r.chance(0.08)) {
					flags.add(Flag.of("Wait for a live agent longer than 5 minutes", FlagSource.RULE));
				}
			}
			case ABANDONED -> {
				if (r.chance(0.07)) {
					flags.add(Flag.of("Customer left after an unanswered question", FlagSource.REVIEW_AGENT));
				}
			}
			default -> {
				if (r.chance(0.035)) {
					flags.add(r.pick(
							Flag.of("Agent shared account details before verifying identity", FlagSource.REVIEW_AGENT),
							Flag.of("Refund issued above the agent's approval limit", FlagSource.REVIEW_AGENT),
							Flag.of("Silence longer than 20 seconds", FlagSource.RULE),
							Flag.of("Profanity detected", FlagSource.RULE),
							Flag.of("Flagged by QA for coaching review", FlagSource.USER),
							Flag.of("Agent promised a delivery date the system did not confirm",
									FlagSource.REVIEW_AGENT)));
				}
			}
		}
		if (!flags.isEmpty() && this.d.frustration > 1 && r.chance(0.5)) {
			flags.add(Flag.of("Negative sentiment at the end of the conversation", FlagSource.REVIEW_AGENT));
		}
		return flags;
	}

	@Nullable String resolution() {
		return switch (this.status) {
			case COMPLETED, RESTARTED -> this.flow.resolution(this.d);
			case HUMAN_HANDOFF -> "escalated";
			case ABANDONED -> "unresolved";
			case FAILED -> "technical failure";
			case REPORTED -> "reported";
			case UNSUBSCRIBED -> "opted out";
			case NO_ANSWER -> "no answer";
			case VOICEMAIL_MESSAGE_LEFT, VOICEMAIL_NO_MESSAGE_LEFT -> "voicemail";
			case IN_PROGRESS -> null;
		};
	}

	String reason() {
		if (outbound()) {
			return "Outbound " + campaignTitle(this.flow) + " about "
					+ this.d.fill(this.flow.topic.replace("your ", "the contact's ")) + ".";
		}
		return this.flow.reason(this.d);
	}

	@Nullable String summary() {
		Dialog d = this.d;
		return switch (this.status) {
			case IN_PROGRESS -> null;
			case NO_ANSWER -> d.fill("Outbound call to {phone} was not answered.");
			case VOICEMAIL_MESSAGE_LEFT ->
				d.fill("The call reached voicemail; {agent} left a message asking {first} to call back about "
						+ this.flow.topic.replace("your ", "their ") + ".");
			case VOICEMAIL_NO_MESSAGE_LEFT -> "The call reached voicemail and no message was left.";
			case UNSUBSCRIBED -> d.fill(outbound()
					? "{name} replied to an outbound " + campaignTitle(this.flow)
							+ " message by asking to stop, and was unsubscribed from {channelWord} messages."
					: this.flow.request(d) + " " + this.flow.outcome(d)
							+ " At the end the customer asked to be unsubscribed from marketing.");
			case COMPLETED -> this.flow.request(d) + " " + this.flow.outcome(d)
					+ (d.rng.chance(0.5) ? " The customer thanked the agent." : "");
			case HUMAN_HANDOFF -> this.flow.request(d) + " The conversation was transferred to a live agent because "
					+ this.handoffWhy + ". " + this.flow.outcome(d);
			case ABANDONED -> this.flow.request(d) + " The customer left before the request was resolved.";
			case FAILED -> this.flow.request(d) + " The conversation ended early: " + this.failure + ".";
			case REPORTED -> this.flow.request(d)
					+ " The agent misunderstood the request twice and the customer reported the conversation.";
			case RESTARTED -> "After a misunderstanding the customer restarted the conversation. "
					+ this.flow.request(d) + " " + this.flow.outcome(d);
		};
	}

	@Nullable String analysis(boolean flagged) {
		Rng r = this.d.rng;
		if (this.status == Status.IN_PROGRESS || this.status == Status.NO_ANSWER || r.chance(0.08)) {
			return null;
		}
		StringBuilder analysis = new StringBuilder(240);
		switch (this.status) {
			case COMPLETED -> analysis
				.append((this.d.platform == Platform.HUMAN_PHONE)
						? r.pick("The live agent resolved the call with the assistant's lookups",
								"Handled by a live agent, with the AI assistant running the lookups")
						: r.pick("The agent resolved the request without human help",
								"Resolved by the AI agent end to end", "Successful self-service conversation"))
				.append(" in ")
				.append(this.d.messages.size())
				.append(" messages. ");
			case HUMAN_HANDOFF -> analysis.append((this.humanRequests > 1)
					? "The customer had to ask for a person repeatedly; offer the transfer sooner. "
					: (this.humanRequests == 1) ? "The customer asked for a person early; the transfer was prompt. "
							: "The handoff was appropriate: the request needed a specialist. ");
			case ABANDONED ->
				analysis.append(r.pick("The customer dropped off after the agent's question; ", "Abandoned mid-flow; "))
					.append("consider shorter identification steps. ");
			case FAILED -> analysis.append("Technical failure (")
				.append(this.failure)
				.append("); ")
				.append("the customer could not be helped. ");
			case REPORTED -> analysis.append(
					"The agent answered a different question than the one asked, twice. Review the intent model for this flow. ");
			case RESTARTED -> analysis
				.append("The first intent was misclassified; after the restart the request was handled correctly. ");
			case UNSUBSCRIBED -> analysis.append("Opt-out handled correctly and confirmed to the customer. ");
			default -> analysis.append("Outbound attempt; voicemail handling followed the campaign policy. ");
		}
		if (this.identified) {
			analysis.append(r.pick("Identity was verified before account details were shared. ",
					"Verification was done correctly. "));
		}
		if (this.d.frustration > 1) {
			analysis.append("Customer frustration was high during the conversation. ");
		}
		else if (this.d.confused) {
			analysis.append("The customer was confused at one point; clearer wording would help. ");
		}
		if (flagged) {
			analysis.append("Flagged for QA review.");
		}
		return analysis.toString().trim();
	}

	static String campaign(Script flow) {
		return switch (flow.flow.id()) {
			case "flow-billing" -> "payment-reminder";
			case "flow-appointments" -> "appointment-reminders";
			case "flow-delivery" -> "delivery-updates";
			case "flow-insurance-claim" -> "claims-follow-up";
			case "flow-travel" -> "schedule-changes";
			case "flow-cancel-subscription" -> "renewal-notices";
			default -> flow.flow.id().substring("flow-".length()) + "-outreach";
		};
	}

	static String campaignTitle(Script flow) {
		return switch (flow.flow.id()) {
			case "flow-billing" -> "payment reminder";
			case "flow-appointments" -> "appointment reminder";
			case "flow-delivery" -> "delivery update";
			case "flow-insurance-claim" -> "claim follow-up";
			case "flow-travel" -> "schedule change notice";
			case "flow-cancel-subscription" -> "renewal notice";
			default -> flow.callReason + " message";
		};
	}

	static String channelWord(Platform platform) {
		return switch (platform) {
			case SMS -> "text";
			case WHATSAPP -> "WhatsApp";
			case EMAIL -> "email";
			case VOICE, HUMAN_PHONE -> "phone";
			default -> platform.json().toLowerCase(Locale.ROOT);
		};
	}

}
