package org.conversationarchive.elasticsearch;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archive's Elasticsearch analysis plugin ({@code archive-analysis}: Snowball, ASCII
 * folding, elision, English possessives), which the build puts on the classpath as a zip
 * and the embedded engine installs into the distribution it runs.
 * <p>
 * Installing is idempotent and safe when several JVMs start engines from one
 * distribution: nothing is written when the installed descriptor's version and jars match
 * the zip's; otherwise the files are staged beside {@code plugins/} (any stray entry in
 * it stops the node), and moved in atomically under a lock.
 */
final class AnalysisPlugin {

	private static final Logger logger = LoggerFactory.getLogger(AnalysisPlugin.class);

	/**
	 * The plugin's name, as {@code GET _nodes/plugins} lists it.
	 */
	static final String NAME = "archive-analysis";

	/**
	 * Where the build puts the zip on the classpath.
	 */
	static final String RESOURCE = "elasticsearch-plugin/archive-analysis.zip";

	static final String DESCRIPTOR = "stable-plugin-descriptor.properties";

	private static final String NAMED_COMPONENTS = "named_components.json";

	private final Map<String, byte[]> files;

	private AnalysisPlugin(Map<String, byte[]> files) {
		this.files = files;
	}

	/**
	 * The zip the build put on the classpath.
	 * @return the plugin
	 * @throws EngineStartupException when the classpath lacks it
	 */
	static AnalysisPlugin fromClasspath() {
		try (InputStream zip = AnalysisPlugin.class.getClassLoader().getResourceAsStream(RESOURCE)) {
			if (zip == null) {
				throw new EngineStartupException(
						"The Elasticsearch analysis plugin (" + RESOURCE + ") is not on the classpath.",
						"Build the project with Maven (./mvnw process-classes, or any later phase such as "
								+ "./mvnw spring-boot:run or package): it builds the plugin into "
								+ "target/classes/elasticsearch-plugin/. An IDE's own compilation does not.");
			}
			return fromZip(zip.readAllBytes());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A plugin zip: flat, with its jar, descriptor and named components.
	 * @param zip the zip's bytes
	 * @return the plugin
	 */
	static AnalysisPlugin fromZip(byte[] zip) {
		Map<String, byte[]> files = new LinkedHashMap<>();
		try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
			for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
				String name = entry.getName();
				if (entry.isDirectory() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
					throw new IllegalArgumentException("The plugin zip must be flat; it holds " + name);
				}
				files.put(name, in.readAllBytes());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		if (!files.containsKey(DESCRIPTOR) || !files.containsKey(NAMED_COMPONENTS)
				|| files.keySet().stream().noneMatch((name) -> name.endsWith(".jar"))) {
			throw new IllegalArgumentException("The plugin zip lacks its jar, " + DESCRIPTOR + " or " + NAMED_COMPONENTS
					+ "; it holds " + files.keySet());
		}
		return new AnalysisPlugin(Map.copyOf(files));
	}

	/**
	 * The plugin's version, from its descriptor.
	 * @return the version
	 */
	String version() {
		return versionIn(this.files.get(DESCRIPTOR));
	}

	/**
	 * Installs the plugin into {@code plugins/archive-analysis} of a distribution, unless
	 * the same version with the same jars is there already.
	 * @param distribution the unpacked distribution the node runs from
	 * @return whether anything was written
	 */
	boolean installInto(Path distribution) {
		Path target = distribution.resolve("plugins").resolve(NAME);
		if (isInstalledAt(target)) {
			return false;
		}
		// A file lock keeps other JVMs out, not other threads of this one.
		synchronized (AnalysisPlugin.class) {
			return installUnderLock(distribution, target);
		}
	}

	private boolean installUnderLock(Path distribution, Path target) {
		try {
			Files.createDirectories(target.getParent());
			// The lock file lives beside plugins/, never in it.
			try (FileChannel channel = FileChannel.open(distribution.resolve("." + NAME + ".lock"),
					StandardOpenOption.CREATE, StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
				if (isInstalledAt(target)) {
					return false;
				}
				Path staging = distribution.resolve("." + NAME + "-" + UUID.randomUUID() + ".staging");
				try {
					stage(staging);
					Path old = null;
					if (Files.exists(target)) {
						old = distribution.resolve("." + NAME + "-" + UUID.randomUUID() + ".old");
						Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
					}
					try {
						Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
					}
					catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException ex) {
						// Another process installed it meanwhile without the lock (a CLI,
						// say).
						if (!isInstalledAt(target)) {
							throw ex;
						}
						return false;
					}
					finally {
						if (old != null) {
							ElasticsearchEngine.deleteRecursively(old);
						}
					}
				}
				finally {
					ElasticsearchEngine.deleteRecursively(staging);
				}
			}
		}
		catch (AtomicMoveNotSupportedException ex) {
			throw new EngineStartupException("Cannot install the analysis plugin into " + target + ": " + ex,
					"Unpack the distribution on one file system.");
		}
		catch (IOException ex) {
			throw new EngineStartupException(
					"Cannot install the analysis plugin " + NAME + " into " + target + ": " + ex.getMessage(),
					"Make the distribution writable by the archive, or install the plugin there yourself: "
							+ distribution.resolve("bin/elasticsearch-plugin") + " install file://<the zip>, "
							+ "the zip being target/classes/elasticsearch-plugin/archive-analysis.zip "
							+ "(also inside the archive's jar at BOOT-INF/classes/" + RESOURCE + ").");
		}
		logger.info("Installed the Elasticsearch analysis plugin {} {} into {}", NAME, version(), target);
		return true;
	}

	/**
	 * Whether {@code target} holds this version with these jars, and its named
	 * components.
	 */
	private boolean isInstalledAt(Path target) {
		Path descriptor = target.resolve(DESCRIPTOR);
		if (!Files.isRegularFile(descriptor) || !Files.isRegularFile(target.resolve(NAMED_COMPONENTS))) {
			return false;
		}
		try {
			if (!version().equals(versionIn(Files.readAllBytes(descriptor)))) {
				return false;
			}
			for (Map.Entry<String, byte[]> file : this.files.entrySet()) {
				if (file.getKey().endsWith(".jar")) {
					Path installed = target.resolve(file.getKey());
					if (!Files.isRegularFile(installed)
							|| !sha256(Files.readAllBytes(installed)).equals(sha256(file.getValue()))) {
						return false;
					}
				}
			}
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private void stage(Path staging) throws IOException {
		Files.createDirectory(staging,
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
		// Readable by the unprivileged user the node may run as, whatever the umask.
		Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
		for (Map.Entry<String, byte[]> file : this.files.entrySet()) {
			Path path = staging.resolve(file.getKey());
			Files.write(path, file.getValue());
			Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));
		}
	}

	private static String versionIn(byte @Nullable [] descriptor) {
		if (descriptor == null) {
			return "";
		}
		Properties properties = new Properties();
		try {
			properties.load(new ByteArrayInputStream(descriptor));
		}
		catch (IOException ex) {
			return "";
		}
		return properties.getProperty("version", "");
	}

	private static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
