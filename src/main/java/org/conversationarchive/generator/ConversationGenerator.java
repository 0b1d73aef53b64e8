package org.conversationarchive.generator;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.conversationarchive.conversation.Conversation;
import org.conversationarchive.conversation.Conversation.Contact;
import org.conversationarchive.conversation.Conversation.Flag;
import org.conversationarchive.conversation.Conversation.Message;
import org.conversationarchive.conversation.Direction;
import org.conversationarchive.conversation.Environment;
import org.conversationarchive.conversation.Platform;
import org.conversationarchive.conversation.Status;
import org.conversationarchive.generator.ContactPool.Person;
import org.jspecify.annotations.Nullable;

/**
 * Realistic conversations, deterministically: the same seed and options always give the
 * same conversations, in the same order. Each conversation is computed from the seed and
 * its index alone, so any number of them can be streamed in constant memory, and
 * conversation {@code i} is the same whether or not the ones before it were made.
 * <p>
 * What they look like: every platform and status with plausible weights (most completed),
 * twelve flows with several phrasings for each turn, eight AI agents and fifteen live
 * agents, contacts with Zipf-like repeat counts, function calls with arguments and
 * results, tags, parameters, sentiment, flags for about one conversation in twelve, and a
 * reason, summary and analysis consistent with what was said.
 */
public final class ConversationGenerator implements Iterator<Conversation> {

	/** The default range of {@code startedAt}. */
	public static final Instant DEFAULT_FROM = Instant.parse("2024-01-01T00:00:00Z");

	/** The default range of {@code startedAt}. */
	public static final Instant DEFAULT_TO = Instant.parse("2025-12-31T23:59:59Z");

	private static final long SALT_CONVERSATION = 0xC0417L;

	private static final long SALT_IDS = 0x1D1DL;

	private static final long SALT_EARLIER_START = 0xEA51L;

	private static final Platform[] PLATFORMS = { Platform.VOICE, Platform.WEB, Platform.SMS, Platform.WHATSAPP,
			Platform.EMAIL, Platform.SLACK, Platform.HUMAN_PHONE };

	private static final int[] PLATFORM_WEIGHTS = { 30, 22, 12, 10, 10, 6, 10 };

	private static final Status[] STATUSES = { Status.COMPLETED, Status.ABANDONED, Status.FAILED, Status.HUMAN_HANDOFF,
			Status.IN_PROGRESS, Status.REPORTED, Status.RESTARTED, Status.UNSUBSCRIBED, Status.NO_ANSWER,
			Status.VOICEMAIL_MESSAGE_LEFT, Status.VOICEMAIL_NO_MESSAGE_LEFT };

	/** Status weights per platform, in the order of {@link #STATUSES}. */
	private static final int[][] STATUS_WEIGHTS = {
			// completed, abandoned, failed, handoff, in progress, reported, restarted,
			// unsubscribed, no answer, voicemail left, voicemail not left
			{ 52, 8, 3, 12, 2, 2, 2, 2, 8, 6, 3 }, // voice
			{ 60, 14, 3, 13, 3, 3, 4, 0, 0, 0, 0 }, // web
			{ 60, 12, 2, 8, 3, 2, 2, 11, 0, 0, 0 }, // sms
			{ 60, 12, 2, 10, 3, 2, 2, 9, 0, 0, 0 }, // whatsapp
			{ 70, 8, 2, 12, 4, 1, 1, 3, 0, 0, 0 }, // email
			{ 66, 8, 3, 14, 4, 2, 3, 0, 0, 0, 0 }, // slack
			{ 66, 6, 3, 5, 3, 1, 1, 1, 8, 5, 2 } // human phone
	};

	private static final String[] PAGES = { "/help", "/orders", "/checkout", "/account/billing", "/returns",
			"/products", "/" };

	private static final String[] LOCALES = { "en-US", "en-US", "en-US", "en-GB", "en-CA" };

	private final long seed;

	private final Options options;

	private final ContactPool contacts;

	private final StartTimes startTimes;

	private final long idKey;

	private final int[] outboundFlowWeights;

	private long next;

	/**
	 * A generator of {@code options.count()} conversations.
	 * @param seed the seed: the same seed and options give the same conversations
	 * @param options how many, when, and with whom
	 */
	/**
	 * The graphs of the generated flows, every version an agent platform would have
	 * published: generated messages name their nodes, and conversations their versions.
	 * @return each flow's versions, in ascending order
	 */
	public static List<FlowGraph> flowGraphs() {
		return Flows.ALL.stream().flatMap((flow) -> flow.graphs().stream()).toList();
	}

