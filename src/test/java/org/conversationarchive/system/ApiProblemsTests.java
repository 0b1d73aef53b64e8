package org.conversationarchive.system;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which failures of Elasticsearch are worth a retry (503 with Retry-After) and which are
 * this service's fault (500): one rule, the one bulk lines are reported by.
 */
@ExtendWith(OutputCaptureExtension.class)
class ApiProblemsTests {

	private final ApiProblems problems = new ApiProblems();

	@Test
	void elasticsearchAwayOrOverloadedIsA503ToRetry() {
		for (Exception failure : new Exception[] { new IOException("connection refused"), refused(429), refused(503),
				new StorageUnavailableException("down", null) }) {
			ResponseEntity<ProblemDetail> answer = this.problems.storage(failure);
			assertThat(answer.getStatusCode().value()).as(failure.toString()).isEqualTo(503);
			assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER))
				.isEqualTo(ApiProblems.RETRY_AFTER_SECONDS);
			assertThat(StorageUnavailableException.isUnavailability(failure)).isTrue();
		}
	}

	@Test
	void aRequestElasticsearchRefusesIsA500WithoutItsInternals() {
		ElasticsearchException refused = refused(400);
		ResponseEntity<ProblemDetail> answer = this.problems.storage(refused);
		assertThat(answer.getStatusCode().value()).isEqualTo(500);
		assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNull();
		assertThat(answer.getBody().getDetail()).doesNotContain("parsing_exception");
		assertThat(StorageUnavailableException.isUnavailability(refused)).isFalse();
	}

	@Test
	void anUnexpectedErrorIsA500WithAReferenceTheLogHolds(CapturedOutput log) {
		ResponseEntity<ProblemDetail> answer = this.problems
			.unexpected(new IllegalStateException("Cannot invoke \"org.conversationarchive.Secret.x()\""));
		assertThat(answer.getStatusCode().value()).isEqualTo(500);
		String reference = (String) answer.getBody().getProperties().get("reference");
		assertThat(reference).matches("[0-9a-f-]{36}");
		assertThat(answer.getBody().getDetail()).contains(reference).doesNotContain("org.conversationarchive");
		assertThat(log.getAll()).contains("(reference " + reference + ")").contains("java.lang.IllegalStateException");
		ResponseEntity<ProblemDetail> refused = this.problems.storage(refused(400));
		assertThat(log.getAll()).contains("(reference " + refused.getBody().getProperties().get("reference") + ")");
	}

	@Test
	void badJsonIsDescribedInWordsNamingTheFieldNeverInJavaTypes() {
		JsonMapper json = JsonCoercion.refuse(JsonMapper.builder()).build();
		Map<String, String> expected = new LinkedHashMap<>();
		expected.put("{\"id\": 123}", "id: 123 is not a string");
		expected.put("{\"parameters\": {\"a\": 1}}", "parameters.a: 1 is not a string");
		expected.put("{\"parameters\": {\"a\": true}}", "parameters.a: true is not a string");
		expected.put("{\"count\": 2024.5}", "count: 2024.5 is not a whole number");
		expected.put("{\"count\": \"7\"}", "count: expected a whole number");
		expected.put("{\"count\": \"\"}", "count: '' is not a whole number");
		expected.put("{\"flagged\": \"true\"}", "flagged: expected true or false");
		expected.put("{\"flagged\": 1}", "flagged: 1 is not true or false");
		expected.put("{\"score\": \"0.5\"}", "score: expected a number");
		expected.put("{\"tags\": \"a\"}", "tags: expected an array");
		expected.put("{\"nested\": \"a\"}", "nested: expected an object");
		expected.put("{\"nested\": {\"id\": [1]}}", "nested.id: expected a string");
		expected.put("{\"tags\": [\"a\", {}]}", "tags[1]: expected a string");
		expected.put("{\"id\": ", "malformed JSON");
		expected.put("{\"id\": \"a\" \"b\"}", "malformed JSON");
		expected.put("{\"score\": NaN}", "malformed JSON: Non-standard token 'NaN' (at column");
		expected.put("{\"count\": 1" + "0".repeat(1200) + "}",
				"a number has more than the 1000 digits the service reads");
		expected.put("{\"other\": " + "[".repeat(1500) + "]".repeat(1500) + "}",
				"the JSON nests deeper than the 500 levels the service reads");
		expected.put("{\"count\": 99999999999}",
				"count: out of range; expected a whole number from -2147483648 to 2147483647");
		expected.put("{\"count\": -2147483649}",
				"count: out of range; expected a whole number from -2147483648 to 2147483647");
		expected.put("{\"size\": 99999999999999999999}",
				"size: out of range; expected a whole number from -9223372036854775808 to 9223372036854775807");
		expected.put("{\"nested\": {\"count\": 2147483648}}",
				"nested.count: out of range; expected a whole number from -2147483648 to 2147483647");
		expected.put("{\"counts\": [1, 99999999999]}",
				"counts[1]: out of range; expected a whole number from -2147483648 to 2147483647");
		for (Map.Entry<String, String> bad : expected.entrySet()) {
			String detail = describe(json, bad.getKey());
			assertThat(detail).as(bad.getKey())
				.startsWith(bad.getValue())
				.doesNotContain("`", "java.", "tools.jackson", "org.conversationarchive", "Bad$", "Nested", "[Source");
		}
	}

	record Bad(String id, Map<String, String> parameters, Integer count, Long size, Boolean flagged, Double score,
			java.util.List<String> tags, java.util.List<Integer> counts, Nested nested) {
	}

	record Nested(String id, Integer count) {
	}

	private static String describe(JsonMapper json, String body) {
		try {
			json.readValue(body, Bad.class);
			throw new AssertionError("read " + body);
		}
		catch (JacksonException ex) {
			return JsonProblems.describe(ex);
		}
	}

	private static ElasticsearchException refused(int status) {
		return new ElasticsearchException("search", ErrorResponse
			.of((error) -> error.status(status).error((cause) -> cause.type("parsing_exception").reason("bad"))));
	}

}
