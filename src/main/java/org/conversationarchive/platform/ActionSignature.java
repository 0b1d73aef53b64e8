package org.conversationarchive.platform;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

/**
 * Checks {@code X-Archive-Action-Signature: t=<unix seconds>,v1=<hex>}: an HMAC-SHA256,
 * keyed with the shared secret, of the seconds, a dot and the body as received. A
 * signature more than five minutes from this clock is refused, so a captured action
 * cannot be replayed later.
 */
final class ActionSignature {

	static final String HEADER = "X-Archive-Action-Signature";

	static final Duration TOLERANCE = Duration.ofMinutes(5);

	private final byte[] secret;

	ActionSignature(String secret) {
		this.secret = secret.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Why a request is not signed by the archive.
	 * @param header the header's value, or {@code null} when there is none
	 * @param body the body as received
	 * @param now this clock
	 * @return why, or {@code null} when one of its signatures is genuine and recent
	 */
	@Nullable String problem(@Nullable String header, byte[] body, Instant now) {
		if (header == null || header.isBlank()) {
			return "no " + HEADER + " header";
		}
		Long seconds = null;
		boolean signed = false;
		for (String part : header.split(",")) {
			String[] pair = part.trim().split("=", 2);
			if (pair.length == 2 && pair[0].equals("t")) {
				try {
					seconds = Long.parseLong(pair[1]);
				}
				catch (NumberFormatException ex) {
					return "t is not a number of seconds";
				}
			}
		}
		if (seconds == null) {
			return "the signature has no t";
		}
		if (Math.abs(now.getEpochSecond() - seconds) > TOLERANCE.toSeconds()) {
			return "the signature's time is more than " + TOLERANCE.toMinutes() + " minutes from this clock";
		}
		byte[] expected = HexFormat.of().formatHex(sign(seconds, body)).getBytes(StandardCharsets.US_ASCII);
		for (String part : header.split(",")) {
			String[] pair = part.trim().split("=", 2);
			// Every candidate is compared in full, in constant time.
			if (pair.length == 2 && pair[0].equals("v1")
					&& MessageDigest.isEqual(expected, pair[1].getBytes(StandardCharsets.US_ASCII))) {
				signed = true;
			}
		}
		return signed ? null : "no v1 signature matches the body";
	}

	private byte[] sign(long seconds, byte[] body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(this.secret, "HmacSHA256"));
			mac.update((seconds + ".").getBytes(StandardCharsets.US_ASCII));
			return mac.doFinal(body);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

}
