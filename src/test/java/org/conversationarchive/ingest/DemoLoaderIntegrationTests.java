package org.conversationarchive.ingest;

import java.time.Duration;

import org.conversationarchive.ArchiveIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An empty archive with demo data on fills itself with generated conversations once, in
 * the background.
 */
@ArchiveIntegrationTest(properties = { "archive.elasticsearch.index-prefix=demo-test", "archive.demo.enabled=true",
		"archive.demo.conversations=120" })
class DemoLoaderIntegrationTests {

	@Autowired
	RestTestClient http;

	@Autowired
	DemoLoader loader;

	@Test
	void anEmptyArchiveGetsTheDemoConversationsOnce() throws Exception {
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(500))
			.untilAsserted(() -> this.http.get()
				.uri("/api/v1/conversations?size=1")
				.exchange()
				.expectBody()
				.jsonPath("$.total")
				.isEqualTo(120));
		assertThat(this.loader.load()).isZero();
		this.http.get()
			.uri("/api/v1/conversations?size=1&q=refund OR order OR password")
			.exchange()
			.expectBody()
			.jsonPath("$.items[0].highlights[0].fragments[0]")
			.value(String.class, (fragment) -> assertThat(fragment).contains("<mark>"));
	}

}
