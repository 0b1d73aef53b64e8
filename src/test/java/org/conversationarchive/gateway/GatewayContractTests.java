package org.conversationarchive.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.conversationarchive.WebhookReceiver;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The archive's client against the contract, {@code docs/gateway-openapi.yaml}: every
 * request it sends, on every attempt, keeps the operation as the document describes it
 * (checked by a JSON Schema validator against the document's own schemas), the document
 * is whole, and the checks refuse what the contract forbids, so that they cannot pass for
 * want of checking. The reference platform's side: {@code
 * ReferencePlatformContractTests}.
 */
class GatewayContractTests {

	static final String SECRET = "platform-secret-0123456789";

	static final JsonMapper JSON = JsonMapper.builder().build();

	final GatewayContract contract = GatewayContract.load();

	final Recorder platform = new Recorder();

	@AfterEach
	void stop() {
		this.platform.close();
	}

	@Test
	void theDocumentIsOpenApi31WithTheOperationItsHeadersAndTheActionSchema() {
		JsonNode document = this.contract.document();
		assertThat(document.path("openapi").asString()).startsWith("3.1.");
		JsonNode operation = this.contract.operation();
		assertThat(operation.path("operationId").asString()).isEqualTo("takeAction");
		assertThat(operation.path("parameters")
			.valueStream()
			.filter((parameter) -> parameter.path("in").asString().equals("header")
					&& parameter.path("required").asBoolean())
			.map((parameter) -> parameter.path("name").asString()))
			.containsExactlyInAnyOrder(GatewayClient.IDEMPOTENCY_KEY, GatewayClient.SIGNATURE, GatewayClient.ATTEMPT);
		assertThat(operation.at("/requestBody/required").asBoolean()).isTrue();
		assertThat(operation.at("/requestBody/content/application~1json/schema/$ref").asString())
			.isEqualTo("#/components/schemas/Action");
		JsonNode action = document.at("/components/schemas/Action");
		assertThat(action.path("required").valueStream().map(JsonNode::asString)).containsExactlyInAnyOrder("actionId",
				"conversationId", "org", "type", "requestedBy", "requestedAt");
		assertThat(action.at("/properties/type/enum").valueStream().map(JsonNode::asString))
			.containsExactlyInAnyOrderElementsOf(GatewayAction.TYPES);
		assertThat(operation.path("responses").propertyNames()).containsExactlyInAnyOrder("200", "202", "400", "401",
				"404", "409", "429", "5XX");
		assertThat(operation.at("/responses/200/content/application~1json/schema/$ref").asString())
			.isEqualTo("#/components/schemas/ListenAnswer");
		// The document's own examples keep its schema.
		JsonNode examples = operation.at("/requestBody/content/application~1json/examples");
		assertThat(examples.propertyNames()).isNotEmpty();
		examples.forEach((example) -> assertThat(this.contract.actionProblems(example.path("value"))).isEmpty());
	}

	@Test
	void everyActionTheClientSendsKeepsTheContractOnEveryAttempt() {
		// The first attempt of the first action fails, so that a retry is checked too.
		this.platform.answer(503, 202);
		GatewayClient client = new GatewayClient(
				(org) -> Optional.of(new GatewayClient.Connection(this.platform.url(), SECRET)), settings(), JSON,
				Clock.systemUTC());
		List<GatewayAction> actions = List.of(action("listen", Map.of()), action("take_over", Map.of()),
				action("hand_back", Map.of()), action("transfer", Map.of("to", "+14155550123")),
				action("enqueue", Map.of("queue", "Billing")), action("end", Map.of()),
				action("coach", Map.of("text", "Offer the refund before escalating.")),
				action("reply", Map.of("text", "I can refund that today.")));
		actions.forEach(client::send);

		List<GatewayContract.Request> sent = this.platform.received();
		assertThat(sent).hasSize(actions.size() + 1);
		assertThat(sent).allSatisfy((request) -> {
			assertThat(this.contract.requestProblems(request)).isEmpty();
			// Beyond the pattern: the HMAC the description defines, checked
			// independently.
			assertThat(
					WebhookReceiver.verify(SECRET, request.headers().get("x-archive-action-signature"), request.body()))
				.isTrue();
		});
		assertThat(sent).extracting((request) -> JSON.readTree(request.body()).path("type").asString())
			.containsAll(GatewayAction.TYPES);
		assertThat(sent).extracting((request) -> request.headers().get("x-archive-action-attempt")).contains("1", "2");
	}

