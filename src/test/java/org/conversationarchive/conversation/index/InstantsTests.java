package org.conversationarchive.conversation.index;

import java.time.Instant;
import java.time.OffsetDateTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class InstantsTests {

	final JsonMapper json = JsonMapper.builder()
		.addModule(new SimpleModule().addDeserializer(Instant.class, new Instants()))
		.build();

	@ParameterizedTest
	@ValueSource(strings = { "2025-03-01T10:15:30Z", "2025-03-01T10:15:30.1Z", "2025-03-01T10:15:30.123456789Z",
			"2025-03-01T10:15:30+02:00", "2025-03-01T10:15:30.5-05:30", "2024-02-29T23:59:59Z",
			"1970-01-01T00:00:00Z" })
	void readsWhatIsoReads(String text) {
		assertThat(Instants.parse(text)).isEqualTo(OffsetDateTime.parse(text).toInstant());
		assertThat(this.json.readValue("\"" + text + "\"", Instant.class))
			.isEqualTo(OffsetDateTime.parse(text).toInstant());
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "2025-02-30T10:15:30Z", "2025-13-01T10:15:30Z", "2025-03-01T24:00:00Z", "2025-03-01 10:15:30",
					"yesterday", "2025-03-01T10:15:30", "2025-03-01T10:15:30.Z", "2025-03-01T10:15:30+0200" })
	void leavesOtherFormsToJackson(String text) {
		assertThat(Instants.parse(text)).isNull();
	}

	@Test
	void badInstantsFailAsJacksonDoes() {
		assertThatExceptionOfType(InvalidFormatException.class)
			.isThrownBy(() -> this.json.readValue("\"yesterday\"", Instant.class));
	}

}
