package org.conversationarchive.search;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.conversationarchive.conversation.Direction;
import org.conversationarchive.conversation.Environment;
import org.conversationarchive.conversation.FlagSource;
import org.conversationarchive.conversation.Platform;
import org.conversationarchive.conversation.SenderType;
import org.conversationarchive.conversation.Status;
import org.conversationarchive.search.Filter.Pair;
import org.conversationarchive.system.InvalidInputException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class FilterParametersTests {

	@Test
	void everyFieldOfAFilterComesBackFromItsParameters() {
		Filter filter = new Filter(List.of("c1", "c2"), List.of(Status.FAILED, Status.COMPLETED),
				Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2025-02-01T00:00:00Z"), List.of(Platform.VOICE),
				List.of("billing"), List.of(Direction.INBOUND), List.of(Environment.PRODUCTION), true,
				new Filter.RepeatContacts(2, 5), List.of("contact-1"),
				new Filter.Content("refund \"double charge\"", SenderType.USER), List.of("issue_refund"),
				new Filter.Tags(Filter.TagMatch.ANY, List.of(new Pair("Call Reason", "billing"))),
				List.of(new Pair("account", "*")), List.of("ava"), false,
				List.of(FlagSource.RULE, FlagSource.REVIEW_AGENT),
				List.of(new Filter.EmotionScore("anger", 0.6), new Filter.EmotionScore("joy", 1.0)),
				new Filter.Signals(new Filter.Bounds(10L, null), new Filter.Bounds(null, 30L), true,
						List.of("issue_refund", "lookup"), false, new Filter.Bounds(2L, 3L)))
			.validated();
		assertThat(FilterParameters.parse(FilterParameters.of(filter))).isEqualTo(filter);
		assertThat(FilterParameters.of(filter).get("tag")).containsExactly("Call Reason:billing");
		assertThat(FilterParameters.of(filter).get("flagSource")).containsExactly("rule", "review_agent");
		assertThat(FilterParameters.of(filter).get("emotion")).containsExactly("anger:0.6", "joy:1.0");
		assertThat(FilterParameters.of(filter).toSingleValueMap()).containsEntry("turnsMin", "10")
			.containsEntry("silenceMax", "30")
			.containsEntry("functionFailed", "true")
			.containsEntry("customerRepeated", "false")
			.containsEntry("dailyRankMin", "2")
			.containsEntry("dailyRankMax", "3")
			.doesNotContainKeys("turnsMax", "silenceMin");
	}

	@Test
	void signalsAreReadFromTheirParametersAndTheirJson() {
		Filter parsed = FilterParameters.parse(parameters("turnsMin", "12", "failedFunction", "lookup",
				"customerRepeated", "true", "dailyRankMin", "2"));
		Filter read = Filter.read(JsonMapper.builder().build(),
				("{\"signals\": {\"turns\": {\"min\": 12}, "
						+ "\"failedFunctions\": [\"lookup\"], \"customerRepeated\": true, "
						+ "\"contactDailyRank\": {\"min\": 2}}}")
					.getBytes(StandardCharsets.UTF_8));
		assertThat(parsed).isEqualTo(read);
		assertThat(parsed.signals().turns()).isEqualTo(new Filter.Bounds(12L, null));
		assertThat(FilterParameters.parse(parameters("turnsMin", "")).signals()).isNull();
		// Signals with no part given are no filter: a rule of them alone is refused as
		// empty.
		assertThat(Filter.read(JsonMapper.builder().build(),
				"{\"signals\": {\"turns\": {}, \"failedFunctions\": []}}".getBytes(StandardCharsets.UTF_8)))
			.isEqualTo(Filter.ALL);
	}

	@Test
	void badSignalsAreRefusedNamingTheParameter() {
		assertRefused(parameters("turnsMin", "many"), "parameter turnsMin: 'many' is not a whole number");
		assertRefused(parameters("silenceMax", "-1"), "parameter silenceMax: -1 is negative");
		assertRefused(parameters("dailyRankMin", "3", "dailyRankMax", "2"),
				"parameter dailyRankMin: 3 is greater than parameter dailyRankMax: 2");
		assertRefused(parameters("functionFailed", "yes"), "parameter functionFailed: 'yes' is not true or false");
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> Filter.read(JsonMapper.builder().build(),
					"{\"signals\": {\"turns\": {\"min\": -2}}}".getBytes(StandardCharsets.UTF_8)))
			.withMessage("parameter turnsMin: -2 is negative");
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> Filter.read(JsonMapper.builder().build(),
					"{\"signals\": {\"turn\": {\"min\": 2}}}".getBytes(StandardCharsets.UTF_8)))
			.withMessageContaining("turn");
	}

	@Test
	void partsLeftOutAreNotParameters() {
		assertThat(FilterParameters.of(Filter.ALL)).isEmpty();
		Filter repeat = new Filter(null, null, null, null, null, null, null, null, null,
				new Filter.RepeatContacts(3, null), null, null, null, null, null, null, null, null, null, null);
		assertThat(FilterParameters.of(repeat).toSingleValueMap()).containsOnlyKeys("repeatMin");
		assertThat(FilterParameters.parse(FilterParameters.of(repeat))).isEqualTo(repeat.validated());
	}

	@Test
	void flagSourcesAndEmotionsAreRepeatableAndEveryEmotionMustHold() {
		Filter filter = FilterParameters.parse(parameters("flagSource", "rule", "flagSource", "user", "emotion",
				"anger:0.6", "emotion", " joy : 1 ", "emotion", "mood:odd:0"));
		assertThat(filter.flagSources()).containsExactly(FlagSource.RULE, FlagSource.USER);
		assertThat(filter.emotions()).containsExactly(new Filter.EmotionScore("anger", 0.6),
				new Filter.EmotionScore("joy", 1.0), new Filter.EmotionScore("mood:odd", 0.0));
		assertThat(FilterParameters.parse(parameters("emotion", " ")).emotions()).isNull();
	}

	@Test
	void badFlagSourcesAndEmotionsAreRefusedNamingTheParameter() {
		assertRefused(parameters("flagSource", "robot"),
				"parameter flagSource: unknown flagSource 'robot'; expected one of review_agent, rule, user");
		assertRefused(parameters("emotion", "anger"),
				"parameter emotion: 'anger' is not emotion:min (e.g. anger:0.6, a score from 0 to 1)");
		assertRefused(parameters("emotion", ":0.5"), "parameter emotion: ':0.5' is not emotion:min");
		assertRefused(parameters("emotion", "anger:"), "parameter emotion: 'anger:' is not emotion:min");
		assertRefused(parameters("emotion", "anger:high"),
				"parameter emotion: 'high' in 'anger:high' is not a score (a number from 0 to 1)");
		assertRefused(parameters("emotion", "anger:NaN"), "parameter emotion: 'NaN' in 'anger:NaN' is not a score");
		assertRefused(parameters("emotion", "anger:1.5"),
				"parameter emotion: the least score of 'anger', 1.5, is not between 0 and 1");
		assertRefused(parameters("emotion", "anger:-0.1"), "parameter emotion: the least score of 'anger', -0.1");
	}

	@Test
	void theJsonFormOfEmotionsIsCheckedAsTheParameterIs() {
		JsonMapper json = JsonMapper.builder().build();
		Filter read = Filter.read(json,
				"{\"flagSources\": [\"review_agent\"], \"emotions\": [{\"emotion\": \"anger\", \"min\": 0.6}]}"
					.getBytes(StandardCharsets.UTF_8));
		assertThat(read.flagSources()).containsExactly(FlagSource.REVIEW_AGENT);
		assertThat(read.emotions()).containsExactly(new Filter.EmotionScore("anger", 0.6));
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(
				() -> Filter.read(json, "{\"emotions\": [{\"emotion\": \"anger\"}]}".getBytes(StandardCharsets.UTF_8)))
			.withMessage("parameter emotion: each needs an emotion and a least score (emotion:min, e.g. anger:0.6)");
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> Filter.read(json,
					"{\"emotions\": [{\"emotion\": \"anger\", \"min\": 2}]}".getBytes(StandardCharsets.UTF_8)))
			.withMessage("parameter emotion: the least score of 'anger', 2.0, is not between 0 and 1");
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> Filter.read(json,
					"{\"emotions\": [{\"emotion\": \"anger\", \"max\": 1}]}".getBytes(StandardCharsets.UTF_8)))
			.withMessageContaining("max");
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> Filter.read(json, "{\"emotions\": \"anger:0.6\"}".getBytes(StandardCharsets.UTF_8)))
			.withMessageContaining("emotions");
	}

	private static void assertRefused(MultiValueMap<String, String> parameters, String message) {
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> FilterParameters.parse(parameters))
			.withMessageStartingWith(message);
	}

	private static MultiValueMap<String, String> parameters(String... namesAndValues) {
		MultiValueMap<String, String> parameters = new LinkedMultiValueMap<>();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			parameters.add(namesAndValues[i], namesAndValues[i + 1]);
		}
		return parameters;
	}

}
