package org.conversationarchive.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLException;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.conversationarchive.notifications.WebhookAddresses;
import org.conversationarchive.notifications.WebhookSignatures;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Sends actions to an org's agent platform: a JSON {@code POST}, signed like webhooks
 * ({@value #SIGNATURE}: {@code t=…,v1=…}, HMAC-SHA256 of the seconds, a dot and the body,
 * with the platform's secret, under a header of its own so that a webhook cannot be
 * replayed to the platform as an action) and with the action's id as
 * {@value #IDEMPOTENCY_KEY}, the same on every attempt. Connection errors, timeouts, 5xx
 * and 429 are tried again with exponential backoff; any other answer is final. An org's
 * platform that failed {@code breaker-failures} actions in a row is taken as down for
 * {@code breaker-cool-down} ({@link GatewayBreaker}): its actions then fail at once,
 * never holding a request thread for the timeouts. Addresses are checked as webhooks' are
 * ({@link WebhookAddresses}, with {@code archive.gateway.allow-private-addresses}), but
 * for the exact address and port of a platform the service runs itself
 * ({@link OwnPlatform}); redirects are not followed.
 */
@Component
public class GatewayClient implements DisposableBean {

	static final String SIGNATURE = "X-Archive-Action-Signature";

	static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	static final String ATTEMPT = "X-Archive-Action-Attempt";

	private static final int MAX_ANSWER = 1000;

	private static final String USER_AGENT = "ConversationArchive-Gateway/1";

	private final Connections connections;

	private final GatewaySettings settings;

	private final JsonMapper json;

	private final WebhookAddresses addresses;

	private final GatewayBreaker breaker;

	private final CloseableHttpClient client;

	/** Listening's own connections: a call is listened to for minutes. */
	private final CloseableHttpClient listening;

	private final ScheduledExecutorService deadlines = Executors
		.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("gateway-deadlines").daemon().factory());

	/**
	 * Where an org's actions go.
	 */
	@FunctionalInterface
	interface Connections {

		Optional<Connection> connection(String org);

	}

	/**
	 * An org's platform as the client needs it.
	 *
	 * @param url the endpoint
	 * @param secret the secret that signs
	 */
	record Connection(String url, String secret) {

		@Override
		public String toString() {
			return "Connection[url=" + WebhookAddresses.redacted(this.url) + "]";
		}

	}

	/**
	 * What came of an action the platform took.
	 *
	 * @param status its 2xx answer
	 * @param attempts the attempts it took
	 * @param answer the start of the platform's answer
	 */
	public record Sent(int status, int attempts, String answer) {
	}

	@Autowired
	GatewayClient(GatewayPlatforms platforms, GatewaySettings settings, JsonMapper json) {
		this(platforms, settings, json, Clock.systemUTC());
	}

	GatewayClient(Connections connections, GatewaySettings settings, JsonMapper json, Clock clock) {
		this.connections = connections;
		this.settings = settings;
		this.json = json;
		this.addresses = new WebhookAddresses(settings.allowPrivateAddresses(), "actions go",
				"ARCHIVE_GATEWAY_ALLOW_PRIVATE_ADDRESSES");
		this.breaker = new GatewayBreaker(settings.breakerFailures(), settings.breakerCoolDown(), clock);
		this.client = this.addresses.client(settings.connectTimeout(), settings.readTimeout(), 200, 20, USER_AGENT);
		this.listening = this.addresses.client(settings.connectTimeout(), settings.readTimeout(), 200, 100, USER_AGENT);
	}

	WebhookAddresses addresses() {
		return this.addresses;
	}

	/**
	 * Sends actions and listens at exactly this endpoint whatever its address, as the
	 * service runs the platform there itself ({@link OwnPlatform}).
	 * @param url the platform's action URL, its host an address
	 */
	void trust(URI url) {
		this.addresses.trust(url);
	}

	void distrust(URI url) {
		this.addresses.distrust(url);
	}

	/**
	 * Sends an action to its org's platform, trying again while that may help.
	 * @param action the action
	 * @return the platform's 2xx answer
	 * @throws PlatformUnavailableException when no platform is configured, it is taken as
	 * down, or it failed every attempt
	 * @throws PlatformRefusedException when it answered a 4xx other than 429
	 */
	public Sent send(GatewayAction action) {
		String org = action.org();
		Connection connection = this.connections.connection(org)
			.orElseThrow(() -> new PlatformUnavailableException(
					"no agent platform is configured for the org (PUT /api/v1/gateway/platform)", null));
		Duration open = this.breaker.refusal(org);
		if (open != null) {
			throw new PlatformUnavailableException(
					"the agent platform is taken as down after " + this.settings.breakerFailures()
							+ " failed actions in a row; actions are not sent to it for " + seconds(open) + " s",
					open);
		}
		URI uri = URI.create(connection.url());
		String refusal = this.addresses.refusal(uri);
		if (refusal != null) {
			throw new PlatformUnavailableException("the agent platform's address is refused: " + refusal, null);
		}
		byte[] body = this.json.writeValueAsBytes(action.body());
		String failure = "";
		Duration asked = null;
		for (int attempt = 1; attempt <= this.settings.maxAttempts(); attempt++) {
			if (attempt > 1) {
				Duration backoff = this.settings.backoffAfter(attempt - 1);
				sleep((asked != null && asked.compareTo(backoff) > 0) ? asked : backoff);
			}
			Attempt result = attempt(uri, connection.secret(), action.actionId(), attempt, body);
			if (result.refusedAddress()) {
				throw new PlatformUnavailableException("the agent platform's address is refused: " + result.error(),
						null);
			}
			if (result.status() != null && result.status() >= 200 && result.status() < 300) {
				this.breaker.succeeded(org);
				return new Sent(result.status(), attempt, result.answer());
			}
			if (result.status() != null && result.status() != 429 && result.status() < 500) {
				// The platform is up and answered: a final no, and no failure of the
				// platform.
				this.breaker.succeeded(org);
				throw new PlatformRefusedException(result.status(), result.answer());
			}
			failure = (result.status() != null) ? "answered " + result.status() : result.error();
			asked = result.retryAfter();
			if (asked != null && asked.compareTo(this.settings.maxBackoff()) > 0) {
				// Longer than a person waits on an action: the platform says when, and so
				// does the 503.
				this.breaker.failed(org);
				throw new PlatformUnavailableException("the agent platform " + failure + " and asks to wait "
						+ seconds(asked) + " s before the next action", asked);
			}
		}
		boolean down = this.breaker.failed(org);
		Duration retryAfter = down ? this.settings.breakerCoolDown() : this.settings.maxBackoff();
		throw new PlatformUnavailableException(
				"the agent platform did not take the action in " + this.settings.maxAttempts() + " attempts (last: "
						+ failure + ")" + (down ? "; it is now taken as down for " + seconds(retryAfter) + " s" : ""),
				retryAfter);
	}

	/**
	 * A call's live audio as the platform streams it.
	 *
	 * @param contentType its type (e.g. {@code audio/mpeg})
	 * @param audio the stream; close it (or the listening) when done
	 * @param response what to close
	 */
	public record Listening(String contentType, InputStream audio,
			java.io.Closeable response) implements java.io.Closeable {

		@Override
		public void close() throws IOException {
			this.response.close();
		}

	}

	/**
	 * Opens a call's live audio at the address the platform gave for a listen action: the
	 * service reads it and plays it to the person, so the address (a capability) and the
	 * platform never meet the browser. Only from the org's platform itself (its scheme,
	 * host and port: an answer cannot point the service elsewhere), checked as its
	 * address is, no redirects, only audio; on connections of their own, so that calls
	 * listened to for minutes never hold up actions.
	 * @param org the org whose platform gave it
	 * @param url the platform's listen address
	 * @return the stream
	 * @throws PlatformUnavailableException when it cannot be read
	 */
	public Listening listen(String org, String url) {
		Connection connection = this.connections.connection(org)
			.orElseThrow(() -> new PlatformUnavailableException(
					"no agent platform is configured for the org (PUT /api/v1/gateway/platform)", null));
		URI uri;
		try {
			uri = URI.create(url);
		}
		catch (IllegalArgumentException ex) {
			throw new PlatformUnavailableException("the agent platform gave no valid listen address", null);
		}
		URI platform = URI.create(connection.url());
		if (!sameOrigin(uri, platform) || uri.getRawUserInfo() != null) {
			throw new PlatformUnavailableException(
					"the agent platform's listen address is not on the platform's own host and port", null);
		}
		String refusal = this.addresses.refusal(uri);
		if (refusal != null) {
			throw new PlatformUnavailableException("the agent platform's listen address is refused: " + refusal, null);
		}
		org.apache.hc.client5.http.classic.methods.HttpGet get = new org.apache.hc.client5.http.classic.methods.HttpGet(
				uri);
		org.apache.hc.core5.http.ClassicHttpResponse response = null;
		try {
			response = this.listening.executeOpen(null, get, null);
			HttpEntity entity = response.getEntity();
			String type = (entity != null && entity.getContentType() != null)
					? entity.getContentType().toLowerCase(java.util.Locale.ROOT) : "";
			if (response.getCode() != 200 || entity == null || !type.startsWith("audio/")) {
				throw new PlatformUnavailableException("the agent platform answered " + response.getCode()
						+ ((type.isEmpty()) ? "" : " with " + type) + " for the call's audio", null);
			}
			Listening listening = new Listening(type, entity.getContent(), response);
			response = null;
			return listening;
		}
		catch (IOException ex) {
			throw new PlatformUnavailableException(
					"the agent platform's audio could not be read (" + describe(ex, null) + ")", null);
		}
		finally {
			if (response != null) {
				try {
					response.close();
				}
				catch (IOException ex) {
					// Nothing more to read from it.
				}
			}
		}
	}

	private static boolean sameOrigin(URI one, URI other) {
		return one.getScheme() != null && one.getScheme().equalsIgnoreCase(other.getScheme()) && one.getHost() != null
				&& one.getHost().equalsIgnoreCase(other.getHost()) && port(one) == port(other);
	}

	private static int port(URI uri) {
		return (uri.getPort() != -1) ? uri.getPort() : ("https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80);
	}

	/**
	 * @param retryAfter the wait a 429 or 503 asked for ({@code Retry-After} in seconds)
	 */
	private record Attempt(@Nullable Integer status, String answer, String error, boolean refusedAddress,
			@Nullable Duration retryAfter) {
	}

	private Attempt attempt(URI uri, String secret, String actionId, int number, byte[] body) {
		HttpPost post = new HttpPost(uri);
		post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
		post.setHeader(IDEMPOTENCY_KEY, actionId);
		post.setHeader(ATTEMPT, Integer.toString(number));
		// Signed anew on each attempt, so that a retry is within the receiver's
		// tolerance.
		post.setHeader(SIGNATURE, WebhookSignatures.header(List.of(secret), Instant.now(), body));
		Duration limit = this.settings.connectTimeout().plus(this.settings.readTimeout());
		// The socket timeout is per read: this bounds an answer that trickles in too.
		ScheduledFuture<?> deadline = this.deadlines.schedule(post::cancel, limit.toMillis(), TimeUnit.MILLISECONDS);
		try {
			return this.client.execute(post, (answer) -> {
				HttpEntity entity = answer.getEntity();
				String text = "";
				if (entity != null) {
					try (InputStream content = entity.getContent()) {
						text = new String(content.readNBytes(MAX_ANSWER), StandardCharsets.UTF_8);
					}
				}
				return new Attempt(answer.getCode(), text.strip(), "", false, retryAfter(answer));
			});
		}
		catch (WebhookAddresses.RefusedAddressException ex) {
			return new Attempt(null, "", String.valueOf(ex.getMessage()), true, null);
		}
		catch (IOException | RuntimeException ex) {
			return new Attempt(null, "", describe(ex, post.isCancelled() ? limit : null), false, null);
		}
		finally {
			deadline.cancel(false);
		}
	}

	/**
	 * The wait a 429 or 503 asks for, in seconds (an HTTP date is not read: platforms
	 * answer seconds, and a clock apart would make a date wrong anyway).
	 */
	private static @Nullable Duration retryAfter(org.apache.hc.core5.http.ClassicHttpResponse answer) {
		org.apache.hc.core5.http.Header header = answer.getFirstHeader("Retry-After");
		if (header == null || (answer.getCode() != 429 && answer.getCode() != 503)) {
			return null;
		}
		try {
			long seconds = Long.parseLong(header.getValue().strip());
			return (seconds >= 0 && seconds <= 86_400) ? Duration.ofSeconds(seconds) : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private String describe(Exception ex, @Nullable Duration cancelledAfter) {
		if (cancelledAfter != null) {
			return "no whole answer within " + seconds(cancelledAfter) + " s";
		}
		if (ex instanceof UnknownHostException) {
			return "the host does not resolve (" + ex.getMessage() + ")";
		}
		if (ex instanceof ConnectTimeoutException) {
			return "could not connect within " + seconds(this.settings.connectTimeout()) + " s";
		}
		if (ex instanceof ConnectException) {
			return "could not connect (" + ex.getMessage() + ")";
		}
		if (ex instanceof SocketTimeoutException) {
			return "no answer within " + seconds(this.settings.readTimeout()) + " s";
		}
		if (ex instanceof SSLException) {
			return "TLS failed (" + ex.getMessage() + ")";
		}
		return ex.getClass().getSimpleName() + ((ex.getMessage() != null) ? " (" + ex.getMessage() + ")" : "");
	}

	private static String seconds(Duration duration) {
		long millis = duration.toMillis();
		return (millis % 1000 == 0) ? Long.toString(millis / 1000)
				: String.format(java.util.Locale.ROOT, "%.1f", millis / 1000.0);
	}

	private static void sleep(Duration wait) {
		try {
			Thread.sleep(wait);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new PlatformUnavailableException("interrupted while waiting to try the agent platform again", null);
		}
	}

	@Override
	public void destroy() throws IOException {
		this.deadlines.shutdownNow();
		this.client.close();
		this.listening.close();
	}

}
