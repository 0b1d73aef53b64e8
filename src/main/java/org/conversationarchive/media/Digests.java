package org.conversationarchive.media;

import java.util.Base64;
import java.util.HexFormat;

/**
 * The checksum of a stored file as response headers: the strong {@code ETag} (so a
 * player's conditional and repeated requests are cheap) and {@code Repr-Digest} (RFC
 * 9530), which is about the whole file even on a {@code 206}.
 */
final class Digests {

	static final String REPR_DIGEST = "Repr-Digest";

	private Digests() {
	}

	static String reprDigest(String sha256Hex) {
		return "sha-256=:" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256Hex)) + ":";
	}

}
