package org.conversationarchive.gateway;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;
import org.conversationarchive.WebhookReceiver;
import org.conversationarchive.system.InvalidInputException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The client against a real platform on this machine ({@link WebhookReceiver}, which
 * checks signatures with code of its own): signed, the same idempotency key on every
 * attempt, retried only when that may help, cut off at its timeouts, and failing fast
 * while the org's breaker is open. Timeouts and backoffs are short.
 */
class GatewayClientTests {

	static final String SECRET = "platform-secret-0123456789";

	final JsonMapper json = JsonMapper.builder().build();

	final WebhookReceiver platform = new WebhookReceiver();

	@AfterEach
	void stop() {
		this.platform.close();
	}

	@Test
	void anActionIsSignedWithItsIdAsIdempotencyKey() {
		this.platform.answer("/actions", 202);
		GatewayAction action = action("transfer", Map.of("to", "+14155550123"));
		GatewayClient.Sent sent = client(settings(3, 2), "/actions").send(action);
		assertThat(sent.status()).isEqualTo(202);
		assertThat(sent.attempts()).isEqualTo(1);
		WebhookReceiver.Received received = this.platform.received("/actions").get(0);
		assertThat(received.header("Idempotency-Key")).isEqualTo(action.actionId());
		assertThat(received.header("Content-Type")).startsWith("application/json");
		String signature = received.header("X-Archive-Action-Signature");
		assertThat(signature).matches("t=\\d+,v1=[0-9a-f]{64}");
		assertThat(WebhookReceiver.verify(SECRET, signature, received.body())).isTrue();
		assertThat(WebhookReceiver.verify("another-secret-0123456789", signature, received.body())).isFalse();
		assertThat(WebhookReceiver.verify(SECRET, signature, received.body().replace("+1415", "+1416"))).isFalse();
		JsonNode body = this.json.readTree(received.body());
		assertThat(List.copyOf(body.propertyNames())).containsExactly("actionId", "conversationId", "org", "type", "to",
				"requestedBy", "requestedAt");
		assertThat(body.get("type").asString()).isEqualTo("transfer");
		assertThat(body.get("to").asString()).isEqualTo("+14155550123");
		assertThat(body.get("requestedBy").asString()).isEqualTo("sam");
		assertThat(body.get("requestedAt").asString()).isEqualTo("2026-12-07T05:00:00Z");
	}

	@Test
	void a503AndA429AreTriedAgainWithTheSameKeyUntilTaken() {
		this.platform.answer("/actions", 503, 429, 200);
		GatewayAction action = action("end", Map.of());
		GatewayClient.Sent sent = client(settings(3, 5), "/actions").send(action);
		assertThat(sent.status()).isEqualTo(200);
		assertThat(sent.attempts()).isEqualTo(3);
		List<WebhookReceiver.Received> received = this.platform.received("/actions");
		assertThat(received).hasSize(3);
		assertThat(received).extracting((request) -> request.header("Idempotency-Key")).containsOnly(action.actionId());
		assertThat(received).extracting((request) -> request.header("X-Archive-Action-Attempt"))
			.containsExactly("1", "2", "3");
		assertThat(received).allSatisfy((request) -> assertThat(
				WebhookReceiver.verify(SECRET, request.header("X-Archive-Action-Signature"), request.body()))
			.isTrue());
		// Backoff 20 ms, then 40 ms.
		assertThat(Duration.between(received.get(0).at(), received.get(2).at()))
			.isGreaterThanOrEqualTo(Duration.ofMillis(60));
	}

	@Test
	void a400IsFinalAndNotTriedAgain() {
		this.platform.answer("/actions", 400);
		GatewayClient client = client(settings(3, 5), "/actions");
		assertThatExceptionOfType(PlatformRefusedException.class).isThrownBy(() -> client.send(action("end", Map.of())))
			.satisfies((ex) -> {
				assertThat(ex.status()).isEqualTo(400);
				assertThat(ex.answer()).isEqualTo("answered 400 to /actions");
			});
		assertThat(this.platform.received("/actions")).hasSize(1);
	}

