package org.conversationarchive.export;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * An export may wait out a failing Elasticsearch only well within the time after which
 * its job would be taken for dead.
 */
class ExportSettingsTests {

	@Test
	void theDefaultsFit() {
		assertThatNoException()
			.isThrownBy(() -> recovery(Duration.ofMinutes(1)).requireRecoveryWithin(Duration.ofMinutes(2)));
	}

	@Test
	void aRecoveryOfMoreThanHalfOfStaleAfterFailsTheStartNamingBoth() {
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> recovery(Duration.ofSeconds(61)).requireRecoveryWithin(Duration.ofMinutes(2)))
			.satisfies((ex) -> {
				assertThat(ex.getName()).isEqualTo("archive.exports.recovery");
				assertThat(ex.getReason()).contains("at most half of ARCHIVE_JOBS_STALE_AFTER (PT2M)");
			});
	}

	private static ExportSettings recovery(Duration recovery) {
		return new ExportSettings(5000, Duration.ofMinutes(30), Duration.ofHours(24), Path.of("batch-jobs/schedules"),
				null, 2, recovery);
	}

}
