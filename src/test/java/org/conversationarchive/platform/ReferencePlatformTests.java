package org.conversationarchive.platform;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;

import org.conversationarchive.conversation.Conversation;
import org.conversationarchive.conversation.Conversation.Message;
import org.conversationarchive.conversation.Platform;
import org.conversationarchive.conversation.Status;
import org.conversationarchive.generator.ConversationGenerator;
import org.conversationarchive.generator.FlowGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The platform against a fake archive: its endpoint checks signatures, does each
 * idempotency key once, refuses what does not apply, and reports each action through the
 * ingest API by the contract's conventions; its player plays conversations live.
 */
class ReferencePlatformTests {

	static final String SECRET = "a-secret-shared-with-the-archive";

	static final ConversationGenerator GENERATOR = new ConversationGenerator(7, ConversationGenerator.Options.of(500));

	final FakeArchive archive = new FakeArchive();

	final ReferencePlatform platform = new ReferencePlatform(this.archive.url(), FakeArchive.KEY, SECRET, 0);

	final Actions actions;

	{
		this.platform.start();
		this.actions = new Actions(this.platform.url(), SECRET);
	}

	@AfterEach
	void close() {
		this.platform.close();
		this.archive.close();
	}

	@Test
	void anActionMustBeSignedWithTheSecretAndRecently() {
		LiveCall call = play(Platform.VOICE, 0.05);
		String key = UUID.randomUUID().toString();
		String body = Actions.action(key, call.id(), "take_over", "");
		long now = Instant.now().getEpochSecond();
		assertThat(this.actions.sendSigned(key, body, "").statusCode()).isEqualTo(401);
		assertThat(this.actions.sendSigned(key, body, Actions.signature("another-secret-of-enough-length", now, body))
			.statusCode()).isEqualTo(401);
		assertThat(this.actions.sendSigned(key, body, Actions.signature(SECRET, now - 6 * 60, body)).statusCode())
			.isEqualTo(401);
		assertThat(this.actions.sendSigned(key, body.replace("mia", "max"), Actions.signature(SECRET, now, body))
			.statusCode()).isEqualTo(401);
		assertThat(this.actions.sendSigned(key, body, "t=" + now).body()).contains("no v1 signature");
		// Refused unsigned, the key was not spent: signed, it is taken.
		assertThat(this.actions.sendSigned(key, body, Actions.signature(SECRET, now - 4 * 60, body)).statusCode())
			.isEqualTo(202);
		await().until(() -> texts(call.id()).contains("mia took over"));
		assertThat(texts(call.id())).containsOnlyOnce("mia took over");
	}

	@Test
	void eachIdempotencyKeyIsDoneOnceAndARepeatAnsweredAsTheFirst() {
		LiveCall call = play(Platform.VOICE, 0.05);
		String coach = UUID.randomUUID().toString();
		String body = Actions.action(coach, call.id(), "coach", "\"text\": \"Offer the refund before escalating.\"");
		HttpResponse<String> first = this.actions.send(coach, body);
		HttpResponse<String> again = this.actions.send(coach, body);
		assertThat(first.statusCode()).isEqualTo(202);
		assertThat(again.statusCode()).isEqualTo(202);
		assertThat(again.body()).isEqualTo(first.body()).contains(coach);

		String end = UUID.randomUUID().toString();
		String ending = Actions.action(end, call.id(), "end", "");
		assertThat(this.actions.send(end, ending).statusCode()).isEqualTo(202);
		// Over now, but the same action is answered as it was, not as a new one.
		assertThat(this.actions.send(end, ending).statusCode()).isEqualTo(202);
		assertThat(this.actions.send(call.id(), "coach", "\"text\": \"Too late.\"").statusCode()).isEqualTo(409);
		await().until(() -> texts(call.id()).contains("Call ended"));
		assertThat(texts(call.id())).containsOnlyOnce("Offer the refund before escalating.", "Call ended");
	}

