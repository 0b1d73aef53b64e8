package org.conversationarchive.generator;

import java.io.ByteArrayOutputStream;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.conversationarchive.conversation.Conversation;
import org.conversationarchive.conversation.Conversation.Message;
import org.conversationarchive.conversation.Direction;
import org.conversationarchive.conversation.Environment;
import org.conversationarchive.conversation.FlagSource;
import org.conversationarchive.conversation.Platform;
import org.conversationarchive.conversation.SenderType;
import org.conversationarchive.conversation.Status;
import org.conversationarchive.generator.ConversationGenerator.Options;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectWriter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConversationGeneratorTests {

	private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

	private static List<Conversation> sample;

	@BeforeAll
	static void generateSample() {
		sample = new ConversationGenerator(42, Options.of(5000)).stream().toList();
	}

	@Test
	void sameSeedGivesByteIdenticalOutput() {
		assertThat(ndjson(7, Options.of(2000))).isEqualTo(ndjson(7, Options.of(2000)));
	}

	@Test
	void differentSeedGivesDifferentOutput() {
		byte[] one = ndjson(7, Options.of(300));
		byte[] other = ndjson(8, Options.of(300));
		assertThat(one).isNotEqualTo(other);
		List<Conversation> a = new ConversationGenerator(7, Options.of(300)).stream().toList();
		List<Conversation> b = new ConversationGenerator(8, Options.of(300)).stream().toList();
		assertThat(a).extracting(Conversation::id)
			.doesNotContainAnyElementsOf(b.stream().map(Conversation::id).toList());
	}

	@Test
	void eachConversationDependsOnlyOnItsIndex() {
		ConversationGenerator generator = new ConversationGenerator(42, Options.of(5000));
		assertThat(generator.conversation(4321)).isEqualTo(sample.get(4321));
		assertThat(generator.conversation(17)).isEqualTo(sample.get(17));
	}

	@Test
	void iteratesAsManyAsAskedFor() {
		ConversationGenerator generator = new ConversationGenerator(1, Options.of(3));
		assertThat(generator.next()).isEqualTo(generator.conversation(0));
		generator.next();
		generator.next();
		assertThat(generator.hasNext()).isFalse();
		assertThatThrownBy(generator::next).isInstanceOf(NoSuchElementException.class);
		assertThat(new ConversationGenerator(1, Options.of(0)).stream()).isEmpty();
	}

	@Test
	void idsAreUniqueAndValid() {
		Set<String> ids = new HashSet<>();
		for (Conversation conversation : sample) {
			assertThat(conversation.id()).matches(ID);
			assertThat(ids.add(conversation.id())).as(conversation.id()).isTrue();
		}
	}

	@Test
	void everyPlatformAndStatusAppears() {
		Set<Platform> platforms = EnumSet.noneOf(Platform.class);
		Set<Status> statuses = EnumSet.noneOf(Status.class);
		Set<Direction> directions = EnumSet.noneOf(Direction.class);
		Set<Environment> environments = EnumSet.noneOf(Environment.class);
		Set<SenderType> senderTypes = EnumSet.noneOf(SenderType.class);
		Set<FlagSource> flagSources = EnumSet.noneOf(FlagSource.class);
		Set<String> flows = new HashSet<>();
		Set<String> agents = new HashSet<>();
		Set<String> liveAgents = new HashSet<>();
		for (Conversation conversation : sample) {
			platforms.add(conversation.platform());
			statuses.add(conversation.status());
			directions.add(conversation.direction());
			environments.add(conversation.environment());
			conversation.messages().forEach((message) -> senderTypes.add(message.senderType()));
			if (conversation.flags() != null) {
				conversation.flags().forEach((flag) -> flagSources.add(flag.source()));
			}
			flows.add(conversation.flow().id());
			agents.add(conversation.agent().id());
			if (conversation.liveAgents() != null) {
				conversation.liveAgents().forEach((live) -> liveAgents.add(live.id()));
			}
		}
		assertThat(platforms).containsExactlyInAnyOrder(Platform.values());
		assertThat(statuses).containsExactlyInAnyOrder(Status.values());
		assertThat(directions).containsExactlyInAnyOrder(Direction.values());
		assertThat(environments).containsExactlyInAnyOrder(Environment.values());
		assertThat(senderTypes).containsExactlyInAnyOrder(SenderType.values());
		assertThat(flagSources).containsExactlyInAnyOrder(FlagSource.values());
		assertThat(flows).hasSize(12);
		assertThat(agents).hasSize(8);
		assertThat(liveAgents).hasSize(15);
	}

	@Test
	void mostConversationsAreCompletedProductionConversations() {
		assertThat(share((c) -> c.status() == Status.COMPLETED)).isBetween(0.45, 0.7);
		assertThat(share((c) -> c.environment() == Environment.PRODUCTION)).isBetween(0.9, 0.98);
		assertThat(share((c) -> c.direction() == Direction.INBOUND)).isBetween(0.7, 0.95);
	}

	@Test
	void repeatContactsAreZipfDistributed() {
		Map<String, Integer> counts = new HashMap<>();
		sample.forEach((conversation) -> counts.merge(conversation.contact().id(), 1, Integer::sum));
		assertThat(counts).hasSize(1250);
		assertThat(counts.values().stream().mapToInt(Integer::intValue).max().orElseThrow()).isGreaterThan(100);
		long oneOrTwo = counts.values().stream().filter((count) -> count <= 2).count();
		assertThat(oneOrTwo / (double) counts.size()).isGreaterThan(0.7);
		assertThat(counts.values().stream().filter((count) -> count >= 10).count()).isBetween(20L, 120L);
	}

	@Test
	void aContactIsTheSamePersonInEachConversation() {
		Map<String, String> phones = new HashMap<>();
		for (Conversation conversation : sample) {
			if (conversation.contact().phone() != null) {
				String known = phones.putIfAbsent(conversation.contact().id(), conversation.contact().phone());
				assertThat(known).isIn(null, conversation.contact().phone());
			}
		}
	}

	@Test
	void theNumberOfContactsCanBeChosen() {
		Set<String> contacts = new HashSet<>();
		new ConversationGenerator(3, Options.of(1000).withContacts(10)).stream()
			.forEach((conversation) -> contacts.add(conversation.contact().id()));
		assertThat(contacts).hasSize(10);
		contacts.clear();
		new ConversationGenerator(3, Options.of(100).withContacts(1000)).stream()
			.forEach((conversation) -> contacts.add(conversation.contact().id()));
		assertThat(contacts).hasSize(100);
	}

	@Test
	void everyConversationCanHaveTheSameContact() {
		List<Conversation> conversations = new ConversationGenerator(9,
				Options.of(1000).withContactId("contact-benchmark"))
			.stream()
			.toList();
		assertThat(conversations).allSatisfy((conversation) -> {
			assertThat(conversation.contact().id()).isEqualTo("contact-benchmark");
			assertThat(conversation.contact().name()).isEqualTo(conversations.get(0).contact().name());
		});
		assertThat(conversations).extracting(Conversation::id).doesNotHaveDuplicates();
	}

	@Test
	void startsLieInTheRangeMostlyOnWorkingDays() {
		Instant from = ConversationGenerator.DEFAULT_FROM;
		Instant to = ConversationGenerator.DEFAULT_TO;
		assertThat(sample).allSatisfy((c) -> assertThat(c.startedAt()).isBetween(from, to));
		assertThat(share((c) -> {
			DayOfWeek day = c.startedAt().atZone(ZoneOffset.UTC).getDayOfWeek();
			return day != DayOfWeek.SATURDAY && day != DayOfWeek.SUNDAY;
		})).isGreaterThan(0.8);
		assertThat(share((c) -> {
			int hour = c.startedAt().atZone(ZoneOffset.UTC).getHour();
			return hour >= 8 && hour < 18;
		})).isGreaterThan(0.6);
		assertThat(sample.stream().map((c) -> c.startedAt().atZone(ZoneOffset.UTC).getYear()).distinct())
			.containsExactlyInAnyOrder(2024, 2025);
	}

	@Test
	void theRangeCanBeChosen() {
		Instant from = Instant.parse("2026-03-02T09:00:00Z");
		Instant to = Instant.parse("2026-03-02T09:00:10Z");
		assertThat(new ConversationGenerator(1, Options.of(200).withRange(from, to)).stream())
			.allSatisfy((c) -> assertThat(c.startedAt()).isBetween(from, to));
		assertThat(new ConversationGenerator(1, Options.of(5).withRange(from, from)).stream())
			.allSatisfy((c) -> assertThat(c.startedAt()).isEqualTo(from));
		assertThatIllegalArgumentException().isThrownBy(() -> Options.of(5).withRange(to, from));
	}

	@Test
	void nothingHappensAfterUntil() {
		// Email threads take days: with starts up to until, many would run past it.
		Instant until = Instant.parse("2026-03-06T17:00:00Z");
		Instant from = until.minus(Duration.ofDays(10));
		Options unlimited = Options.of(3000).withRange(from, until);
		ConversationGenerator plain = new ConversationGenerator(5, unlimited);
		List<Conversation> limited = new ConversationGenerator(5, unlimited.withUntil(until)).stream().toList();
		int moved = 0;
		for (int i = 0; i < limited.size(); i++) {
			Conversation conversation = limited.get(i);
			Conversation unmoved = plain.conversation(i);
			assertThat(ConversationGenerator.lastMoment(conversation)).as(conversation.id()).isBeforeOrEqualTo(until);
			assertThat(conversation.startedAt()).as(conversation.id()).isBetween(from, until);
			assertMessagesInOrder(conversation);
			if (ConversationGenerator.lastMoment(unmoved).isAfter(until)) {
				moved++;
				// The same conversation, earlier (its dates, and so the lengths of
				// some messages, may differ).
				assertThat(conversation.startedAt()).isBefore(unmoved.startedAt());
				assertThat(conversation.messages()).hasSameSizeAs(unmoved.messages());
				assertThat(conversation.messages().stream().map(Message::senderType))
					.containsExactlyElementsOf(unmoved.messages().stream().map(Message::senderType).toList());
				assertThat(conversation.id()).isEqualTo(unmoved.id());
				assertThat(conversation.flow()).isEqualTo(unmoved.flow());
			}
			else {
				assertThat(conversation).isEqualTo(unmoved);
			}
		}
		assertThat(moved).isGreaterThan(10);
	}

	@Test
	void untilWinsOverARangeShorterThanTheConversation() {
		Instant until = Instant.parse("2026-03-06T17:00:00Z");
		assertThat(new ConversationGenerator(1, Options.of(300).withRange(until, until).withUntil(until)).stream())
			.allSatisfy((c) -> {
				assertThat(ConversationGenerator.lastMoment(c)).isBeforeOrEqualTo(until);
				assertThat(c.startedAt()).isBeforeOrEqualTo(until);
			})
			.anySatisfy((c) -> assertThat(c.startedAt()).isBefore(until.minus(Duration.ofDays(1))));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Options.of(5).withRange(until, until).withUntil(until.minusSeconds(1)));
	}

	@Test
	void messagesFollowEachOtherWithinTheConversation() {
		for (Conversation conversation : sample) {
			assertMessagesInOrder(conversation);
		}
		double averageMessages = sample.stream().mapToInt((c) -> c.messages().size()).average().orElseThrow();
		assertThat(averageMessages).isBetween(10.0, 25.0);
	}

	@Test
	void messagesFollowEachOtherInManyConversations() {
		new ConversationGenerator(99, Options.of(50_000)).stream()
			.forEach(ConversationGeneratorTests::assertMessagesInOrder);
	}

	private static void assertMessagesInOrder(Conversation conversation) {
		List<Message> messages = conversation.messages();
		assertThat(messages).as(conversation.id()).hasSizeBetween(4, 50);
		Instant previous = null;
		for (Message message : messages) {
			assertThat(message.at()).as(conversation.id()).isAfterOrEqualTo(conversation.startedAt());
			if (previous != null) {
				assertThat(message.at()).as(conversation.id()).isAfter(previous);
			}
			if (conversation.endedAt() != null) {
				assertThat(message.at()).as(conversation.id()).isBeforeOrEqualTo(conversation.endedAt());
			}
			assertThat(message.channel()).isEqualTo(conversation.platform().json());
			assertThat(message.senderName()).isNotBlank();
			previous = message.at();
		}
		assertThat(conversation.endedAt() == null).as(conversation.id())
			.isEqualTo(conversation.status() == Status.IN_PROGRESS);
	}

	@Test
	void functionCallsHaveNamesArgumentsAndResults() {
		Set<String> names = new HashSet<>();
		sample.stream().flatMap((c) -> c.messages().stream()).filter((m) -> m.function() != null).forEach((m) -> {
			assertThat(m.senderType()).isEqualTo(SenderType.FUNCTION);
			assertThat(m.function().name()).matches("[a-z_]+");
			assertThat(m.function().arguments()).isInstanceOf(Map.class)
				.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
				.isNotEmpty();
			assertThat(m.function().result()).isNotNull().isInstanceOfAny(Map.class, List.class);
			names.add(m.function().name());
		});
		assertThat(names).contains("lookup_order", "issue_refund", "reset_password", "check_availability",
				"book_appointment", "transfer_to_human", "cancel_subscription", "track_shipment",
				"search_knowledge_base", "file_claim", "block_card", "unsubscribe_contact", "log_call_outcome");
		assertThat(share((c) -> c.messages().stream().anyMatch((m) -> m.function() != null))).isGreaterThan(0.9);
		assertThat(sample.stream().flatMap((c) -> c.messages().stream()).anyMatch((m) -> m.data() != null)).isTrue();
	}

	@Test
	void voiceConversationsHaveAVoiceAndOthersDoNot() {
		assertThat(sample).allSatisfy((c) -> assertThat(c.voice() != null).isEqualTo(c.platform() == Platform.VOICE));
	}

	@Test
	void pointsOfContactMatchThePlatform() {
		assertThat(sample).allSatisfy((c) -> {
			switch (c.platform()) {
				case EMAIL -> assertThat(c.pointOfContact()).contains("@");
				case WEB, SLACK -> assertThat(c.pointOfContact()).doesNotStartWith("+");
				default -> assertThat(c.pointOfContact()).matches("\\+\\d{10,13}");
			}
		});
	}

	@Test
	void handoffsHaveLiveAgentsWhoWrite() {
		assertThat(sample.stream().filter((c) -> c.status() == Status.HUMAN_HANDOFF)).isNotEmpty().allSatisfy((c) -> {
			assertThat(c.liveAgents()).isNotEmpty();
			assertThat(c.messages()).anyMatch((m) -> m.senderType() == SenderType.HUMAN_AGENT);
			assertThat(c.messages())
				.anyMatch((m) -> m.function() != null && "transfer_to_human".equals(m.function().name()));
		});
		assertThat(sample.stream().filter((c) -> c.platform() == Platform.HUMAN_PHONE))
			.allSatisfy((c) -> assertThat(c.liveAgents()).isNotEmpty());
		assertThat(sample).allSatisfy((c) -> {
			boolean humanWrote = c.messages().stream().anyMatch((m) -> m.senderType() == SenderType.HUMAN_AGENT);
			if (humanWrote) {
				assertThat(c.liveAgents()).as(c.id()).isNotEmpty();
			}
		});
	}

	@Test
	void aboutOneConversationInTwelveIsFlagged() {
		assertThat(share((c) -> Boolean.TRUE.equals(c.flagged()))).isBetween(0.05, 0.12);
		assertThat(sample).allSatisfy((c) -> {
			assertThat(c.flagged()).isNotNull();
			assertThat(c.flags() != null && !c.flags().isEmpty()).isEqualTo(c.flagged());
		});
		assertThat(sample.stream().filter((c) -> c.status() == Status.REPORTED))
			.allSatisfy((c) -> assertThat(c.flagged()).isTrue());
	}

	@Test
	void tagsParametersSentimentAndTextsAreFilledIn() {
		assertThat(sample).allSatisfy((c) -> {
			assertThat(c.tags()).containsKeys("Call Reason", "Language", "Issue");
			c.tags().values().forEach((value) -> assertThat(value).isInstanceOfAny(String.class, List.class));
			assertThat(c.parameters()).containsKey("locale");
			assertThat(c.reason()).isNotBlank();
			if (c.sentiment() != null) {
				assertThat(c.sentiment()).hasSizeBetween(1, 3)
					.allSatisfy((s) -> assertThat(s.score()).isBetween(0.0, 1.0));
			}
			if (c.status() != Status.IN_PROGRESS) {
				assertThat(c.summary()).isNotBlank();
				assertThat(c.tags()).containsKey("Resolution");
			}
		});
		assertThat(sample.stream().map((c) -> c.tags().get("Language"))).contains("en", List.of("en"),
				List.of("es", "en"), "es");
		assertThat(share((c) -> c.analysis() != null)).isGreaterThan(0.7);
		assertThat(share((c) -> c.sentiment() != null)).isGreaterThan(0.8);
	}

	@Test
	void customersSayWhatTheirFlowIsAbout() {
		assertThat(userSaid("flow-returns", "i want a refund")).isGreaterThan(0.1);
		assertThat(userSaid("flow-returns", "refund")).isGreaterThan(0.5);
		assertThat(userSaid("flow-cancel-subscription", "cancel my subscription")).isGreaterThan(0.4);
		assertThat(userSaid("flow-password-reset", "password")).isGreaterThan(0.4);
		assertThat(userSaid("flow-faq", "cancel my subscription")).isZero();
		assertThat(userSaid("flow-appointments", "password")).isZero();
	}

	@Test
	void everyFlowHasAGraphOfSixToTwelveNodes() {
		List<FlowGraph> graphs = ConversationGenerator.flowGraphs();
		assertThat(graphs).extracting(FlowGraph::id).containsAll(Flows.ALL.stream().map((f) -> f.flow.id()).toList());
		for (FlowGraph graph : graphs) {
			assertThat(graph.nodes()).as(graph.id()).hasSizeBetween(6, 12);
			assertThat(graph.nodes()).as(graph.id()).filteredOn((node) -> node.kind().equals("start")).hasSize(1);
			assertThat(graph.nodes()).as(graph.id())
				.allSatisfy((node) -> assertThat(node.id()).matches("[A-Za-z0-9_.:-]{1,100}"));
			assertThat(graph.nodes()).extracting(FlowGraph.Node::kind)
				.as(graph.id())
				.isSubsetOf("start", "message", "question", "condition", "function", "handoff", "end")
				.contains("start", "condition", "function", "handoff", "end");
			assertThat(graph.nodes()).extracting(FlowGraph.Node::id).as(graph.id()).doesNotHaveDuplicates();
			assertThat(graph.edges()).as(graph.id())
				.allSatisfy((edge) -> assertThat(graph.hasNode(edge.from()) && graph.hasNode(edge.to())).isTrue());
			assertThat(graph.edges()).as(graph.id())
				.extracting((edge) -> edge.from() + ">" + edge.to())
				.doesNotHaveDuplicates();
		}
		FlowGraph billing = graphs.stream()
			.filter((g) -> g.id().equals("flow-billing") && g.version() == 1)
			.findFirst()
			.orElseThrow();
		FlowGraph revised = graphs.stream()
			.filter((g) -> g.id().equals("flow-billing") && g.version() == 2)
			.findFirst()
			.orElseThrow();
		assertThat(revised.nodes()).containsAll(billing.nodes()).hasSize(billing.nodes().size() + 1);
	}

	@Test
	void everyMessageIsAtANodeOfItsFlowsVersionAndMovesAlongItsEdges() {
		Map<String, FlowGraph> graphs = new HashMap<>();
		ConversationGenerator.flowGraphs().forEach((graph) -> graphs.put(graph.id() + "@" + graph.version(), graph));
		Set<String> versions = new HashSet<>();
		Set<String> missing = new TreeSet<>();
		for (Conversation conversation : sample.subList(0, 2000)) {
			FlowGraph graph = graphs.get(conversation.flow().id() + "@" + conversation.flowVersion());
			assertThat(graph).as(conversation.id()).isNotNull();
			versions.add(graph.id() + "@" + graph.version());
			String previous = null;
			for (Message message : conversation.messages()) {
				String node = message.flowNode();
				assertThat(node).as(conversation.id()).isNotNull();
				assertThat(graph.hasNode(node)).as(conversation.id() + " at " + node).isTrue();
				if (previous != null && !previous.equals(node) && !graph.hasEdge(previous, node)) {
					missing.add(graph.id() + "@" + graph.version() + " " + previous + ">" + node + " ("
							+ conversation.status() + ", " + conversation.platform() + ")");
				}
				previous = node;
			}
		}
		assertThat(missing).isEmpty();
		assertThat(versions).contains("flow-billing@1", "flow-billing@2");
	}

	@Test
	void functionsAreMarkedWithTheLookupNodeWhenTheyFindTheContact() {
		for (Conversation conversation : sample.subList(0, 2000)) {
			Script flow = Flows.ALL.stream()
				.filter((f) -> f.flow.id().equals(conversation.flow().id()))
				.findFirst()
				.orElseThrow();
			for (Message message : conversation.messages()) {
				if (message.function() != null && message.function().name().equals(flow.lookup)
						&& conversation.status() != Status.HUMAN_HANDOFF && !(flow instanceof Flows.Faq)) {
					assertThat(message.flowNode()).as(conversation.id()).isEqualTo(flow.lookup);
				}
			}
		}
	}

	@Test
	void conversationsLeaveTheirFlowWhereTheirStatusSays() {
		Map<Status, Map<String, Integer>> exits = new HashMap<>();
		for (Conversation conversation : sample) {
			List<Message> messages = conversation.messages();
			exits.computeIfAbsent(conversation.status(), (status) -> new HashMap<>())
				.merge(messages.get(messages.size() - 1).flowNode(), 1, Integer::sum);
		}
		assertThat(exits.get(Status.COMPLETED).keySet()).containsOnly("end");
		assertThat(exits.get(Status.HUMAN_HANDOFF).keySet()).containsOnly("handoff");
		assertThat(exits.get(Status.ABANDONED).keySet()).hasSizeGreaterThanOrEqualTo(2).doesNotContain("end");
		assertThat(exits.get(Status.FAILED).keySet()).hasSizeGreaterThanOrEqualTo(2).doesNotContain("end");
		assertThat(exits.get(Status.ABANDONED)).isNotEqualTo(exits.get(Status.FAILED));
		assertThat(exits.get(Status.NO_ANSWER).keySet()).containsOnly("greeting");
	}

	@Test
	void textIsVaried() {
		Set<String> texts = new HashSet<>();
		long messages = sample.stream()
			.flatMap((c) -> c.messages().stream())
			.filter((m) -> m.text() != null)
			.peek((m) -> texts.add(m.text()))
			.count();
		assertThat(texts.size() / (double) messages).isGreaterThan(0.25);
		assertThat(texts).hasSizeGreaterThan(10_000);
		long distinctSummaries = sample.stream().map(Conversation::summary).distinct().count();
		assertThat(distinctSummaries / (double) sample.size()).isGreaterThan(0.8);
	}

	@Test
	void optionsAreChecked() {
		assertThatIllegalArgumentException().isThrownBy(() -> Options.of(-1));
		assertThatIllegalArgumentException().isThrownBy(() -> Options.of(10).withContacts(0));
		assertThatIllegalArgumentException().isThrownBy(() -> Options.of(10).withContactId(" "));
		assertThat(Options.of(10).contacts()).isEqualTo(2);
		assertThat(Options.of(2).contacts()).isEqualTo(1);
	}

	private static double userSaid(String flow, String phrase) {
		List<Conversation> ofFlow = sample.stream().filter((c) -> c.flow().id().equals(flow)).toList();
		assertThat(ofFlow).isNotEmpty();
		return ofFlow.stream()
			.filter((c) -> c.messages()
				.stream()
				.anyMatch((m) -> m.senderType() == SenderType.USER && m.text() != null
						&& m.text().toLowerCase(Locale.ROOT).contains(phrase)))
			.count() / (double) ofFlow.size();
	}

	private static double share(Predicate<Conversation> predicate) {
		return sample.stream().filter(predicate).count() / (double) sample.size();
	}

	private static byte[] ndjson(long seed, Options options) {
		ObjectWriter writer = GenerateCommand.jsonMapper().writerFor(Conversation.class);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		new ConversationGenerator(seed, options).stream().forEach((conversation) -> {
			writer.writeValue(out, conversation);
			out.write('\n');
		});
		return out.toByteArray();
	}

}