	@Test
	void aPlatformThatDoesNotAnswerIsCutOffAtTheReadTimeoutOnEachAttempt() throws IOException {
		HttpServer slow = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
		slow.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
		slow.createContext("/", (exchange) -> {
			requests.incrementAndGet();
			try {
				Thread.sleep(2000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			exchange.close();
		});
		slow.start();
		try {
			String url = "http://127.0.0.1:" + slow.getAddress().getPort() + "/actions";
			GatewayClient client = new GatewayClient((org) -> Optional.of(new GatewayClient.Connection(url, SECRET)),
					settings(2, 5), this.json, Clock.systemUTC());
			long started = System.nanoTime();
			assertThatExceptionOfType(PlatformUnavailableException.class)
				.isThrownBy(() -> client.send(action("listen", Map.of())))
				.withMessageContaining("in 2 attempts")
				.withMessageContaining("no answer within 0.3 s");
			Duration took = Duration.ofNanos(System.nanoTime() - started);
			assertThat(took).isBetween(Duration.ofMillis(600), Duration.ofMillis(1500));
			assertThat(requests).hasValue(2);
		}
		finally {
			slow.stop(0);
		}
	}

	@Test
	void theBreakerOpensAfterFailedActionsFailsFastAndClosesAfterTheCoolDown() throws InterruptedException {
		this.platform.answer("/actions", 500);
		GatewayClient client = client(settings(2, 2), "/actions");
		for (int i = 0; i < 2; i++) {
			assertThatExceptionOfType(PlatformUnavailableException.class)
				.isThrownBy(() -> client.send(action("end", Map.of())))
				.withMessageContaining("last: answered 500");
		}
		assertThat(this.platform.received("/actions")).hasSize(4);
		long started = System.nanoTime();
		assertThatExceptionOfType(PlatformUnavailableException.class)
			.isThrownBy(() -> client.send(action("end", Map.of())))
			.withMessageContaining("taken as down after 2 failed actions in a row")
			.satisfies((ex) -> assertThat(ex.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMillis(300)))
			.satisfies((ex) -> assertThat(ex.retryAfterSeconds()).isEqualTo(1L));
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(100));
		assertThat(this.platform.received("/actions")).hasSize(4);
		// Another org's platform is not affected.
		this.platform.answer("/actions", 200);
		assertThat(client.send(action("other-org", "end", Map.of())).status()).isEqualTo(200);
		Thread.sleep(350);
		assertThat(client.send(action("end", Map.of())).status()).isEqualTo(200);
		assertThat(client.send(action("end", Map.of())).status()).isEqualTo(200);
	}

	@Test
	void aTrialAfterTheCoolDownThatFailsOpensTheBreakerAgain() throws InterruptedException {
		this.platform.answer("/actions", 503);
		GatewayClient client = client(settings(1, 1), "/actions");
		assertThatExceptionOfType(PlatformUnavailableException.class)
			.isThrownBy(() -> client.send(action("end", Map.of())))
			.withMessageContaining("now taken as down");
		Thread.sleep(350);
		assertThatExceptionOfType(PlatformUnavailableException.class)
			.isThrownBy(() -> client.send(action("end", Map.of())))
			.withMessageContaining("last: answered 503");
		assertThatExceptionOfType(PlatformUnavailableException.class)
			.isThrownBy(() -> client.send(action("end", Map.of())))
			.withMessageContaining("taken as down after 1 failed actions");
		assertThat(this.platform.received("/actions")).hasSize(2);
	}

	@Test
	void anOrgWithoutAPlatformFailsWithoutRetryAfter() {
		GatewayClient client = new GatewayClient((org) -> Optional.empty(), settings(3, 2), this.json,
				Clock.systemUTC());
		assertThatExceptionOfType(PlatformUnavailableException.class)
			.isThrownBy(() -> client.send(action("end", Map.of())))
			.withMessageContaining("no agent platform is configured")
			.satisfies((ex) -> assertThat(ex.retryAfter()).isNull());
	}

	@Test
	void aPrivateAddressIsRefusedUnlessAllowed() {
		GatewaySettings strict = new GatewaySettings(Duration.ofMillis(500), Duration.ofMillis(300), 3,
				Duration.ofMillis(20), Duration.ofMillis(100), 2, Duration.ofMillis(300), false);
		String url = this.platform.url("/actions");
		GatewayClient client = new GatewayClient((org) -> Optional.of(new GatewayClient.Connection(url, SECRET)),
				strict, this.json, Clock.systemUTC());
		assertThatExceptionOfType(PlatformUnavailableException.class)
			.isThrownBy(() -> client.send(action("end", Map.of())))
			.withMessageContaining("'127.0.0.1' is a loopback address");
		assertThat(this.platform.received("/actions")).isEmpty();
	}

	@Test
	void aRetryAfterLongerThanAPersonWaitsEndsTheActionWithThatWait() throws IOException {
		HttpServer busy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
		java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
		busy.createContext("/", (exchange) -> {
			exchange.getRequestBody().readAllBytes();
			// The first asks for no wait at all, the next for a minute.
			exchange.getResponseHeaders().add("Retry-After", (calls.incrementAndGet() == 1) ? "0" : "60");
			exchange.sendResponseHeaders(429, -1);
			exchange.close();
		});
		busy.start();
		try {
			String url = "http://127.0.0.1:" + busy.getAddress().getPort() + "/actions";
			GatewayClient client = new GatewayClient((org) -> Optional.of(new GatewayClient.Connection(url, SECRET)),
					settings(3, 5), this.json, Clock.systemUTC());
			assertThatExceptionOfType(PlatformUnavailableException.class)
				.isThrownBy(() -> client.send(action("end", Map.of())))
				.withMessageContaining("answered 429 and asks to wait 60 s")
				.satisfies((ex) -> assertThat(ex.retryAfterSeconds()).isEqualTo(60L));
			assertThat(calls.get()).isEqualTo(2);
		}
		finally {
			busy.stop(0);
		}
	}

	@Test
	void aPlatformTheServiceRunsItselfIsReachedAtExactlyItsAddressAndPort() {
		GatewaySettings strict = new GatewaySettings(Duration.ofMillis(500), Duration.ofMillis(300), 3,
				Duration.ofMillis(20), Duration.ofMillis(100), 2, Duration.ofMillis(300), false);
		this.platform.answer("/actions", 202);
		String own = this.platform.url("/actions");
		try (WebhookReceiver other = new WebhookReceiver()) {
			String elsewhere = other.url("/actions");
			Map<String, String> urls = Map.of("acme", own, "other", elsewhere, "named",
					own.replace("127.0.0.1", "localhost"));
			GatewayClient client = new GatewayClient(
					(org) -> Optional.of(new GatewayClient.Connection(urls.get(org), SECRET)), strict, this.json,
					Clock.systemUTC());
			client.trust(URI.create(own));

			assertThat(client.send(action("acme", "end", Map.of())).status()).isEqualTo(202);
			// Another port on the same address, as another org's platform would be.
			assertThatExceptionOfType(PlatformUnavailableException.class)
				.isThrownBy(() -> client.send(action("other", "end", Map.of())))
				.withMessageContaining("'127.0.0.1' is a loopback address");
			assertThatExceptionOfType(PlatformUnavailableException.class)
				.isThrownBy(() -> client.listen("other", other.url("/listen/call")))
				.withMessageContaining("'127.0.0.1' is a loopback address");
			// A name for the address, resolved when connecting: its addresses are checked
			// with the port, ::1 is not the trusted one.
			assertThatExceptionOfType(PlatformUnavailableException.class)
				.isThrownBy(() -> client.send(action("named", "end", Map.of())))
				.withMessageContaining("loopback address");
			assertThat(other.received("/actions")).isEmpty();
			// The API still refuses it: only the code that runs the platform saves it.
			assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> client.addresses().check(own))
				.withMessageContaining("'127.0.0.1' is a loopback address");

			client.distrust(URI.create(own));
			assertThatExceptionOfType(PlatformUnavailableException.class)
				.isThrownBy(() -> client.send(action("acme", "end", Map.of())))
				.withMessageContaining("'127.0.0.1' is a loopback address");
			assertThat(this.platform.received("/actions")).hasSize(1);
		}
	}