	public ConversationGenerator(long seed, Options options) {
		this.seed = seed;
		this.options = options;
		this.contacts = new ContactPool(seed, options.count(), options.contacts(), options.contactId());
		this.startTimes = new StartTimes(options.from(), options.to());
		this.idKey = Rng.mix(seed ^ SALT_IDS);
		this.outboundFlowWeights = new int[Flows.ALL.size()];
		for (int i = 0; i < Flows.ALL.size(); i++) {
			this.outboundFlowWeights[i] = Flows.ALL.get(i).outbound ? Flows.WEIGHTS[i] : 0;
		}
	}

	@Override
	public boolean hasNext() {
		return this.next < this.options.count();
	}

	/**
	 * The next conversation.
	 * @return the conversation
	 * @throws NoSuchElementException once {@code options.count()} have been made
	 */
	@Override
	public Conversation next() {
		if (!hasNext()) {
			throw new NoSuchElementException("all " + this.options.count() + " conversations were generated");
		}
		return conversation(this.next++);
	}

	/**
	 * All the conversations, made as they are consumed.
	 * @return a sequential stream of {@code options.count()} conversations
	 */
	public Stream<Conversation> stream() {
		return LongStream.range(0, this.options.count()).mapToObj(this::conversation);
	}

	/**
	 * One conversation, on its own.
	 * @param index its position in the stream, from 0
	 * @return the conversation
	 */
	public Conversation conversation(long index) {
		Conversation conversation = conversation(index, null);
		Instant until = this.options.until();
		Instant last = lastMoment(conversation);
		if (until == null || !last.isAfter(until)) {
			return conversation;
		}
		// The same conversation, started earlier: it plays out the same but for the
		// dates it mentions, whose length moves its messages by a few seconds. Where that
		// still ends it too late, it starts earlier again, by a margin that doubles.
		Instant latest = until.minus(Duration.between(conversation.startedAt(), last));
		for (int attempt = 0;; attempt++) {
			Conversation earlier = conversation(index, earlierStart(index, attempt, latest));
			Instant earlierLast = lastMoment(earlier);
			if (!earlierLast.isAfter(until)) {
				return earlier;
			}
			latest = latest.minus(Duration.between(until, earlierLast))
				.minus(Duration.ofMinutes(1L << Math.min(attempt, 30)));
		}
	}

	/**
	 * When anything last happened in a conversation: its end, or its last message if it
	 * is still going.
	 */
	static Instant lastMoment(Conversation conversation) {
		Instant last = conversation.startedAt();
		if (conversation.endedAt() != null && conversation.endedAt().isAfter(last)) {
			last = conversation.endedAt();
		}
		if (conversation.messages() != null) {
			for (Message message : conversation.messages()) {
				if (message.at() != null && message.at().isAfter(last)) {
					last = message.at();
				}
			}
		}
		return last;
	}

	/**
	 * A start for a conversation that ran past {@code until}: drawn from the range like
	 * any other (working hours), up to the latest start that ends it in time; when the
	 * range is shorter than the conversation, that latest start, before the range.
	 */
	private Instant earlierStart(long index, int attempt, Instant latest) {
		Instant truncated = latest.truncatedTo(ChronoUnit.SECONDS);
		if (truncated.isBefore(this.options.from())) {
			return truncated;
		}
		return new StartTimes(this.options.from(), truncated)
			.next(Rng.of(this.seed, SALT_EARLIER_START + attempt, index));
	}

