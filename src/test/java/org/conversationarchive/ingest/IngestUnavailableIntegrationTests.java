package org.conversationarchive.ingest;

import java.net.URI;

import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.TcpProxy;
import org.conversationarchive.TestElasticsearch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * With Elasticsearch out of reach, writes are refused with {@code 503} and
 * {@code Retry-After}: never acknowledged, never silently dropped.
 */
@ArchiveIntegrationTest(properties = "archive.elasticsearch.index-prefix=unavailable")
class IngestUnavailableIntegrationTests {

	static final TcpProxy proxy = new TcpProxy(URI.create(TestElasticsearch.uri()));

	@DynamicPropertySource
	static void throughProxy(DynamicPropertyRegistry registry) {
		registry.add("spring.elasticsearch.uris", proxy::uri);
	}

	@AfterAll
	static void closeProxy() {
		proxy.close();
	}

	@Autowired
	RestTestClient http;

	@Test
	void writesAreRefusedWithRetryAfter() {
		proxy.close();
		String conversation = IngestIntegrationTests.conversation("down-1", "2025-01-01T00:00:00Z", null, null);

		this.http.post()
			.uri("/api/v1/conversations")
			.contentType(MediaType.APPLICATION_JSON)
			.body(conversation)
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.valueEquals("Retry-After", "5")
			.expectBody()
			.jsonPath("$.title")
			.isEqualTo("Storage unavailable");

		this.http.post()
			.uri("/api/v1/conversations/_bulk")
			.contentType(IngestIntegrationTests.NDJSON)
			.body(conversation + "\n")
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.exists("Retry-After");

		this.http.post()
			.uri("/api/v1/conversations/down-1/messages")
			.contentType(MediaType.APPLICATION_JSON)
			.body("[]")
			.exchange()
			.expectStatus()
			.isEqualTo(503);
	}

}
