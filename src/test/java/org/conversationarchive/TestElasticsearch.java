package org.conversationarchive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import org.conversationarchive.elasticsearch.ElasticsearchEngine;
import org.testcontainers.DockerClientFactory;

import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.FileSystemUtils;
import org.testcontainers.elasticsearch.ElasticsearchContainer;

/**
 * The one Elasticsearch of a test JVM, started on first use and shared by every test: the
 * one named by {@code ARCHIVE_TEST_ELASTICSEARCH_URIS} when set, else a container where
 * Docker runs, else the distribution the build unpacked, run by the project's own
 * {@link ElasticsearchEngine}.
 */
public final class TestElasticsearch {

	/**
	 * The distribution the build unpacked, as the application's configuration names it.
	 * @return its directory
	 */
	public static Path distribution() {
		YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
		yaml.setResources(new ClassPathResource("application.yaml"));
		return Path.of(yaml.getObject().getProperty("archive.elasticsearch.embedded.distribution"));
	}

	private static String uri;

	private TestElasticsearch() {
	}

	public static synchronized String uri() {
		if (uri == null) {
			uri = start();
		}
		return uri;
	}

	private static String start() {
		String given = System.getenv("ARCHIVE_TEST_ELASTICSEARCH_URIS");
		if (given != null && !given.isBlank()) {
			return given;
		}
		if (dockerAvailable()) {
			ElasticsearchContainer container = new ElasticsearchContainer(
					"docker.elastic.co/elasticsearch/elasticsearch:"
							+ distribution().getFileName().toString().replace("elasticsearch-", ""))
				.withEnv("xpack.security.enabled", "false")
				.withEnv("ES_JAVA_OPTS", "-Xms512m -Xmx512m");
			container.start();
			return "http://" + container.getHttpHostAddress();
		}
		Path home = temporaryDirectory("archive-test-elasticsearch");
		ElasticsearchEngine engine = ElasticsearchEngine.start(new ElasticsearchEngine.Options(distribution(),
				Path.of(System.getProperty("java.home")), home, freePort(), "512m", "nobody", Duration.ofMinutes(3)));
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			engine.close();
			FileSystemUtils.deleteRecursively(home.toFile());
		}));
		return engine.uri().toString();
	}

	private static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public static Path temporaryDirectory(String prefix) {
		try {
			// Open to other users: as root, the engine runs as an unprivileged one.
			return Files.createTempDirectory(prefix,
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
