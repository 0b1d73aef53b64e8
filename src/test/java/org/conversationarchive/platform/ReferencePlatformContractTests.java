package org.conversationarchive.platform;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.LongStream;

import org.conversationarchive.conversation.Platform;
import org.conversationarchive.conversation.Status;
import org.conversationarchive.gateway.GatewayContract;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The reference platform against the contract, {@code docs/gateway-openapi.yaml}: actions
 * built from the document's own example, each checked against its schema before it is
 * sent and signed here independently ({@link Actions}), are answered with statuses the
 * operation lists, and a listen's answer fits the schema of its response; so are the
 * refusals. The archive's client's side: {@code GatewayContractTests}.
 */
class ReferencePlatformContractTests {

	static final String SECRET = "a-secret-shared-with-the-archive";

	static final JsonMapper JSON = JsonMapper.builder().build();

	static final String EXAMPLE = "/paths/~1/post/requestBody/content/application~1json/examples/transfer/value";

	final GatewayContract contract = GatewayContract.load();

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
	void everyActionIsAnsweredAsTheContractSays() {
		String call = play();
		assertAnswered(send(action(call, "listen", null, null)), 200);
		assertAnswered(send(action(call, "take_over", null, null)), 202);
		assertAnswered(send(action(call, "reply", "text", "I can refund that today.")), 202);
		assertAnswered(send(action(call, "coach", "text", "Offer the refund before escalating.")), 202);
		assertAnswered(send(action(call, "hand_back", null, null)), 202);
		assertAnswered(send(action(call, "enqueue", "queue", "Billing")), 202);
		assertAnswered(send(action(call, "end", null, null)), 202);
		// A transfer ends the call: one of its own.
		assertAnswered(send(action(play(), "transfer", "to", "+14155550123")), 202);
	}

	@Test
	void refusalsAreStatusesTheContractLists() {
		String call = play();
		ObjectNode takeOver = action(call, "take_over", null, null);
		String body = takeOver.toString();
		String forged = Actions.signature("another-secret-of-enough-length", Instant.now().getEpochSecond(), body);
		assertAnswered(this.actions.sendSigned(takeOver.path("actionId").asString(), body, forged), 401);

		assertAnswered(send(action("conv-nobody", "end", null, null)), 404);

		assertAnswered(this.actions.send(UUID.randomUUID().toString(), "{not json"), 400);
		ObjectNode nowhere = action(call, "transfer", "to", "+14155550123");
		nowhere.remove("to");
		assertThat(this.contract.actionProblems(nowhere)).isNotEmpty();
		assertAnswered(send(nowhere), 400);

		assertAnswered(send(action(call, "end", null, null)), 202);
		assertAnswered(send(action(call, "take_over", null, null)), 409);
	}

	/**
	 * An action on a conversation from the contract's example, with the field its type
	 * needs when one is named, checked against the contract's schema.
	 */
	private ObjectNode action(String conversationId, String type, @Nullable String field, @Nullable String value) {
		ObjectNode action = (ObjectNode) this.contract.document().at(EXAMPLE).deepCopy();
		action.remove("to");
		action.put("actionId", UUID.randomUUID().toString())
			.put("conversationId", conversationId)
			.put("type", type)
			.put("requestedAt", Instant.now().toString());
		if (field != null) {
			action.put(field, value);
		}
		assertThat(this.contract.actionProblems(action)).isEmpty();
		return action;
	}

	private HttpResponse<String> send(ObjectNode action) {
		return this.actions.send(action.path("actionId").asString(), action.toString());
	}

	private void assertAnswered(HttpResponse<String> answer, int status) {
		assertThat(this.contract.lists(answer.statusCode())).isTrue();
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
		assertThat(this.contract.answerProblems(answer.statusCode(),
				answer.headers().firstValue("Content-Type").orElse(null), answer.body()))
			.isEmpty();
	}

	/**
	 * A generated call, played slowly enough to outlast the test.
	 * @return its id
	 */
	private String play() {
		Casting.Cast cast = LongStream.range(0, 500)
			.mapToObj((index) -> new Casting.Cast(index, ReferencePlatformTests.GENERATOR.conversation(index),
					ReferencePlatformTests.GENERATOR.conversation(index).messages(), null))
			.filter((candidate) -> candidate.conversation().platform() == Platform.VOICE
					&& candidate.conversation().status() == Status.COMPLETED && candidate.script().size() >= 12)
			.findFirst()
			.orElseThrow();
		LiveCall call = this.platform.play("voice-" + UUID.randomUUID(), cast, 0.05, 1, () -> {
		});
		await().until(() -> !this.archive.states(call.id()).isEmpty());
		return call.id();
	}

}
