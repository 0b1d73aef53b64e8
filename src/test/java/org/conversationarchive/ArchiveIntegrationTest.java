package org.conversationarchive;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.protocol.HttpContext;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.test.http.server.LocalTestWebServer;
import org.springframework.core.annotation.AliasFor;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.resttestclient.autoconfigure.RestTestClientBuilderCustomizer;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.support.TestPropertySourceUtils;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.web.context.WebApplicationContext;

/**
 * The whole service on a random port, against the test JVM's shared Elasticsearch, with
 * its files in a temporary data directory.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@ContextConfiguration(initializers = ArchiveIntegrationTest.SharedElasticsearch.class)
@Import({ ArchiveIntegrationTest.AsAdministrator.class, ArchiveIntegrationTest.FirstAnswers.class })
public @interface ArchiveIntegrationTest {

	/**
	 * The system-admin key of org {@code default} in every test context.
	 */
	String ADMIN_KEY = "test-bootstrap-administrator-key";

	/**
	 * Properties for this test's context, as {@link SpringBootTest#properties()}.
	 * @return properties in {@code key=value} form
	 */
	@AliasFor(annotation = SpringBootTest.class)
	String[] properties() default {};

	class SharedElasticsearch implements ApplicationContextInitializer<ConfigurableApplicationContext> {

		private static final String DATA_DIR = TestElasticsearch.temporaryDirectory("archive-test-data").toString();

		@Override
		public void initialize(ConfigurableApplicationContext context) {
			// Above the application's own configuration, below a test's inlined
			// properties.
			// Every context shares the database. Webhooks go to the tests' receivers on
			// this machine, retried soon and few times, whichever context's dispatcher
			// sends them. Alerts are evaluated by the tests themselves: a context's own
			// evaluator would count other contexts' alerts in its own indices. A write
			// that waits to be searchable (most of the API's) waits for the next refresh
			// of the conversation indices: 5 s in production, a moment here. The agent
			// platforms the tests run are on this machine too.
			var source = new MapPropertySource("sharedElasticsearch",
					Map.ofEntries(Map.entry("spring.elasticsearch.uris", TestElasticsearch.uri()),
							Map.entry("archive.data-dir", DATA_DIR), Map.entry("archive.demo.enabled", "false"),
							Map.entry("archive.security.bootstrap-key", ADMIN_KEY),
							Map.entry("archive.webhooks.allow-private-addresses", "true"),
							Map.entry("archive.webhooks.backoff", "200ms"),
							Map.entry("archive.webhooks.max-attempts", "4"),
							Map.entry("archive.alerts.check-interval", "1h"),
							Map.entry("archive.elasticsearch.refresh-interval", "200ms"),
							Map.entry("archive.gateway.allow-private-addresses", "true"),
							Map.entry("archive.gateway.backoff", "50ms")));
			var sources = context.getEnvironment().getPropertySources();
			if (sources.contains(TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME)) {
				sources.addAfter(TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME, source);
			}
			else {
				sources.addFirst(source);
			}
		}

	}

	/**
	 * The test client calls the API as the bootstrap administrator unless a test says
	 * otherwise.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	class AsAdministrator {

		@Bean
		RestTestClientBuilderCustomizer administratorKey() {
			return (builder) -> builder.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_KEY);
		}

	}

	/**
	 * The test client as Spring Boot builds it, on an HTTP client that hands the test the
	 * answer the service gave: the default one waits out a 503's or a 429's Retry-After
	 * (5 s) and asks once more, so that each test of a "retry later" waited for the same
	 * answer twice. It still sends again a request whose connection failed.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	class FirstAnswers {

		@Bean
		RestTestClient restTestClient(WebApplicationContext context,
				ObjectProvider<RestTestClientBuilderCustomizer> customizers) {
			var client = HttpClients.custom()
				.useSystemProperties()
				.setRetryStrategy(new DefaultHttpRequestRetryStrategy() {

					@Override
					public boolean retryRequest(HttpResponse response, int execCount, HttpContext httpContext) {
						return false;
					}

				})
				.build();
			RestTestClient.Builder<?> builder = RestTestClient
				.bindToServer(new HttpComponentsClientHttpRequestFactory(client))
				.uriBuilderFactory(LocalTestWebServer.obtain(context).uriBuilderFactory());
			customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
			return builder.build();
		}

	}

}
