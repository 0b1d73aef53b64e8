package org.conversationarchive.elasticsearch;

import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the archive reaches Elasticsearch and lays out its indices.
 *
 * @param indexPrefix first part of every index, alias and template name, so that several
 * archives can share one cluster
 * @param shards primary shards of each time-partitioned conversation index
 * @param refreshInterval how often new writes to a conversation index become searchable
 * (a shorter interval makes more, smaller segments to merge, slowing ingest)
 * @param startupTimeout how long to wait at start for an external cluster to answer
 * before failing
 * @param embedded the local engine run when no {@code SPRING_ELASTICSEARCH_URIS} is given
 */
@ConfigurationProperties("archive.elasticsearch")
public record ElasticsearchSettings(@DefaultValue("archive") String indexPrefix, @DefaultValue("1") int shards,
		@DefaultValue("5s") Duration refreshInterval, @DefaultValue("60s") Duration startupTimeout,
		@DefaultValue Embedded embedded) {

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
