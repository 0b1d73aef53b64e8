package org.conversationarchive;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * The service as a newcomer first meets it: healthy, and an empty archive answers an
 * empty page.
 */
@ArchiveIntegrationTest(properties = "archive.elasticsearch.index-prefix=empty-archive")
class ArchiveApplicationIntegrationTests {

	@Autowired
	RestTestClient http;

	@Test
	void healthIsUpWithElasticsearch() {
		this.http.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP");
	}

	@Test
	void emptyArchiveAnswersAnEmptyPage() {
		this.http.get()
			.uri("/api/v1/conversations")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.total")
			.isEqualTo(0)
			.jsonPath("$.items")
			.isEmpty()
			.jsonPath("$.nextCursor")
			.doesNotExist();
	}

}