	@Test
	void theChecksRefuseWhatTheContractForbids() {
		assertThat(this.contract.actionProblems(body("transfer", "to", "+14155550123"))).isEmpty();
		assertThat(this.contract.actionProblems(body("transfer", null, null))).singleElement()
			.asString()
			.contains("required property 'to'");
		assertThat(this.contract.actionProblems(body("transfer", "to", "0800 123"))).singleElement()
			.asString()
			.contains("/to");
		assertThat(this.contract.actionProblems(body("enqueue", null, null))).singleElement()
			.asString()
			.contains("'queue'");
		assertThat(this.contract.actionProblems(body("coach", "queue", "Billing"))).singleElement()
			.asString()
			.contains("'text'");
		assertThat(this.contract.actionProblems(body("reply", null, null))).singleElement()
			.asString()
			.contains("'text'");
		assertThat(this.contract.actionProblems(body("mute", null, null))).singleElement().asString().contains("/type");
		assertThat(this.contract.actionProblems(body("end", null, null).put("requestedAt", "yesterday")))
			.singleElement()
			.asString()
			.contains("/requestedAt");
		ObjectNode anonymous = body("end", null, null);
		anonymous.remove("requestedBy");
		assertThat(this.contract.actionProblems(anonymous)).singleElement().asString().contains("'requestedBy'");

		String end = body("end", null, null).toString();
		String id = JSON.readTree(end).path("actionId").asString();
		Map<String, String> headers = Map.of("idempotency-key", id, "x-archive-action-signature",
				"t=1796619600,v1=" + "0a".repeat(32), "x-archive-action-attempt", "1");
		assertThat(this.contract.requestProblems(new GatewayContract.Request("POST", "application/json", headers, end)))
			.isEmpty();
		assertThat(this.contract.requestProblems(new GatewayContract.Request("PUT", "application/json", headers, end)))
			.singleElement()
			.asString()
			.contains("method PUT");
		assertThat(this.contract.requestProblems(new GatewayContract.Request("POST", "text/plain", headers, end)))
			.singleElement()
			.asString()
			.contains("content type");
		assertThat(this.contract.requestProblems(request(headers, "idempotency-key", "another-key", end)))
			.singleElement()
			.asString()
			.contains("not the body's actionId");
		assertThat(this.contract.requestProblems(request(headers, "idempotency-key", null, end))).singleElement()
			.asString()
			.contains("no Idempotency-Key");
		assertThat(this.contract
			.requestProblems(request(headers, "x-archive-action-signature", "sha256=" + "0a".repeat(32), end)))
			.singleElement()
			.asString()
			.startsWith("X-Archive-Action-Signature: ");
		assertThat(this.contract.requestProblems(request(headers, "x-archive-action-attempt", "0", end)))
			.singleElement()
			.asString()
			.startsWith("X-Archive-Action-Attempt: ");
		assertThat(this.contract.requestProblems(request(headers, "x-archive-action-attempt", "first", end)))
			.singleElement()
			.asString()
			.startsWith("X-Archive-Action-Attempt: ");

		assertThat(this.contract.lists(503)).isTrue();
		assertThat(this.contract.lists(418)).isFalse();
		assertThat(this.contract.answerProblems(200, "application/json",
				"{\"listenUrl\": \"https://agents.example.com/listen/6f1c\"}"))
			.isEmpty();
		assertThat(this.contract.answerProblems(200, "application/json", "{}")).singleElement()
			.asString()
			.contains("'listenUrl'");
		// The contract asks for an absolute URL.
		assertThat(this.contract.answerProblems(200, "application/json", "{\"listenUrl\": \"/listen/6f1c\"}"))
			.singleElement()
			.asString()
			.contains("/listenUrl");
		assertThat(this.contract.answerProblems(200, "text/plain", "https://agents.example.com/listen/6f1c"))
			.singleElement()
			.asString()
			.contains("content type");
		// A refusal's body is free.
		assertThat(this.contract.answerProblems(409, "text/plain", "the conversation is over")).isEmpty();
	}

	/**
	 * Short limits, one retry after 20 ms; a platform on this machine.
	 */
	private static GatewaySettings settings() {
		return new GatewaySettings(Duration.ofMillis(500), Duration.ofSeconds(2), 2, Duration.ofMillis(20),
				Duration.ofMillis(100), 5, Duration.ofMillis(300), true);
	}

	private static GatewayAction action(String type, Map<String, Object> payload) {
		return new GatewayAction(UUID.randomUUID().toString(), "conv-20261207-0042", "acme", type, payload, "mia",
				Instant.parse("2026-12-07T05:00:00Z"));
	}

	/**
	 * An action's body with one field besides its own, when a name is given.
	 */
	private static ObjectNode body(String type, @Nullable String field, @Nullable String value) {
		ObjectNode body = JSON.createObjectNode()
			.put("actionId", UUID.randomUUID().toString())
			.put("conversationId", "conv-20261207-0042")
			.put("org", "acme")
			.put("type", type);
		if (field != null) {
			body.put(field, value);
		}
		return body.put("requestedBy", "mia").put("requestedAt", "2026-12-07T05:00:00Z");
	}

	/**
	 * A well-formed request with one header changed, or left out for {@code null}.
	 */
	private static GatewayContract.Request request(Map<String, String> headers, String name, @Nullable String value,
			String body) {
		Map<String, String> changed = new HashMap<>(headers);
		if (value == null) {
			changed.remove(name);
		}
		else {
			changed.put(name, value);
		}
		return new GatewayContract.Request("POST", "application/json", changed, body);
	}

	/**
	 * A platform that records every request whole, method included, and answers with the
	 * statuses it is given in turn (the last one repeated).
	 */
	static final class Recorder implements AutoCloseable {

		private final HttpServer server;

		private final List<GatewayContract.Request> received = new CopyOnWriteArrayList<>();

		private final AtomicInteger count = new AtomicInteger();

		private volatile List<Integer> statuses = List.of(202);

		Recorder() {
			try {
				this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
			this.server.createContext("/", this::handle);
			this.server.start();
		}

		String url() {
			return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/archive/actions";
		}

		void answer(Integer... statuses) {
			this.statuses = List.of(statuses);
		}

		List<GatewayContract.Request> received() {
			return List.copyOf(this.received);
		}

		private void handle(HttpExchange exchange) throws IOException {
			try (exchange) {
				Map<String, String> headers = new HashMap<>();
				exchange.getRequestHeaders()
					.forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.getFirst()));
				this.received.add(new GatewayContract.Request(exchange.getRequestMethod(),
						exchange.getRequestHeaders().getFirst("Content-Type"), headers,
						new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
				List<Integer> statuses = this.statuses;
				int status = statuses.get(Math.min(this.count.getAndIncrement(), statuses.size() - 1));
				exchange.sendResponseHeaders(status, -1);
			}
		}

		@Override
		public void close() {
			this.server.stop(0);
		}

	}

}