	@Test
	void unknownConversationsAndMalformedActionsAreRefused() {
		LiveCall call = play(Platform.VOICE, 0.05);
		HttpResponse<String> unknown = this.actions.send("conv-nobody", "end", "");
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(unknown.body()).contains("conv-nobody");
		assertThat(this.actions.send(call.id(), "mute", "").body()).contains("unknown type 'mute'");
		assertThat(this.actions.send(call.id(), "transfer", "\"to\": \"0800 123\"").statusCode()).isEqualTo(400);
		assertThat(this.actions.send(call.id(), "reply", "").body()).contains("reply needs a text");
		assertThat(this.actions.send("key", "{not json").statusCode()).isEqualTo(400);
		String other = Actions.action("an-action", call.id(), "end", "");
		assertThat(this.actions.send("another-key", other).body()).contains("Idempotency-Key");
		assertThat(this.actions.send(call.id(), "hand_back", "").statusCode()).isEqualTo(409);
		assertThat(texts(call.id())).doesNotContain("Call ended");
	}

	@Test
	void aPersonWhoTakesOverSilencesTheAiUntilTheyHandItBack() {
		LiveCall call = play(Platform.VOICE, 2);
		await().until(() -> this.archive.messages(call.id()).size() >= 2);
		assertThat(this.actions.send(call.id(), "take_over", "").statusCode()).isEqualTo(202);
		await().until(() -> texts(call.id()).contains("mia took over"));
		JsonNode tookOver = message(call.id(), "mia took over");
		assertThat(tookOver.get("senderType").asString()).isEqualTo("system");
		assertThat(tookOver.get("data").get("outcome").asString()).isEqualTo("done");
		assertThat(tookOver.get("data").get("actionId").asString()).isNotBlank();
		assertThat(tookOver.get("flowNode").asString()).as("where the flow hands over to a person")
			.isEqualTo("handoff");
		assertThat(call.mode()).isEqualTo(LiveCall.Mode.HELD);

		HttpResponse<String> reply = this.actions.send(call.id(), "reply", "\"text\": \"I can refund that today.\"");
		assertThat(reply.statusCode()).isEqualTo(202);
		// The customer answers the person, in a few seconds at this speed.
		await().atMost(Duration.ofSeconds(10)).until(() -> senders(call.id()).getLast().equals("user"));
		JsonNode replied = message(call.id(), "I can refund that today.");
		assertThat(replied.get("senderType").asString()).isEqualTo("human_agent");
		assertThat(replied.get("senderName").asString()).isEqualTo("mia");
		assertThat(replied.get("flowNode").asString()).isEqualTo("handoff");
		assertThat(reply.body()).contains(replied.get("data").get("actionId").asString());
		List<String> afterTakeOver = senders(call.id()).subList(texts(call.id()).indexOf("mia took over") + 1,
				senders(call.id()).size());
		assertThat(afterTakeOver).doesNotContain("agent");
		assertThat(this.actions.send(call.id(), "take_over", "").statusCode()).isEqualTo(202);

		assertThat(this.actions.send(call.id(), "hand_back", "").statusCode()).isEqualTo(202);
		await().atMost(Duration.ofSeconds(15)).until(() -> senders(call.id()).getLast().equals("agent"));
		assertThat(texts(call.id())).contains("Handed back to the AI agent");
		assertThat(this.archive.states(call.id()))
			.allSatisfy((state) -> assertThat(state.get("status").asString()).isEqualTo("in_progress"));
	}