	/**
	 * One conversation.
	 * @param start when it starts instead of the start its draws give, if it must start
	 * earlier: its draws are the same either way
	 */
	private Conversation conversation(long index, @Nullable Instant start) {
		Rng rng = Rng.of(this.seed, SALT_CONVERSATION, index);
		String id = "conv-" + ContactPool.hex(Rng.mix(index ^ this.idKey));
		Platform platform = PLATFORMS[rng.weighted(PLATFORM_WEIGHTS)];
		Status status = STATUSES[rng.weighted(STATUS_WEIGHTS[platformRow(platform)])];
		Direction direction = direction(rng, platform, status);
		Script flow = Flows.ALL
			.get(rng.weighted((direction == Direction.OUTBOUND) ? this.outboundFlowWeights : Flows.WEIGHTS));
		Environment environment = rng.chance(0.06) ? Environment.TEST : Environment.PRODUCTION;
		// Drawn either way, so that the draws after it stay the same.
		Instant drawn = this.startTimes.next(rng);
		Instant startedAt = (start != null) ? start : drawn;
		Person person = this.contacts.contactOf(index);
		String pointOfContact = pointOfContact(rng, platform);

		Dialog d = new Dialog(rng, platform, person, rng.pick(flow.agents), startedAt);
		d.lookup = flow.lookup;
		d.flowVersion = flow.version(startedAt);
		d.put("callReason", flow.callReason);
		d.put("otherReason",
				Flows.ALL.get((Flows.ALL.indexOf(flow) + rng.between(1, 11)) % Flows.ALL.size()).callReason);
		d.put("channelWord", Story.channelWord(platform));
		d.put("callback", (pointOfContact.startsWith("+")) ? pointOfContact : Catalog.COMPANY_PHONES[0]);
		d.put("page", "brightwave.example" + rng.pick(PAGES));
		d.tag("Call Reason", flow.callReason);
		if (!person.spanish()) {
			d.tag("Language", rng.chance(0.5) ? "en" : List.of("en"));
		}
		flow.setup(d);
		Story story = new Story(d, flow, status, direction);
		story.play();
		if (person.spanish() && !d.tags.containsKey("Language")) {
			// Where the channel gave no chance to switch language, they wrote in English.
			d.tag("Language", "en");
		}

		String resolution = story.resolution();
		if (resolution != null) {
			d.tag("Resolution", resolution);
		}
		if (direction == Direction.OUTBOUND) {
			d.tag("Campaign", Story.campaign(flow));
		}
		List<Flag> flags = story.flags();
		boolean flagged = !flags.isEmpty();
		if (flagged || d.frustration > 1) {
			d.tag("Priority", "high");
		}
		parameters(d, rng, platform, person);

		Instant endedAt = (status == Status.IN_PROGRESS) ? null : d.clock().plusMillis(endPause(rng, platform));
		return new Conversation(id, platform, pointOfContact, contact(rng, platform, person), direction, environment,
				status, flow.flow, d.agent, d.liveAgents.isEmpty() ? null : List.copyOf(d.liveAgents),
				(platform == Platform.VOICE) ? rng.pick(Catalog.VOICES) : null, startedAt, endedAt, flagged,
				flagged ? Collections.unmodifiableList(flags) : null, Collections.unmodifiableMap(d.tags),
				Collections.unmodifiableMap(d.parameters), story.sentiment(), story.reason(), story.summary(),
				story.analysis(flagged), Collections.unmodifiableList(d.messages), null, null, null, null, null, null,
				null, null, null, null, d.flowVersion, null);
	}

	private static int platformRow(Platform platform) {
		for (int i = 0; i < PLATFORMS.length; i++) {
			if (PLATFORMS[i] == platform) {
				return i;
			}
		}
		throw new IllegalArgumentException(platform.toString());
	}

	private static Direction direction(Rng rng, Platform platform, Status status) {
		double outbound = switch (status) {
			case NO_ANSWER, VOICEMAIL_MESSAGE_LEFT, VOICEMAIL_NO_MESSAGE_LEFT -> 1.0;
			case UNSUBSCRIBED -> 0.85;
			default -> switch (platform) {
				case VOICE, HUMAN_PHONE, WHATSAPP -> 0.15;
				case SMS -> 0.25;
				case EMAIL -> 0.1;
				default -> 0.0;
			};
		};
		return rng.chance(outbound) ? Direction.OUTBOUND : Direction.INBOUND;
	}

	private static String pointOfContact(Rng rng, Platform platform) {
		return switch (platform) {
			case EMAIL -> rng.pick(Catalog.SUPPORT_EMAILS);
			case WEB -> rng.pick(Catalog.WEB_WIDGETS);
			case SLACK -> rng.pick(Catalog.SLACK_CHANNELS);
			default -> rng.pick(Catalog.COMPANY_PHONES);
		};
	}