	@Test
	void aPayloadMayNotOverrideTheActionsOwnFields() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> action("coach", Map.of("text", "hi", "org", "someone-else")));
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> action("dance", Map.of()));
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> action("transfer", Map.of()))
			.withMessage("a transfer action needs 'to' in its payload");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> action("reply", Map.of("text", " ")));
	}

	private GatewayClient client(GatewaySettings settings, String path) {
		String url = this.platform.url(path);
		return new GatewayClient((org) -> Optional.of(new GatewayClient.Connection(url, SECRET)), settings, this.json,
				Clock.systemUTC());
	}

	/**
	 * Short limits: 500 ms to connect, 300 ms to answer, backoff from 20 ms, a 300 ms
	 * cool-down.
	 */
	private static GatewaySettings settings(int attempts, int breakerFailures) {
		return new GatewaySettings(Duration.ofMillis(500), Duration.ofMillis(300), attempts, Duration.ofMillis(20),
				Duration.ofMillis(100), breakerFailures, Duration.ofMillis(300), true);
	}

	private static GatewayAction action(String type, Map<String, Object> payload) {
		return action("acme", type, payload);
	}

	private static GatewayAction action(String org, String type, Map<String, Object> payload) {
		return new GatewayAction(UUID.randomUUID().toString(), "conv-1", org, type, payload, "sam",
				Instant.parse("2026-12-07T05:00:00Z"));
	}

}
