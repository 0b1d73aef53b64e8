package org.conversationarchive.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The archive's side of the gateway, as the contract describes it and written here
 * independently of the platform: signed actions POSTed to a platform's endpoint.
 */
final class Actions {

	private final HttpClient http = HttpClient.newHttpClient();

	private final String url;

	private final String secret;

	Actions(String url, String secret) {
		this.url = url;
		this.secret = secret;
	}

	/**
	 * An action's JSON.
	 * @param fields the fields its type needs, e.g. {@code "to": "+14155550123"}, or ""
	 */
	static String action(String actionId, String conversationId, String type, String fields) {
		return "{\"actionId\": \"" + actionId + "\", \"conversationId\": \"" + conversationId
				+ "\", \"org\": \"acme\", \"type\": \"" + type + "\"" + (fields.isEmpty() ? "" : ", " + fields)
				+ ", \"requestedBy\": \"mia\", \"requestedAt\": \"" + Instant.now() + "\", \"later\": {\"field\": 1}}";
	}

	/**
	 * Sends an action of a new id, signed now.
	 */
	HttpResponse<String> send(String conversationId, String type, String fields) {
		String id = UUID.randomUUID().toString();
		return send(id, action(id, conversationId, type, fields));
	}

	HttpResponse<String> send(String key, String body) {
		return sendSigned(key, body, signature(this.secret, Instant.now().getEpochSecond(), body));
	}

	HttpResponse<String> sendSigned(String key, String body, String signature) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.url))
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", key)
			.header("X-Archive-Action-Attempt", "1")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (!signature.isEmpty()) {
			request.header("X-Archive-Action-Signature", signature);
		}
		try {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * {@code t=<seconds>,v1=<hex HMAC-SHA256 of "<seconds>.<body>">}.
	 */
	static String signature(String secret, long seconds, String body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return "t=" + seconds + ",v1="
					+ HexFormat.of().formatHex(mac.doFinal((seconds + "." + body).getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
