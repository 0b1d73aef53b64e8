package org.conversationarchive.elasticsearch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the archive reaches Elasticsearch and lays out its indices.
 *
 * @param indexPrefix first part of every index, alias and template name, so that several
 * archives can share one cluster
 * @param shards primary shards of each time-partitioned conversation index (and of the
 * contacts index); an index keeps the count it was created with
 * @param replicas copies of each shard: a number ({@code 1}) or an auto-expanding range
 * ({@code 0-1}: none on one node, one once a second node joins; {@code 0-all})
 * @param routingPartitionSize how many shards of an index one org's documents are spread
 * over (documents are routed by org): fewer than {@code shards} unless that is 1; by
 * default half the shards, at least 1 ({@link #partitionSizeFor(int)}); an index keeps
 * the size it was created with
 * @param refreshInterval how often new writes to a conversation index become searchable
 * (a shorter interval makes more, smaller segments to merge, slowing ingest)
 * @param startupTimeout how long to wait at start for an external cluster to answer
 * before failing
 * @param embedded the local engine run when no {@code SPRING_ELASTICSEARCH_URIS} is given
 */
@ConfigurationProperties("archive.elasticsearch")
public record ElasticsearchSettings(@DefaultValue("archive") String indexPrefix, @DefaultValue("1") int shards,
		@DefaultValue("0-1") String replicas, @Nullable Integer routingPartitionSize,
		@DefaultValue("5s") Duration refreshInterval, @DefaultValue("60s") Duration startupTimeout,
		@DefaultValue Embedded embedded) {

	private static final Pattern REPLICAS = Pattern.compile("(\\d+)(?:-(\\d+|all))?");

	public ElasticsearchSettings {
		if (shards < 1 || shards > 1024) {
			throw new IllegalArgumentException(
					"archive.elasticsearch.shards (ARCHIVE_ELASTICSEARCH_SHARDS) must be from 1 to 1024, not "
							+ shards);
		}
		Matcher range = REPLICAS.matcher(replicas.strip());
		if (!range.matches() || (range.group(2) != null && !range.group(2).equals("all")
				&& Integer.parseInt(range.group(2)) < Integer.parseInt(range.group(1)))) {
			throw new IllegalArgumentException(
					"archive.elasticsearch.replicas (ARCHIVE_ELASTICSEARCH_REPLICAS) must be "
							+ "a number of replicas (1) or a range that follows the nodes (0-1, 0-all), not '"
							+ replicas + "'");
		}
		replicas = replicas.strip();
		if (routingPartitionSize == null) {
			routingPartitionSize = partitionSizeFor(shards);
		}
		else if (routingPartitionSize < 1 || (routingPartitionSize >= shards && routingPartitionSize != 1)) {
			throw new IllegalArgumentException("archive.elasticsearch.routing-partition-size "
					+ "(ARCHIVE_ELASTICSEARCH_ROUTING_PARTITION_SIZE) must be at least 1 and fewer than "
					+ "archive.elasticsearch.shards (" + shards + ") unless that is 1, not " + routingPartitionSize);
		}
	}

	/**
	 * How many shards an org's documents spread over by default: half of them, so that a
	 * large org's searches and writes work on several shards while a small org's searches
	 * still ask only part of the index; 1 for one or two shards (Elasticsearch wants
	 * fewer than the shards).
	 * @param shards the primary shards
	 * @return the partition size
	 */
	static int partitionSizeFor(int shards) {
		return (shards <= 2) ? 1 : Math.min(shards - 1, (shards + 1) / 2);
	}

	/**
	 * The shard copies as index settings: a fixed number, or a range Elasticsearch
	 * expands with the nodes.
	 * @return {@code index.auto_expand_replicas} and, for a fixed number,
	 * {@code index.number_of_replicas}
	 */
	Map<String, String> replicaSettings() {
		// In this order always: the templates' fingerprints are of their text.
		Map<String, String> settings = new LinkedHashMap<>();
		if (this.replicas.contains("-")) {
			settings.put("auto_expand_replicas", this.replicas);
		}
		else {
			settings.put("auto_expand_replicas", "false");
			settings.put("number_of_replicas", this.replicas);
		}
		return settings;
	}

	/**
	 * The partition size, always set once bound.
	 * @return how many shards an org's documents spread over
	 */
	int partitionSize() {
		return (this.routingPartitionSize != null) ? this.routingPartitionSize : partitionSizeFor(this.shards);
	}

	/**
	 * The engine the archive starts as a child process.
	 *
	 * @param enabled whether to start one when no external cluster is configured
	 * @param port its HTTP port on 127.0.0.1
	 * ({@code ARCHIVE_ELASTICSEARCH_EMBEDDED_PORT})
	 * @param heap its JVM heap, e.g. {@code 512m} or {@code 2g}
	 * @param distribution the unpacked distribution; the build puts it under
	 * {@code target/elasticsearch}
	 * @param javaHome the JDK (21+) that runs it; the archive's own by default
	 * @param user the unprivileged user that runs it when the archive runs as root
	 * @param startTimeout how long it may take to become ready
	 */
	public record Embedded(@DefaultValue("true") boolean enabled, @DefaultValue("9200") int port,
			@DefaultValue("512m") String heap, Path distribution, @Nullable Path javaHome,
			@DefaultValue("nobody") String user, @DefaultValue("3m") Duration startTimeout) {
	}

}
