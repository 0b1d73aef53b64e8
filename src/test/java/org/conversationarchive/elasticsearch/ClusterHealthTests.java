package org.conversationarchive.elasticsearch;

import java.io.IOException;
import java.io.StringReader;
import java.net.ConnectException;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.cluster.ElasticsearchClusterClient;
import co.elastic.clients.elasticsearch.cluster.HealthResponse;
import co.elastic.clients.json.JsonpMapper;
import co.elastic.clients.json.jackson.Jackson3JsonpMapper;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * The cluster's colour as the archive's health: green up, yellow degraded (still
 * serving), red or silent down. The green case runs on the real engine in
 * {@code ClusterHealthIntegrationTests}.
 */
class ClusterHealthTests {

	final ElasticsearchClient client = mock();

	final ElasticsearchClusterClient cluster = mock();

	@Test
	void aYellowClusterIsDegradedWithItsUnassignedShards() throws IOException {
		answer("yellow", 3, 2);

		Health health = new ClusterHealth(this.client).health();

		assertThat(health.getStatus()).isEqualTo(ClusterHealth.DEGRADED);
		assertThat(health.getStatus().getDescription()).isEqualTo("some replica shards are unassigned");
		assertThat(health.getDetails()).containsEntry("status", "yellow")
			.containsEntry("nodes", 3)
			.containsEntry("unassignedShards", 2)
			.containsEntry("cluster", "archive-test");
	}

	@Test
	void aRedClusterIsDown() throws IOException {
		answer("red", 2, 5);

		Health health = new ClusterHealth(this.client).health();

		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getStatus().getDescription()).isEqualTo("some primary shards are unassigned");
		assertThat(health.getDetails()).containsEntry("status", "red").containsEntry("unassignedShards", 5);
	}

	@Test
	void aClusterThatDoesNotAnswerIsDown() throws IOException {
		given(this.client.cluster()).willReturn(this.cluster);
		given(this.cluster.health()).willThrow(new ConnectException("Connection refused"));

		Health health = new ClusterHealth(this.client).health();

		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getStatus().getDescription()).isEqualTo("not reachable");
		assertThat(health.getDetails().get("error").toString()).contains("Connection refused");
	}

	private void answer(String status, int nodes, int unassigned) throws IOException {
		JsonpMapper mapper = new Jackson3JsonpMapper();
		String json = """
				{"cluster_name":"archive-test","status":"%s","timed_out":false,"number_of_nodes":%d,
				 "number_of_data_nodes":%d,"active_primary_shards":10,"active_shards":15,"relocating_shards":0,
				 "initializing_shards":0,"unassigned_shards":%d,"unassigned_primary_shards":0,
				 "delayed_unassigned_shards":0,"number_of_pending_tasks":0,"number_of_in_flight_fetch":0,
				 "task_max_waiting_in_queue_millis":0,"active_shards_percent_as_number":88.2}
				""".formatted(status, nodes, nodes, unassigned);
		HealthResponse response = HealthResponse._DESERIALIZER
			.deserialize(mapper.jsonProvider().createParser(new StringReader(json)), mapper);
		given(this.client.cluster()).willReturn(this.cluster);
		given(this.cluster.health()).willReturn(response);
	}

}
