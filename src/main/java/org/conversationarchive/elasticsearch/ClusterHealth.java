package org.conversationarchive.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.cluster.HealthResponse;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The cluster in {@code /actuator/health} (as {@code elasticsearch}, in place of Spring
 * Boot's, which calls a yellow cluster up): green is {@code UP}; yellow, some replica
 * unassigned, is {@code DEGRADED}, still answering 200 (every document can be read and
 * written, one node more lost may lose some); red, some primary unassigned, or no answer
 * is {@code DOWN}. The status order and its HTTP code are in {@code application.yaml}.
 * The details (nodes, unassigned shards) show to system admins.
 */
class ClusterHealth implements HealthIndicator {

	/**
	 * Between {@code UP} and {@code DOWN}: serving, with less redundancy than wanted.
	 */
	static final Status DEGRADED = new Status("DEGRADED");

	private final ElasticsearchClient client;

	ClusterHealth(ElasticsearchClient client) {
		this.client = client;
	}

	@Override
	public Health health() {
		HealthResponse cluster;
		try {
			cluster = this.client.cluster().health();
		}
		catch (Exception ex) {
			return Health.status(new Status(Status.DOWN.getCode(), "not reachable")).withException(ex).build();
		}
		Health.Builder health = switch (cluster.status()) {
			case Green -> Health.up();
			case Yellow -> Health.status(new Status(DEGRADED.getCode(), "some replica shards are unassigned"));
			case Red -> Health.status(new Status(Status.DOWN.getCode(), "some primary shards are unassigned"));
			default -> Health.status(new Status(Status.DOWN.getCode(), "status " + cluster.status().jsonValue()));
		};
		return health.withDetail("cluster", cluster.clusterName())
			.withDetail("status", cluster.status().jsonValue())
			.withDetail("nodes", cluster.numberOfNodes())
			.withDetail("dataNodes", cluster.numberOfDataNodes())
			.withDetail("activeShards", cluster.activeShards())
			.withDetail("unassignedShards", cluster.unassignedShards())
			.withDetail("initializingShards", cluster.initializingShards())
			.withDetail("relocatingShards", cluster.relocatingShards())
			.build();
	}

}
