package org.conversationarchive.notifications;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a delivery, as Stripe signs its webhooks: the header
 * {@code X-Archive-Signature: t=<unix seconds>,v1=<hex>}, where the hex is HMAC-SHA256,
 * keyed with the endpoint's secret (its UTF-8 text, {@code whsec_…} whole), of the
 * seconds, a dot and the request body exactly as received. While a rotated secret is
 * still valid, a second {@code v1=} carries its signature. A receiver computes the HMAC
 * itself, compares it in constant time with each {@code v1}, and refuses a timestamp more
 * than five minutes from its own clock, so that a captured request cannot be replayed
 * later. A retry is signed anew with its own time.
 */
public final class WebhookSignatures {

	static final String HEADER = "X-Archive-Signature";

	/** How far from now a receiver should accept a signature's time. */
	static final Duration TOLERANCE = Duration.ofMinutes(5);

	private static final SecureRandom random = new SecureRandom();

	private WebhookSignatures() {
	}

	/**
	 * A new endpoint secret: 192 random bits.
	 * @return {@code whsec_} and the bits in base64url
	 */
	static String newSecret() {
		byte[] bytes = new byte[24];
		random.nextBytes(bytes);
		return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/**
	 * The signature header's value.
	 * @param secrets the secrets to sign with, the current one first
	 * @param at the time of the attempt
	 * @param body the body, as sent
	 * @return {@code t=…,v1=…[,v1=…]}
	 */
	public static String header(List<String> secrets, Instant at, byte[] body) {
		StringBuilder header = new StringBuilder("t=").append(at.getEpochSecond());
		for (String secret : secrets) {
			header.append(",v1=").append(hmac(secret, at.getEpochSecond(), body));
		}
		return header.toString();
	}

	/**
	 * What a receiver does: whether a header signs a body with a secret, within the
	 * tolerance of now.
	 * @param secret the endpoint's secret
	 * @param header the signature header
	 * @param body the body as received
	 * @param now the receiver's time
	 * @return whether it is genuine and recent
	 */
	public static boolean verify(String secret, String header, byte[] body, Instant now) {
		Long seconds = null;
		for (String part : header.split(",")) {
			if (part.startsWith("t=")) {
				try {
					seconds = Long.parseLong(part.substring(2));
				}
				catch (NumberFormatException ex) {
					return false;
				}
			}
		}
		if (seconds == null || Math.abs(now.getEpochSecond() - seconds) > TOLERANCE.toSeconds()) {
			return false;
		}
		byte[] expected = hmac(secret, seconds, body).getBytes(StandardCharsets.US_ASCII);
		for (String part : header.split(",")) {
			if (part.startsWith("v1=")
					&& MessageDigest.isEqual(expected, part.substring(3).getBytes(StandardCharsets.US_ASCII))) {
				return true;
			}
		}
		return false;
	}

	private static String hmac(String secret, long seconds, byte[] body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			mac.update((seconds + ".").getBytes(StandardCharsets.US_ASCII));
			return HexFormat.of().formatHex(mac.doFinal(body));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is part of every JDK", ex);
		}
	}

}
