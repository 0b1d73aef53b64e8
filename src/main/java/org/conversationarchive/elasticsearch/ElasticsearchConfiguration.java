package org.conversationarchive.elasticsearch;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Collectors;

import co.elastic.clients.transport.rest5_client.low_level.Rest5ClientBuilder;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.JsonpMapper;
import co.elastic.clients.json.jackson.Jackson3JsonpMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.elasticsearch.autoconfigure.ElasticsearchConnectionDetails;
import org.springframework.boot.elasticsearch.autoconfigure.Rest5ClientBuilderCustomizer;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.support.ResourcePatternResolver;

/**
 * The Elasticsearch client (on the application's JSON mapper), index names, and the
 * start-up check that the cluster answers and holds the current index templates.
 */
@Configuration(proxyBeanMethods = false)
class ElasticsearchConfiguration {

	static final int CONNECTIONS_PER_NODE = 100;

	static final int CONNECTIONS = 300;

	/**
	 * Connections to each node: the client's default (10 a node, 30 in all) queued every
	 * request behind ten writes that wait for a refresh (a single upsert answers once
	 * searchable, seconds later), so a page or a live stream waited on them too.
	 */
	@Bean
	Rest5ClientBuilderCustomizer connectionsPerNode() {
		return new Rest5ClientBuilderCustomizer() {

			@Override
			public void customize(Rest5ClientBuilder builder) {
			}

			@Override
			public void customize(PoolingAsyncClientConnectionManagerBuilder connections) {
				connections.setMaxConnPerRoute(CONNECTIONS_PER_NODE).setMaxConnTotal(CONNECTIONS);
			}

		};
	}

	/**
	 * The cluster's health, named as Spring Boot's own indicator so that it takes its
	 * place.
	 */
	@Bean
	HealthIndicator elasticsearchHealthIndicator(ElasticsearchClient client) {
		return new ClusterHealth(client);
	}

	@Bean
	JsonpMapper jsonpMapper(JsonMapper jsonMapper) {
		return new Jackson3JsonpMapper(jsonMapper);
	}

	@Bean
	ElasticsearchMode elasticsearchMode(org.springframework.core.env.Environment environment) {
		return new ElasticsearchMode(EmbeddedElasticsearchConfiguration.NoExternalCluster.matches(environment));
	}

	@Bean
	ArchiveIndices archiveIndices(ElasticsearchSettings settings) {
		return new ArchiveIndices(settings.indexPrefix());
	}

	@Bean
	IndexTemplates indexTemplates(ElasticsearchClient client, ArchiveIndices indices, ElasticsearchSettings settings,
			ResourcePatternResolver resources, JsonMapper jsonMapper) {
		return new IndexTemplates(client, indices, settings, resources, jsonMapper, "classpath*:index-templates/");
	}

	@Bean
	ElasticsearchStartup elasticsearchStartup(ElasticsearchClient client, ElasticsearchConnectionDetails connection,
			ElasticsearchSettings settings, IndexTemplates templates) {
		return new ElasticsearchStartup(client, connection, settings, templates);
	}

	/**
	 * Runs before the web server accepts requests: waits for the cluster (an external one
	 * may still be starting) and fails the start with a clear message when it does not
	 * answer, then installs the index templates.
	 */
	record ElasticsearchStartup(ElasticsearchClient client, ElasticsearchConnectionDetails connection,
			ElasticsearchSettings settings, IndexTemplates templates) implements InitializingBean {

		private static final Logger logger = LoggerFactory.getLogger(ElasticsearchStartup.class);

		@Override
		public void afterPropertiesSet() {
			awaitCluster();
			this.templates.install();
		}

		private void awaitCluster() {
			Instant deadline = Instant.now().plus(this.settings.startupTimeout());
			Exception last;
			do {
				try {
					this.client.cluster().health((health) -> health.timeout((t) -> t.time("1s")));
					return;
				}
				catch (IOException | RuntimeException ex) {
					last = ex;
					logger.info("Waiting for Elasticsearch at {}: {}", nodes(), ex.toString());
				}
				try {
					Thread.sleep(Duration.ofSeconds(1));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					break;
				}
			}
			while (Instant.now().isBefore(deadline));
			throw new EngineStartupException("Elasticsearch at " + nodes() + " is not reachable: " + last.getMessage(),
					"Check SPRING_ELASTICSEARCH_URIS (and SPRING_ELASTICSEARCH_API_KEY or the TLS bundle) and that the "
							+ "cluster is up, or unset SPRING_ELASTICSEARCH_URIS to run the embedded Elasticsearch.");
		}

		private String nodes() {
			return this.connection.getNodes()
				.stream()
				.map((node) -> node.protocol().name().toLowerCase(java.util.Locale.ROOT) + "://" + node.hostname() + ":"
						+ node.port())
				.collect(Collectors.joining(", "));
		}

	}

}
