package org.conversationarchive.elasticsearch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.conversationarchive.system.ArchiveSettings;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.elasticsearch.autoconfigure.ElasticsearchConnectionDetails;
import org.springframework.boot.elasticsearch.autoconfigure.ElasticsearchConnectionDetails.Node.Protocol;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The embedded default: with no external cluster configured, the archive runs its own
 * Elasticsearch node under the data directory, restarts it when it dies, and connects to
 * it.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedElasticsearchConfiguration.NoExternalCluster.class)
class EmbeddedElasticsearchConfiguration {

	/**
	 * Restarts start a second after the engine died, then back off up to half a minute.
	 */
	static final EngineSupervisor.Backoff RESTART_BACKOFF = new EngineSupervisor.Backoff(Duration.ofSeconds(1),
			Duration.ofSeconds(30));

	@Bean
	EmbeddedElasticsearch embeddedElasticsearch(ElasticsearchSettings settings, ArchiveSettings archive) {
		ElasticsearchSettings.Embedded embedded = settings.embedded();
		Path javaHome = (embedded.javaHome() != null) ? embedded.javaHome() : Path.of(System.getProperty("java.home"));
		ElasticsearchEngine.Options options = new ElasticsearchEngine.Options(embedded.distribution(), javaHome,
				archive.dataDir().resolve("elasticsearch"), embedded.port(), embedded.heap(), embedded.user(),
				embedded.startTimeout());
		return new EmbeddedElasticsearch(options.port(),
				EngineSupervisor.start((cancelled) -> ElasticsearchEngine.start(options, cancelled), RESTART_BACKOFF));
	}

	@Bean
	ElasticsearchConnectionDetails embeddedElasticsearchConnectionDetails(EmbeddedElasticsearch embedded) {
		int port = embedded.port();
		return () -> List.of(new ElasticsearchConnectionDetails.Node("127.0.0.1", port, Protocol.HTTP));
	}

	@Bean
	HealthIndicator elasticsearchEngineHealthIndicator(EmbeddedElasticsearch embedded) {
		return new EngineHealth(embedded.supervisor());
	}

	/**
	 * The supervised node, stopped when the application context closes, after everything
	 * that uses it. Restarts stop as the close begins (the context's closed event comes
	 * before the web server's graceful stop and every other lifecycle's): Ctrl-C in a
	 * terminal signals the engine too, and its exit then is no death to recover from.
	 */
	record EmbeddedElasticsearch(int port,
			EngineSupervisor supervisor) implements ApplicationListener<ContextClosedEvent>, DisposableBean {

		@Override
		public void onApplicationEvent(ContextClosedEvent event) {
			this.supervisor.stopRestarting();
		}

		@Override
		public void destroy() {
			this.supervisor.close();
		}

	}

	static class NoExternalCluster implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return matches(context.getEnvironment());
		}

		static boolean matches(Environment environment) {
			return !environment.containsProperty("spring.elasticsearch.uris")
					&& environment.getProperty("archive.elasticsearch.embedded.enabled", Boolean.class, true);
		}

	}

}
