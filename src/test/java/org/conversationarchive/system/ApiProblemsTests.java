package org.conversationarchive.system;

import java.io.IOException;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorResponse;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which failures of Elasticsearch are worth a retry (503 with Retry-After) and which are
 * this service's fault (500): one rule, the one bulk lines are reported by.
 */
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

	private static ElasticsearchException refused(int status) {
		return new ElasticsearchException("search", ErrorResponse
			.of((error) -> error.status(status).error((cause) -> cause.type("parsing_exception").reason("bad"))));
	}

}
