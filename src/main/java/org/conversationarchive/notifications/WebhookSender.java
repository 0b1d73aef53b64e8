package org.conversationarchive.notifications;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLException;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Posts one attempt of a delivery to its endpoint, bounded every way an endpoint could
 * hold it: connect and read timeouts, a hard deadline of both together (an endpoint that
 * trickles its answer a byte at a time is cut off), at most {@link #MAX_RESPONSE} bytes
 * of its answer read, redirects not followed, no compression (no decompression bombs), no
 * proxy, no retries of its own, and only addresses {@link WebhookAddresses} allows.
 */
@Component
class WebhookSender implements DisposableBean {

	/** What is kept of an endpoint's answer, for the delivery log. */
	static final int MAX_RESPONSE = 500;

	static final String EVENT = "X-Archive-Event";

	static final String DELIVERY = "X-Archive-Delivery";

	static final String ATTEMPT = "X-Archive-Attempt";

	private final WebhookSettings settings;

	private final WebhookAddresses addresses;

	private final CloseableHttpClient client;

	private final ScheduledExecutorService deadlines = Executors
		.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("webhook-deadlines").daemon().factory());

	WebhookSender(WebhookSettings settings) {
		this.settings = settings;
		this.addresses = new WebhookAddresses(settings.allowPrivateAddresses());
		this.client = this.addresses.client(settings.connectTimeout(), settings.readTimeout(),
				Math.max(2, settings.concurrency()), settings.perEndpoint(), "ConversationArchive-Webhooks/1");
	}

	WebhookAddresses addresses() {
		return this.addresses;
	}

	/**
	 * Posts a delivery's body, signed.
	 * @param url the endpoint
	 * @param secrets the secrets that sign it, the current one first
	 * @param deliveryId the delivery
	 * @param event its event
	 * @param number which attempt this is (1 for the first)
	 * @param body the body
	 * @return what came of it
	 */
	WebhookDeliveries.Attempt send(String url, List<String> secrets, String deliveryId, String event, int number,
			byte[] body) {
		Instant at = Instant.now();
		long started = System.nanoTime();
		URI uri = URI.create(url);
		String refusal = this.addresses.refusal(uri);
		if (refusal != null) {
			return new WebhookDeliveries.Attempt(number, at, 0, null, "refused: " + refusal, null);
		}
		HttpPost post = new HttpPost(uri);
		post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
		post.setHeader(EVENT, event);
		post.setHeader(DELIVERY, deliveryId);
		post.setHeader(ATTEMPT, Integer.toString(number));
		post.setHeader(WebhookSignatures.HEADER, WebhookSignatures.header(secrets, at, body));
		Duration limit = this.settings.connectTimeout().plus(this.settings.readTimeout());
		ScheduledFuture<?> deadline = this.deadlines.schedule(post::cancel, limit.toMillis(), TimeUnit.MILLISECONDS);
		Integer status = null;
		String response = null;
		String error = null;
		try {
			@SuppressWarnings("deprecation")
			CloseableHttpResponse answer = this.client.execute(post);
			status = answer.getCode();
			HttpEntity entity = answer.getEntity();
			boolean whole = true;
			if (entity != null) {
				byte[] start = new byte[MAX_RESPONSE];
				int read = 0;
				try (InputStream content = entity.getContent()) {
					int n;
					while (read < start.length && (n = content.read(start, read, start.length - read)) > 0) {
						read += n;
					}
					whole = content.read() < 0;
					response = text(start, read);
				}
				catch (IOException ex) {
					whole = false;
				}
				finally {
					if (!whole) {
						// Closing would read the rest to keep the connection: drop it
						// instead.
						post.cancel();
					}
				}
			}
			try {
				answer.close();
			}
			catch (IOException ex) {
				// The connection was dropped above.
			}
			if (status < 200 || status >= 300) {
				error = "answered " + status + ((status >= 300 && status < 400) ? " (redirects are not followed)" : "");
			}
		}
		catch (IOException | RuntimeException ex) {
			error = describe(ex, post.isCancelled() ? limit : null);
		}
		finally {
			deadline.cancel(false);
		}
		long durationMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
		return new WebhookDeliveries.Attempt(number, at, durationMs, status, error, response);
	}

	private String describe(Exception ex, @Nullable Duration cancelledAfter) {
		if (cancelledAfter != null) {
			return "no whole answer within " + cancelledAfter.toSeconds() + " s";
		}
		if (ex instanceof WebhookAddresses.RefusedAddressException) {
			return ex.getMessage();
		}
		if (ex instanceof UnknownHostException) {
			return "the host does not resolve (" + ex.getMessage() + ")";
		}
		if (ex instanceof ConnectTimeoutException) {
			return "could not connect within " + this.settings.connectTimeout().toSeconds() + " s";
		}
		if (ex instanceof ConnectException) {
			return "could not connect (" + ex.getMessage() + ")";
		}
		if (ex instanceof SocketTimeoutException) {
			return "no answer within " + this.settings.readTimeout().toSeconds() + " s";
		}
		if (ex instanceof SSLException) {
			return "TLS failed (" + ex.getMessage() + ")";
		}
		return ex.getClass().getSimpleName() + ((ex.getMessage() != null) ? ": " + ex.getMessage() : "");
	}

	/** The answer's start as text, without control characters. */
	private static String text(byte[] bytes, int length) {
		return new String(bytes, 0, length, StandardCharsets.UTF_8).replaceAll("[\\p{Cc}&&[^\\n\\t]]", "").strip();
	}

	@Override
	public void destroy() throws IOException {
		this.deadlines.shutdownNow();
		this.client.close();
	}

}
