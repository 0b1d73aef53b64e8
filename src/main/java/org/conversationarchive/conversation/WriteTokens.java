package org.conversationarchive.conversation;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Tokens that tell one write from every other ({@code writeToken} of
 * {@link ConversationDocument}): 128 random bits, so that no two writes of any instance
 * ever share one.
 */
final class WriteTokens {

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private WriteTokens() {
	}

	/**
	 * A new token.
	 * @return 22 URL-safe characters
	 */
	static String next() {
		byte[] bytes = new byte[16];
		RANDOM.nextBytes(bytes);
		return ENCODER.encodeToString(bytes);
	}

}