	@Test
	void coachingIsShownToTheAgentAndItsNextWordsFollowIt() {
		LiveCall call = play(Platform.WEB, 4);
		HttpResponse<String> coach = this.actions.send(call.id(), "coach",
				"\"text\": \"Mention the loyalty discount.\"");
		assertThat(coach.statusCode()).isEqualTo(202);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.archive.messages(call.id())
				.stream()
				.anyMatch((message) -> message.path("data").has("followsCoaching")));
		JsonNode coaching = message(call.id(), "Mention the loyalty discount.");
		assertThat(coaching.get("senderType").asString()).isEqualTo("coaching");
		JsonNode followed = this.archive.messages(call.id())
			.stream()
			.filter((message) -> message.path("data").has("followsCoaching"))
			.findFirst()
			.orElseThrow();
		assertThat(followed.get("senderType").asString()).isEqualTo("agent");
		assertThat(followed.get("data").get("followsCoaching")).isEqualTo(coaching.get("data").get("actionId"));
	}

	@Test
	void enqueueingPutsTheConversationInAQueueForAPerson() {
		LiveCall call = play(Platform.WEB, 0.05);
		assertThat(this.actions.send(call.id(), "enqueue", "\"queue\": \"Billing\"").statusCode()).isEqualTo(202);
		await().until(() -> this.archive.states(call.id()).size() == 2);
		JsonNode waiting = this.archive.states(call.id()).getLast();
		assertThat(waiting.get("status").asString()).isEqualTo("human_handoff");
		assertThat(waiting.get("queue").asString()).isEqualTo("Billing");
		assertThat(waiting.has("endedAt")).isFalse();
		assertThat(texts(call.id())).contains("Enqueued to Billing");
		assertThat(call.mode()).isEqualTo(LiveCall.Mode.WAITING);

		// A person's reply answers it: in progress again, theirs.
		assertThat(this.actions.send(call.id(), "reply", "\"text\": \"Hi, Mia from billing here.\"").statusCode())
			.isEqualTo(202);
		await().until(() -> this.archive.states(call.id()).size() == 3);
		JsonNode answered = this.archive.states(call.id()).getLast();
		assertThat(answered.get("status").asString()).isEqualTo("in_progress");
		assertThat(answered.get("liveAgents").get(0).get("name").asString()).isEqualTo("mia");
	}

	@Test
	void aTransferEndsACallAndCannotMoveAChat() {
		LiveCall call = play(Platform.VOICE, 0.05);
		assertThat(this.actions.send(call.id(), "transfer", "\"to\": \"+14155550123\"").statusCode()).isEqualTo(202);
		await().until(() -> this.archive.states(call.id()).size() == 2);
		JsonNode ended = this.archive.states(call.id()).getLast();
		assertThat(ended.get("status").asString()).isEqualTo("completed");
		assertThat(ended.has("endedAt")).isTrue();
		assertThat(texts(call.id())).endsWith("Transferred to +14155550123");
		HttpResponse<String> late = this.actions.send(call.id(), "take_over", "");
		assertThat(late.statusCode()).isEqualTo(409);
		assertThat(late.body()).contains("the conversation is over (completed)");

		LiveCall chat = play(Platform.WEB, 0.05);
		assertThat(this.actions.send(chat.id(), "transfer", "\"to\": \"+14155550123\"").statusCode()).isEqualTo(202);
		await().until(() -> texts(chat.id()).getLast().startsWith("Could not transfer"));
		JsonNode failed = this.archive.messages(chat.id()).getLast();
		assertThat(failed.get("data").get("outcome").asString()).isEqualTo("failed");
		assertThat(failed.get("data").get("reason").asString()).contains("cannot be transferred");
		assertThat(this.archive.states(chat.id())).hasSize(1);
		assertThat(chat.mode()).isEqualTo(LiveCall.Mode.AI);
	}

	@Test
	void aCallIsListenedToAsMp3FramesUntilItEnds() throws Exception {
		LiveCall call = play(Platform.VOICE, 0.05);
		String key = UUID.randomUUID().toString();
		String body = Actions.action(key, call.id(), "listen", "");
		HttpResponse<String> listen = this.actions.send(key, body);
		assertThat(listen.statusCode()).isEqualTo(200);
		String url = JsonMapper.builder().build().readTree(listen.body()).get("listenUrl").asString();
		assertThat(url).startsWith("http://127.0.0.1:" + this.platform.port() + "/listen/");
		assertThat(this.actions.send(key, body).body()).isEqualTo(listen.body());
		assertThat(this.actions.send(play(Platform.WEB, 0.05).id(), "listen", "").statusCode()).isEqualTo(409);

		HttpClient http = HttpClient.newHttpClient();
		HttpResponse<InputStream> audio = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
				HttpResponse.BodyHandlers.ofInputStream());
		assertThat(audio.statusCode()).isEqualTo(200);
		assertThat(audio.headers().firstValue("Content-Type")).hasValue("audio/mpeg");
		try (InputStream in = audio.body()) {
			// The lead, about two seconds at 24 kbps, comes at once: MPEG-2 Layer III
			// frames.
			byte[] lead = in.readNBytes(5000);
			assertThat(lead).hasSize(5000);
			assertThat(lead[0] & 0xff).isEqualTo(0xff);
			assertThat(lead[1] & 0xfe).isEqualTo(0xf2);
			assertThat(this.actions.send(call.id(), "end", "").statusCode()).isEqualTo(202);
			long start = System.nanoTime();
			in.readAllBytes();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
		}
		assertThat(http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
			.statusCode()).isEqualTo(404);
	}

	@Test
	void aConversationHandedOffWaitsInItsQueueAndTheCustomerAsksAfterIt() {
		Casting.Cast cast = LongStream.range(0, 500)
			.mapToObj((index) -> Casting.handedOff(index, GENERATOR.conversation(index)))
			.filter((handedOff) -> handedOff != null && handedOff.conversation().status() == Status.HUMAN_HANDOFF)
			.findFirst()
			.orElseThrow();
		LiveCall call = this.platform.play("handed-off", cast, 20, 1, () -> {
		});
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.archive.states(call.id()).getLast().get("status").asString().equals("human_handoff"));
		JsonNode waiting = this.archive.states(call.id()).getLast();
		assertThat(waiting.get("status").asString()).isEqualTo("human_handoff");
		assertThat(waiting.get("queue").asString()).isEqualTo(cast.conversation().flow().name());
		assertThat(waiting.get("messages")).hasSize(cast.script().size());
		await().atMost(Duration.ofSeconds(10))
			.until(() -> texts(call.id()).getLast().equals("Hello? Is anyone there?"));
	}

	@Test
	void thePlayerPlaysConversationsLiveAndEndsThemAsGenerated() throws InterruptedException {
		Player player = this.platform.play(new Player.Options(2, 40, 3, 3));
		Casting casting = new Casting(3);
		List<Casting.Cast> casts = List.of(casting.next(), casting.next(), casting.next());
		await().atMost(Duration.ofSeconds(60)).until(() -> player.conversationIds().size() == 3);
		List<String> ids = player.conversationIds();
		for (int i = 0; i < 3; i++) {
			String id = ids.get(i);
			Casting.Cast cast = casts.get(i);
			assertThat(id).startsWith(cast.conversation().id() + "-");
			if (cast.handOffTo() != null) {
				await().atMost(Duration.ofSeconds(30))
					.until(() -> this.archive.states(id).getLast().get("status").asString().equals("human_handoff"));
				assertThat(this.actions.send(id, "end", "").statusCode()).isEqualTo(202);
			}
		}
		assertThat(player.awaitFinished(Duration.ofSeconds(60))).isTrue();
		for (int i = 0; i < 3; i++) {
			Casting.Cast cast = casts.get(i);
			List<JsonNode> states = this.archive.states(ids.get(i));
			JsonNode created = states.getFirst();
			assertThat(created.get("status").asString()).isEqualTo("in_progress");
			assertThat(created.has("endedAt")).isFalse();
			assertThat(created.get("messages")).hasSize(1);
			assertThat(Instant.parse(created.get("startedAt").asString())).isAfter(Instant.now().minusSeconds(90));
			JsonNode ended = states.getLast();
			Conversation generated = cast.conversation();
			assertThat(ended.get("status").asString())
				.isEqualTo((cast.handOffTo() != null) ? "completed" : generated.status().json());
			assertThat(Instant.parse(ended.get("endedAt").asString())).isAfterOrEqualTo(
					Instant.parse(ended.get("messages").get(ended.get("messages").size() - 1).get("at").asString()));
			assertThat(ended.get("flowVersion").asInt()).isEqualTo(generated.flowVersion());
			List<String> nodes = new ArrayList<>();
			ended.get("messages").forEach((message) -> nodes.add(message.path("flowNode").asString(null)));
			assertThat(nodes.subList(0, cast.script().size()))
				.isEqualTo(cast.script().stream().map(Message::flowNode).toList())
				.doesNotContainNull();
			if (cast.handOffTo() == null) {
				assertThat(ended.get("messages")).hasSize(generated.messages().size());
				assertThat(ended.get("summary").asString()).isEqualTo(generated.summary());
				assertThat(this.archive.messages(ids.get(i))).hasSize(generated.messages().size());
			}
		}
		assertThat(this.archive.writes())
			.allSatisfy((write) -> assertThat(write.authorization()).isEqualTo("Bearer " + FakeArchive.KEY));
	}

	@Test
	void thePlayerPublishesEveryVersionOfItsFlowsBeforePlaying() throws InterruptedException {
		Player player = this.platform.play(new Player.Options(1, 40, 1, 3));
		await().atMost(Duration.ofSeconds(60)).until(() -> player.conversationIds().size() == 1);
		List<FlowGraph> graphs = ConversationGenerator.flowGraphs();
		List<FakeArchive.Write> flows = this.archive.flows();
		assertThat(flows).hasSize(graphs.size());
		assertThat(this.archive.writes().subList(0, graphs.size())).as("before any conversation").isEqualTo(flows);
		for (int i = 0; i < graphs.size(); i++) {
			FlowGraph graph = graphs.get(i);
			FakeArchive.Write flow = flows.get(i);
			assertThat(flow.method()).isEqualTo("PUT");
			assertThat(flow.path()).isEqualTo("/api/v1/flows/" + graph.id());
			assertThat(flow.body().propertyNames()).containsExactlyInAnyOrder("name", "version", "nodes", "edges");
			assertThat(flow.body().get("version").asInt()).isEqualTo(graph.version());
			assertThat(flow.body().get("nodes")).hasSize(graph.nodes().size());
			assertThat(flow.body().get("nodes").get(0).get("kind").asString()).isEqualTo("start");
			assertThat(flow.body().get("edges")).hasSize(graph.edges().size());
		}
		assertThat(flows).extracting((flow) -> flow.path() + "@" + flow.body().get("version").asInt())
			.contains("/api/v1/flows/flow-billing@1", "/api/v1/flows/flow-billing@2");
		// A second player plays without publishing them again.
		Player second = this.platform.play(new Player.Options(1, 40, 1, 4));
		await().atMost(Duration.ofSeconds(60)).until(() -> second.conversationIds().size() == 1);
		assertThat(this.archive.flows()).hasSize(graphs.size());
	}

	/**
	 * A generated conversation of a platform, played at a speed.
	 */
	private LiveCall play(Platform platform, double speed) {
		Casting.Cast cast = LongStream.range(0, 500)
			.mapToObj((index) -> new Casting.Cast(index, GENERATOR.conversation(index),
					GENERATOR.conversation(index).messages(), null))
			.filter((candidate) -> candidate.conversation().platform() == platform
					&& candidate.conversation().status() == Status.COMPLETED && candidate.script().size() >= 12)
			.findFirst()
			.orElseThrow();
		LiveCall call = this.platform.play(platform.json() + "-" + UUID.randomUUID(), cast, speed, 1, () -> {
		});
		await().until(() -> !this.archive.states(call.id()).isEmpty());
		return call;
	}

	private JsonNode message(String id, String text) {
		return this.archive.messages(id)
			.stream()
			.filter((message) -> text.equals(message.path("text").asString(null)))
			.findFirst()
			.orElseThrow();
	}

	private List<String> texts(String id) {
		return this.archive.messages(id).stream().map((message) -> message.path("text").asString("")).toList();
	}

	private List<String> senders(String id) {
		return this.archive.messages(id).stream().map((message) -> message.get("senderType").asString()).toList();
	}

}
