package org.conversationarchive.notifications;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retries back off exponentially, up to a ceiling.
 */
class WebhookSettingsTests {

	@Test
	void eachWaitIsTwiceTheOneBeforeUpToTheLongest() {
		WebhookSettings settings = new WebhookSettings(Duration.ofSeconds(5), Duration.ofSeconds(10), 10,
				Duration.ofSeconds(30), Duration.ofHours(2), Duration.ofSeconds(10), 32, false, Duration.ofHours(24),
				Duration.ofDays(30));
		assertThat(settings.backoffAfter(1)).isEqualTo(Duration.ofSeconds(30));
		assertThat(settings.backoffAfter(2)).isEqualTo(Duration.ofMinutes(1));
		assertThat(settings.backoffAfter(3)).isEqualTo(Duration.ofMinutes(2));
		assertThat(settings.backoffAfter(8)).isEqualTo(Duration.ofMinutes(64));
		assertThat(settings.backoffAfter(9)).isEqualTo(Duration.ofHours(2));
		assertThat(settings.backoffAfter(1000)).isEqualTo(Duration.ofHours(2));
		// Longer than any attempt (connect and read timeouts together).
		assertThat(settings.lease()).isGreaterThan(Duration.ofSeconds(15));
		assertThat(settings.perEndpoint()).isEqualTo(8);
	}

}
