package org.conversationarchive.web;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Durations read in their two largest units.
 */
class FormatsTests {

	private final Formats formats = new Formats(JsonMapper.builder().build());

	@Test
	void offsetsReadAsPlayersShowThem() {
		assertThat(this.formats.offset(0)).isEqualTo("0:00");
		assertThat(this.formats.offset(30.9)).isEqualTo("0:30");
		assertThat(this.formats.offset(760)).isEqualTo("12:40");
		assertThat(this.formats.offset(3723)).isEqualTo("1:02:03");
		assertThat(this.formats.offset(null)).isEmpty();
		assertThat(this.formats.language("es")).isEqualTo("Spanish");
	}

	@Test
	void durationsReadInTheirTwoLargestUnits() {
		assertThat(this.formats.duration(null)).isEmpty();
		assertThat(this.formats.duration(0)).isEqualTo("0s");
		assertThat(this.formats.duration(59.4)).isEqualTo("59s");
		assertThat(this.formats.duration(300)).isEqualTo("5m 0s");
		assertThat(this.formats.duration(3599)).isEqualTo("59m 59s");
		assertThat(this.formats.duration(3600)).isEqualTo("1h 0m");
		assertThat(this.formats.duration(86_399)).isEqualTo("23h 59m");
		assertThat(this.formats.duration(86_400)).isEqualTo("1d 0h");
		// 211h 6m, as a long email thread read before.
		assertThat(this.formats.duration(211 * 3600 + 6 * 60)).isEqualTo("8d 19h");
	}

	@Test
	void strongBadEmotionsAreNotShownAsGood() {
		assertThat(this.formats.optimum("anger")).isZero();
		assertThat(this.formats.optimum(" Frustration ")).isZero();
		assertThat(this.formats.optimum("gratitude")).isEqualTo(1);
		assertThat(this.formats.optimum("neutral")).isEqualTo(0.5);
		assertThat(this.formats.optimum(null)).isEqualTo(0.5);
	}

}
