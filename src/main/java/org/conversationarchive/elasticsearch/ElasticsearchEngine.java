package org.conversationarchive.elasticsearch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Elasticsearch node run as a child process from the unpacked distribution: the
 * embedded default of the service, and the engine of the test suite.
 * <p>
 * Everything the node writes lives under {@code home}: its configuration (copied once
 * from the distribution, then left to the operator), data, logs and pid file, so a second
 * start reuses the data. Started by root, the node runs as an unprivileged user, because
 * Elasticsearch refuses to run as root. The archive's analysis plugin
 * ({@link AnalysisPlugin}) is installed into the distribution the node runs, if missing.
 */
public final class ElasticsearchEngine implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ElasticsearchEngine.class);

	private static final int MINIMUM_JAVA = 21;

	private final Options options;

	private final Process process;

	private final Path pidFile;

	private @Nullable Thread shutdownHook;

	ElasticsearchEngine(Options options, Process process, Path pidFile) {
		this.options = options;
		this.process = process;
		this.pidFile = pidFile;
	}

	/**
	 * What to run and where.
	 *
	 * @param distribution the unpacked Elasticsearch distribution
	 * @param javaHome a JDK 21+ for the engine
	 * @param home the directory holding the engine's configuration, data and logs
	 * @param port HTTP port on 127.0.0.1
	 * @param heap JVM heap, e.g. {@code 512m}
	 * @param user the user that runs the engine when this process is root
	 * @param startTimeout how long the engine may take to become ready
	 */
	public record Options(Path distribution, Path javaHome, Path home, int port, String heap, String user,
			Duration startTimeout) {
	}

	/**
	 * Starts a node and waits until it answers.
	 * @param options what to run and where
	 * @return the running node
	 * @throws EngineStartupException when the configuration cannot work or the node does
	 * not come up; the message says what to change
	 */
	public static ElasticsearchEngine start(Options options) {
		return start(options, () -> false);
	}

	/**
	 * Starts a node and waits until it answers, unless {@code cancelled} says to give up
	 * meanwhile (the archive is shutting down): then the node is stopped again.
	 * @param options what to run and where
	 * @param cancelled asked while waiting for the node
	 * @return the running node
	 * @throws EngineStartupException when the node does not come up, or the start was
	 * cancelled
	 */
	static ElasticsearchEngine start(Options options, BooleanSupplier cancelled) {
		Path distribution = options.distribution().toAbsolutePath().normalize();
		Path launcher = distribution.resolve("bin/elasticsearch");
		if (!Files.isRegularFile(launcher)) {
			throw new EngineStartupException("No Elasticsearch distribution at " + distribution + ".",
					"Build the project once (./mvnw package or ./mvnw spring-boot:run) to unpack it under target/elasticsearch, "
							+ "set ARCHIVE_ELASTICSEARCH_EMBEDDED_DISTRIBUTION to an unpacked distribution, "
							+ "or set SPRING_ELASTICSEARCH_URIS to use an external cluster.");
		}
		checkJava(options.javaHome());
		Path home = options.home().toAbsolutePath().normalize();
		Path pidFile = home.resolve("elasticsearch.pid");
		stopOrphan(pidFile);
		checkPortFree(options.port());
		RunAs runAs = RunAs.forCurrentProcess(options.user());
		Path config = prepareHome(distribution, home, runAs);
		if (runAs != null) {
			distribution = runAs.reachableCopyOf(distribution);
			runAs.checkReachable(home);
		}
		// Into the distribution the node runs: the stemming, folding and elision the
		// minimal distribution lacks.
		AnalysisPlugin.fromClasspath().installInto(distribution);
		List<String> command = new ArrayList<>();
		if (runAs != null) {
			command.addAll(runAs.commandPrefix());
		}
		command.add(distribution.resolve("bin/elasticsearch").toString());
		command.addAll(List.of("-E", "cluster.name=conversation-archive", "-E", "node.name=archive-embedded", "-E",
				"discovery.type=single-node", "-E", "network.host=127.0.0.1", "-E", "http.port=" + options.port(), "-E",
				"transport.port=" + (options.port() + 100) + "-" + (options.port() + 199), "-E",
				"xpack.security.enabled=false", "-E", "path.data=" + home.resolve("data"), "-E",
				"path.logs=" + home.resolve("logs"),
				// A laptop or CI disk that is 90% full must not turn the archive
				// read-only.
				"-E", "cluster.routing.allocation.disk.threshold_enabled=false", "-p", pidFile.toString()));
		ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile());
		Map<String, String> environment = builder.environment();
		environment.keySet()
			.removeIf((name) -> name.startsWith("ES_") || name.equals("JAVA_TOOL_OPTIONS")
					|| name.equals("JDK_JAVA_OPTIONS") || name.equals("_JAVA_OPTIONS"));
		environment.put("ES_JAVA_HOME", options.javaHome().toString());
		environment.put("ES_PATH_CONF", config.toString());
		environment.put("ES_JAVA_OPTS", "-Xms" + options.heap() + " -Xmx" + options.heap());
		if (runAs != null) {
			environment.put("HOME", home.toString());
		}
		Path console = home.resolve("logs/console.log");
		builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()));
		logger.info("Starting Elasticsearch from {} on port {} with data in {}{}", distribution, options.port(), home,
				(runAs != null) ? " as user " + runAs.user() : "");
		Process process;
		try {
			process = builder.start();
		}
		catch (IOException ex) {
			throw new EngineStartupException("Could not start " + command.get(0) + ": " + ex.getMessage(),
					"Check that the distribution under " + distribution + " is complete and executable.");
		}
		ElasticsearchEngine engine = new ElasticsearchEngine(options, process, pidFile);
		try {
			engine.awaitReady(console, cancelled);
		}
		catch (RuntimeException ex) {
			engine.close();
			throw ex;
		}
		logger.info("Elasticsearch is up at {}", engine.uri());
		return engine;
	}

	/**
	 * Stops the node when the JVM exits, for owners without a lifecycle of their own (a
	 * Spring context stops it itself, in order, after everything that uses it).
	 * @return this engine
	 */
	public synchronized ElasticsearchEngine stopOnExit() {
		if (this.shutdownHook == null) {
			this.shutdownHook = new Thread(this::stop, "elasticsearch-engine-shutdown");
			Runtime.getRuntime().addShutdownHook(this.shutdownHook);
		}
		return this;
	}

	/**
	 * The node's HTTP address.
	 * @return the address, on 127.0.0.1
	 */
	public URI uri() {
		return URI.create("http://127.0.0.1:" + this.options.port());
	}

	/**
	 * The node's HTTP port.
	 * @return the port
	 */
	public int port() {
		return this.options.port();
	}

	/**
	 * Whether the node process is still running.
	 * @return {@code true} while it runs
	 */
	public boolean isRunning() {
		return this.process.isAlive();
	}

	/**
	 * Completes when the node process exits, whoever stopped it.
	 * @return its exit code, once it exited
	 */
	CompletableFuture<Integer> onExit() {
		return this.process.onExit().thenApply(Process::exitValue);
	}

	/**
	 * The node's own process id, from its pid file.
	 * @return the process id, once the node wrote it
	 */
	Optional<Long> pid() {
		return readPid(this.pidFile);
	}

	/**
	 * Where the node's console output goes, for the log lines that point there.
	 * @return the console log
	 */
	Path console() {
		return this.options.home().toAbsolutePath().normalize().resolve("logs/console.log");
	}

	/**
	 * Stops the node cleanly and waits for it to exit.
	 */
	@Override
	public void close() {
		stop();
		Thread hook = this.shutdownHook;
		if (hook != null && hook != Thread.currentThread()) {
			try {
				Runtime.getRuntime().removeShutdownHook(hook);
			}
			catch (IllegalStateException ex) {
				// Already shutting down: the hook runs stop() too, which is harmless.
			}
		}
	}

	private synchronized void stop() {
		if (!this.process.isAlive()) {
			return;
		}
		logger.info("Stopping Elasticsearch on port {}", this.options.port());
		// SIGTERM to the launcher makes it shut the server down cleanly.
		this.process.destroy();
		try {
			if (!this.process.waitFor(60, TimeUnit.SECONDS)) {
				logger.warn("Elasticsearch did not stop within 60 s; killing it");
				readPid(this.pidFile).flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void awaitReady(Path console, BooleanSupplier cancelled) {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		HttpRequest request = HttpRequest
			.newBuilder(uri().resolve("/_cluster/health?wait_for_status=yellow&timeout=1s"))
			.timeout(Duration.ofSeconds(5))
			.build();
		Instant deadline = Instant.now().plus(this.options.startTimeout());
		while (Instant.now().isBefore(deadline)) {
			if (cancelled.getAsBoolean()) {
				throw new EngineStartupException("The start of Elasticsearch was cancelled: the archive is stopping.",
						"Nothing to do.");
			}
			if (!this.process.isAlive()) {
				throw new EngineStartupException("Elasticsearch exited during start-up (exit code "
						+ this.process.exitValue() + "):\n" + tail(console, 20),
						"Read " + console + " and the logs beside it.");
			}
			try {
				HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 200) {
					return;
				}
			}
			catch (ConnectException ex) {
				// Not listening yet.
			}
			catch (IOException ex) {
				logger.debug("Elasticsearch not ready yet: {}", ex.toString());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new EngineStartupException("Interrupted while waiting for Elasticsearch", "Start again.");
			}
			sleep(Duration.ofMillis(250));
		}
		throw new EngineStartupException(
				"Elasticsearch did not become ready within " + this.options.startTimeout() + ":\n" + tail(console, 20),
				"Read " + console + "; raise ARCHIVE_ELASTICSEARCH_EMBEDDED_START_TIMEOUT on a slow machine.");
	}

	static void checkJava(Path javaHome) {
		int version = javaVersion(javaHome);
		if (version < MINIMUM_JAVA) {
			throw new EngineStartupException(
					"Elasticsearch 9 needs Java " + MINIMUM_JAVA + " or newer; " + javaHome + " is Java "
							+ ((version > 0) ? version : "of an unknown version") + ".",
					"Set ARCHIVE_ELASTICSEARCH_EMBEDDED_JAVA_HOME to a JDK " + MINIMUM_JAVA + "+.");
		}
	}

	static int javaVersion(Path javaHome) {
		Path current = Path.of(System.getProperty("java.home"));
		if (javaHome.toAbsolutePath().normalize().equals(current.toAbsolutePath().normalize())) {
			return Runtime.version().feature();
		}
		Path release = javaHome.resolve("release");
		if (!Files.isRegularFile(release) || !Files.isExecutable(javaHome.resolve("bin/java"))) {
			return -1;
		}
		try {
			Properties properties = new Properties();
			try (var reader = Files.newBufferedReader(release)) {
				properties.load(reader);
			}
			String value = properties.getProperty("JAVA_VERSION", "").replace("\"", "");
			String feature = value.startsWith("1.") ? value.substring(2) : value;
			int end = 0;
			while (end < feature.length() && Character.isDigit(feature.charAt(end))) {
				end++;
			}
			return (end > 0) ? Integer.parseInt(feature.substring(0, end)) : -1;
		}
		catch (IOException ex) {
			return -1;
		}
	}

	static void checkPortFree(int port) {
		try (ServerSocket socket = new ServerSocket()) {
			// As Elasticsearch binds: a port in TIME_WAIT after the last run is free.
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
		}
		catch (IOException ex) {
			throw new EngineStartupException(
					"Port " + port
							+ " on 127.0.0.1 is already in use, so the embedded Elasticsearch cannot listen on it.",
					"Set ARCHIVE_ELASTICSEARCH_EMBEDDED_PORT to a free port, or, if an Elasticsearch already runs there, "
							+ "set SPRING_ELASTICSEARCH_URIS=http://127.0.0.1:" + port + " to use it.");
		}
	}

	/**
	 * Stops a node left behind by an archive that was killed without shutting down. A pid
	 * file left by a node that was killed itself may name another process by now: only a
	 * process that started before the file was written is that node.
	 */
	private static void stopOrphan(Path pidFile) {
		Optional<Instant> written = lastModified(pidFile);
		readPid(pidFile).flatMap(ProcessHandle::of)
			.filter((handle) -> handle.info().commandLine().orElse("").contains("elasticsearch"))
			.filter((handle) -> written.isPresent() && handle.info().startInstant().isPresent()
					&& !handle.info().startInstant().get().isAfter(written.get()))
			.ifPresent((orphan) -> {
				logger.warn("Stopping Elasticsearch left running by an earlier start (pid {})", orphan.pid());
				orphan.destroy();
				try {
					orphan.onExit().get(60, TimeUnit.SECONDS);
				}
				catch (Exception ex) {
					orphan.destroyForcibly();
				}
			});
	}

	private static Optional<Instant> lastModified(Path file) {
		try {
			return Optional.of(Files.getLastModifiedTime(file).toInstant());
		}
		catch (IOException ex) {
			return Optional.empty();
		}
	}

	private static Optional<Long> readPid(Path pidFile) {
		try {
			return Optional.of(Long.parseLong(Files.readString(pidFile).trim()));
		}
		catch (IOException | NumberFormatException ex) {
			return Optional.empty();
		}
	}

	private static Path prepareHome(Path distribution, Path home, @Nullable RunAs runAs) {
		Path config = home.resolve("config");
		try {
			Files.createDirectories(home.resolve("data"));
			Files.createDirectories(home.resolve("logs"));
			if (!Files.isDirectory(config)) {
				Path partial = home.resolve("config.partial");
				deleteRecursively(partial);
				copyRecursively(distribution.resolve("config"), partial);
				Files.move(partial, config, StandardCopyOption.ATOMIC_MOVE);
			}
			if (runAs != null) {
				runAs.own(home);
			}
		}
		catch (IOException ex) {
			throw new EngineStartupException(
					"Cannot prepare the Elasticsearch directory " + home + ": " + ex.getMessage(),
					"Set ARCHIVE_DATA_DIR to a writable directory.");
		}
		return config;
	}

	static void copyRecursively(Path source, Path target) throws IOException {
		Files.walkFileTree(source, new SimpleFileVisitor<>() {
			@Override
			public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
				Files.createDirectories(target.resolve(source.relativize(dir).toString()));
				return FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
				Files.copy(file, target.resolve(source.relativize(file).toString()),
						StandardCopyOption.COPY_ATTRIBUTES);
				return FileVisitResult.CONTINUE;
			}
		});
	}

	static void deleteRecursively(Path path) throws IOException {
		if (!Files.exists(path)) {
			return;
		}
		try (var paths = Files.walk(path)) {
			for (Path each : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
				Files.delete(each);
			}
		}
	}

	private static String tail(Path file, int lines) {
		try {
			List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
			return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
		}
		catch (IOException | UncheckedIOException ex) {
			return "(no output in " + file + ")";
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * The unprivileged user the engine runs as when this process is root.
	 */
	private record RunAs(String user, String group) {

		static @Nullable RunAs forCurrentProcess(String user) {
			if (new com.sun.security.auth.module.UnixSystem().getUid() != 0) {
				return null;
			}
			if (!Files.isExecutable(Path.of("/usr/bin/setpriv")) && !Files.isExecutable(Path.of("/bin/setpriv"))) {
				throw new EngineStartupException(
						"Running as root, but setpriv (util-linux) is not installed, "
								+ "so Elasticsearch cannot be started as the unprivileged user " + user + ".",
						"Install util-linux, or run the archive as a non-root user.");
			}
			String group = run("id", "-gn", user);
			if (group == null) {
				throw new EngineStartupException(
						"Running as root, and Elasticsearch refuses to run as root, but user " + user
								+ " does not exist.",
						"Set ARCHIVE_ELASTICSEARCH_EMBEDDED_USER to an existing unprivileged user.");
			}
			return new RunAs(user, group);
		}

		List<String> commandPrefix() {
			return List.of("setpriv", "--reuid=" + this.user, "--regid=" + this.group, "--clear-groups", "--");
		}

		void own(Path root) throws IOException {
			UserPrincipalLookupService lookup = root.getFileSystem().getUserPrincipalLookupService();
			var owner = lookup.lookupPrincipalByName(this.user);
			var group = lookup.lookupPrincipalByGroupName(this.group);
			try (var paths = Files.walk(root)) {
				for (Path path : paths.toList()) {
					var view = Files.getFileAttributeView(path, java.nio.file.attribute.PosixFileAttributeView.class,
							java.nio.file.LinkOption.NOFOLLOW_LINKS);
					if (!view.getOwner().equals(owner)) {
						view.setOwner(owner);
						view.setGroup(group);
					}
				}
			}
		}

		void checkReachable(Path path) {
			Path unreachable = firstUnreachable(path);
			if (unreachable != null) {
				throw new EngineStartupException(
						"Elasticsearch runs as user " + this.user + ", who cannot reach " + path + " (" + unreachable
								+ " is closed to other users).",
						"Set ARCHIVE_DATA_DIR to a directory under a path every user may traverse, "
								+ "e.g. /var/lib/conversation-archive.");
			}
		}

		/**
		 * The distribution itself when the user can read it, else a copy in the temporary
		 * directory (a checkout under /root, for instance, is closed to other users).
		 */
		Path reachableCopyOf(Path distribution) {
			if (firstUnreachable(distribution.resolve("lib")) == null) {
				return distribution;
			}
			Path copy = Path.of(System.getProperty("java.io.tmpdir"), "conversation-archive",
					distribution.getFileName().toString());
			if (Files.isRegularFile(copy.resolve(".complete"))) {
				return copy;
			}
			logger.info("Copying the Elasticsearch distribution to {} where user {} can read it", copy, this.user);
			try {
				deleteRecursively(copy);
				copyRecursively(distribution, copy);
				for (Path dir = copy; dir != null && !dir.equals(dir.getRoot()); dir = dir.getParent()) {
					var permissions = Files.getPosixFilePermissions(dir);
					permissions.add(PosixFilePermission.OTHERS_EXECUTE);
					permissions.add(PosixFilePermission.OTHERS_READ);
					if (dir.equals(Path.of(System.getProperty("java.io.tmpdir")))) {
						break;
					}
					Files.setPosixFilePermissions(dir, permissions);
				}
				Files.createFile(copy.resolve(".complete"));
			}
			catch (IOException ex) {
				throw new EngineStartupException(
						"Cannot copy the Elasticsearch distribution to " + copy + ": " + ex.getMessage(),
						"Set ARCHIVE_ELASTICSEARCH_EMBEDDED_DISTRIBUTION to a directory user " + this.user
								+ " can read.");
			}
			return copy;
		}

		/**
		 * The first directory on the way to {@code path} that the user may not enter,
		 * judging by the permissions for other users (the engine user owns none of them).
		 */
		private @Nullable Path firstUnreachable(Path path) {
			for (Path dir = path.toAbsolutePath().getParent(); dir != null; dir = dir.getParent()) {
				try {
					PosixFileAttributes attributes = Files.readAttributes(dir, PosixFileAttributes.class);
					boolean owned = attributes.owner().getName().equals(this.user);
					if (!owned && !attributes.permissions().contains(PosixFilePermission.OTHERS_EXECUTE)) {
						return dir;
					}
				}
				catch (IOException ex) {
					return dir;
				}
			}
			return null;
		}

		private static @Nullable String run(String... command) {
			try {
				Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
				String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
				return (process.waitFor() == 0) ? output : null;
			}
			catch (IOException ex) {
				return null;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return null;
			}
		}

	}

}
