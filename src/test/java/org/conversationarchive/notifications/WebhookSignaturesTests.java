package org.conversationarchive.notifications;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deliveries are signed as Stripe signs webhooks, and verified as its receivers do.
 */
class WebhookSignaturesTests {

	private static final byte[] BODY = "{\"id\":\"e1\",\"event\":\"export.ready\"}".getBytes(StandardCharsets.UTF_8);

	@Test
	void theSignatureIsTheHmacOfTheTimeAndTheBody() {
		Instant at = Instant.ofEpochSecond(1_700_000_000);
		// echo -n '1700000000.{"id":"e1","event":"export.ready"}' | openssl dgst -sha256
		// -hmac whsec_test
		assertThat(WebhookSignatures.header(List.of("whsec_test"), at, BODY))
			.isEqualTo("t=1700000000,v1=bca1b41c532cd6a9c4b71cb98b78bec9b6e1b051661aa8c1a12ba30cebf941e4");
	}

	@Test
	void aReceiverAcceptsOnlyTheBodyItWasSignedForWithinFiveMinutes() {
		String secret = WebhookSignatures.newSecret();
		Instant at = Instant.now();
		String header = WebhookSignatures.header(List.of(secret), at, BODY);
		assertThat(WebhookSignatures.verify(secret, header, BODY, at.plusSeconds(299))).isTrue();
		assertThat(WebhookSignatures.verify(secret, header, BODY, at.plusSeconds(301))).isFalse();
		assertThat(WebhookSignatures.verify(secret, header, BODY, at.minusSeconds(301))).isFalse();
		assertThat(WebhookSignatures.verify(secret, header, "{}".getBytes(StandardCharsets.UTF_8), at)).isFalse();
		assertThat(WebhookSignatures.verify(WebhookSignatures.newSecret(), header, BODY, at)).isFalse();
		assertThat(WebhookSignatures.verify(secret, header.replace("t=", "t=1"), BODY, at)).isFalse();
		assertThat(WebhookSignatures.verify(secret, "v1=abc", BODY, at)).isFalse();
	}

	@Test
	void whileARotatedSecretIsValidBothSign() {
		String current = WebhookSignatures.newSecret();
		String previous = WebhookSignatures.newSecret();
		Instant at = Instant.now();
		String header = WebhookSignatures.header(List.of(current, previous), at, BODY);
		assertThat(header.split(",")).hasSize(3);
		assertThat(WebhookSignatures.verify(current, header, BODY, at)).isTrue();
		assertThat(WebhookSignatures.verify(previous, header, BODY, at)).isTrue();
	}

	@Test
	void secretsAreRandomAndRecognisable() {
		assertThat(WebhookSignatures.newSecret()).startsWith("whsec_")
			.hasSize(38)
			.isNotEqualTo(WebhookSignatures.newSecret());
	}

}