	/**
	 * The contact as this channel knows it: a call knows the number, an email the
	 * address, and the CRM sometimes adds the rest.
	 */
	private static Contact contact(Rng rng, Platform platform, Person person) {
		boolean phoneChannel = platform != Platform.EMAIL && platform != Platform.WEB && platform != Platform.SLACK;
		String phone = (phoneChannel || rng.chance(0.4)) ? person.phone() : null;
		String email = (!phoneChannel || rng.chance(0.35)) ? person.email() : null;
		return new Contact(person.id(), person.name(), phone, email);
	}

	private static void parameters(Dialog d, Rng rng, Platform platform, Person person) {
		d.param("locale", person.spanish() ? "es-US" : rng.pick(LOCALES));
		switch (platform) {
			case VOICE, HUMAN_PHONE ->
				d.param("callSid", "CA" + ContactPool.hex(rng.nextLong()) + ContactPool.hex(rng.nextLong()));
			case WEB -> {
				d.param("sessionId", "sess_" + Script.alphanumeric(rng, 16));
				d.param("pageUrl", "https://" + d.get("page"));
			}
			case EMAIL -> d.param("emailThreadId", "<" + Script.alphanumeric(rng, 20) + "@mail.brightwave.example>");
			case SLACK -> {
				d.param("workspace", rng.pick("acme-corp", "globex", "initech", "umbrella-co"));
				d.param("threadTs", (d.startedAt().getEpochSecond()) + "." + Script.digits(rng, 6));
			}
			default -> d.param("messagingServiceSid", "MG" + ContactPool.hex(rng.nextLong()));
		}
		if (rng.chance(0.3)) {
			d.param("crmId", "003" + Script.alphanumeric(rng, 12).toUpperCase(Locale.ROOT));
		}
		if (!d.liveAgents.isEmpty()) {
			d.param("helpdeskTicket", "ZD-" + Script.digits(rng, 6));
		}
	}

	private static long endPause(Rng rng, Platform platform) {
		return switch (platform) {
			case VOICE, HUMAN_PHONE -> rng.between(300, 3000);
			case EMAIL -> 0;
			default -> rng.between(0, 30_000);
		};
	}

	/**
	 * What to generate.
	 *
	 * @param count how many conversations
	 * @param from the earliest {@code startedAt}
	 * @param to the latest {@code startedAt}
	 * @param contactId give every conversation this contact (e.g. for a benchmark of one
	 * contact with many conversations), or {@code null} for a pool of contacts
	 * @param contacts how many distinct contacts the conversations have (at most
	 * {@code count}); ignored with {@code contactId}
	 * @param until nothing happens after this (no message, no end), or {@code null} for
	 * no limit: a conversation that would run past it starts earlier, within the range
	 * when it fits (e.g. the demo's email threads, which take days, end by the time it is
	 * loaded)
	 */
	public record Options(long count, Instant from, Instant to, @Nullable String contactId, long contacts,
			@Nullable Instant until) {

		public Options {
			if (count < 0) {
				throw new IllegalArgumentException("count must not be negative");
			}
			if (from.isAfter(to)) {
				throw new IllegalArgumentException("from " + from + " is after to " + to);
			}
			if (contactId != null && (contactId.isBlank() || contactId.length() > 1024)) {
				throw new IllegalArgumentException("contact id must be 1 to 1024 characters");
			}
			if (contacts < 1) {
				throw new IllegalArgumentException("contacts must be at least 1");
			}
			if (until != null && until.isBefore(from)) {
				throw new IllegalArgumentException("until " + until + " is before from " + from);
			}
		}

		/**
		 * The defaults for this many conversations: started in 2024 and 2025, with one
		 * distinct contact per four conversations.
		 * @param count how many conversations
		 * @return the options
		 */
		public static Options of(long count) {
			return new Options(count, DEFAULT_FROM, DEFAULT_TO, null, defaultContacts(count), null);
		}

		public static long defaultContacts(long count) {
			return Math.max(1, count / 4);
		}

		public Options withRange(Instant from, Instant to) {
			return new Options(this.count, from, to, this.contactId, this.contacts, this.until);
		}

		public Options withContactId(@Nullable String contactId) {
			return new Options(this.count, this.from, this.to, contactId, this.contacts, this.until);
		}

		public Options withContacts(long contacts) {
			return new Options(this.count, this.from, this.to, this.contactId, contacts, this.until);
		}

		public Options withUntil(@Nullable Instant until) {
			return new Options(this.count, this.from, this.to, this.contactId, this.contacts, until);
		}

	}

}
