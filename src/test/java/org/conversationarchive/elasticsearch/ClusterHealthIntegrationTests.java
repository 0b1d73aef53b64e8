package org.conversationarchive.elasticsearch;

import java.io.IOException;
import java.util.UUID;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.HealthStatus;
import org.conversationarchive.ArchiveIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cluster's colour in {@code /actuator/health} on the real engine: the single test
 * node is green with the archive's indices (replicas {@code 0-1}), and an index that
 * wants a replica no second node can hold makes it yellow, which the archive reports as
 * {@code DEGRADED} while still answering 200.
 */
@ArchiveIntegrationTest
class ClusterHealthIntegrationTests {

	@Autowired
	RestTestClient http;

	@Autowired
	ElasticsearchClient client;

	@Test
	void greenIsUpAndYellowIsDegradedButServing() throws IOException {
		assertThat(this.client.cluster()
			.health((health) -> health.waitForStatus(HealthStatus.Green).timeout((t) -> t.time("30s")))
			.status()).as("the shared test engine is green").isEqualTo(HealthStatus.Green);
		this.http.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP")
			.jsonPath("$.components.elasticsearch.status")
			.isEqualTo("UP")
			.jsonPath("$.components.elasticsearch.details.status")
			.isEqualTo("green")
			.jsonPath("$.components.elasticsearch.details.nodes")
			.isEqualTo(1)
			.jsonPath("$.components.elasticsearch.details.unassignedShards")
			.isEqualTo(0);

		String unreplicable = "health-" + UUID.randomUUID();
		this.client.indices()
			.create((create) -> create.index(unreplicable)
				.settings((settings) -> settings.numberOfShards("1").numberOfReplicas("1")));
		try {
			this.client.cluster()
				.health((health) -> health.index(unreplicable)
					.waitForStatus(HealthStatus.Yellow)
					.timeout((t) -> t.time("30s")));
			this.http.get()
				.uri("/actuator/health")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("DEGRADED")
				.jsonPath("$.components.elasticsearch.status")
				.isEqualTo("DEGRADED")
				.jsonPath("$.components.elasticsearch.description")
				.isEqualTo("some replica shards are unassigned")
				.jsonPath("$.components.elasticsearch.details.status")
				.isEqualTo("yellow")
				.jsonPath("$.components.elasticsearch.details.unassignedShards")
				.isEqualTo(1);
		}
		finally {
			this.client.indices().delete((delete) -> delete.index(unreplicable));
		}
	}

}
