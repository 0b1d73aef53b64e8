package org.conversationarchive;

import java.net.URI;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * {@code /actuator/health} is UP only while Elasticsearch answers: the service reaches
 * the shared engine through a proxy that the test cuts.
 */
@ArchiveIntegrationTest
class HealthIntegrationTests {

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
	void healthFollowsElasticsearch() {
		this.http.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP");

		proxy.close();

		this.http.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("DOWN");
	}

}
