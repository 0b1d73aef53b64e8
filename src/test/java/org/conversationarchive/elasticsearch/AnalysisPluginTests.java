package org.conversationarchive.elasticsearch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Installing the analysis plugin into a distribution: once, again only when it changed,
 * nothing stray left in {@code plugins/}, and several installers at once.
 */
class AnalysisPluginTests {

	@TempDir
	Path distribution;

	@Test
	void installsTheZipsFilesReadableByOthers() throws IOException {
		assertThat(plugin("1.0", "jar one").installInto(this.distribution)).isTrue();

		Path installed = this.distribution.resolve("plugins/archive-analysis");
		try (var files = Files.list(installed)) {
			assertThat(files.map((file) -> file.getFileName().toString())).containsExactlyInAnyOrder(
					"archive-analysis.jar", "stable-plugin-descriptor.properties", "named_components.json");
		}
		assertThat(Files.readString(installed.resolve("archive-analysis.jar"))).isEqualTo("jar one");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(installed))).isEqualTo("rwxr-xr-x");
		assertThat(
				PosixFilePermissions.toString(Files.getPosixFilePermissions(installed.resolve("archive-analysis.jar"))))
			.isEqualTo("rw-r--r--");
		assertOnlyThePluginInPlugins();
	}

	@Test
	void aSecondInstallOfTheSameDoesNothing() throws IOException {
		plugin("1.0", "jar one").installInto(this.distribution);
		Path jar = this.distribution.resolve("plugins/archive-analysis/archive-analysis.jar");
		var written = Files.getLastModifiedTime(jar);

		assertThat(plugin("1.0", "jar one").installInto(this.distribution)).isFalse();
		assertThat(Files.getLastModifiedTime(jar)).isEqualTo(written);
	}

	@Test
	void aChangedJarOrVersionIsInstalledAgain() throws IOException {
		plugin("1.0", "jar one").installInto(this.distribution);

		assertThat(plugin("1.0", "jar two").installInto(this.distribution)).isTrue();
		assertThat(Files.readString(this.distribution.resolve("plugins/archive-analysis/archive-analysis.jar")))
			.isEqualTo("jar two");
		assertThat(plugin("1.1", "jar two").installInto(this.distribution)).isTrue();
		assertThat(plugin("1.1", "jar two").installInto(this.distribution)).isFalse();
		assertOnlyThePluginInPlugins();
	}

	@Test
	void installersAtOnceInstallItOnce() throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(4);
		try {
			List<Future<Boolean>> installs = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				Callable<Boolean> install = () -> plugin("2.0", "jar").installInto(this.distribution);
				installs.add(executor.submit(install));
			}
			int written = 0;
			for (Future<Boolean> install : installs) {
				written += install.get() ? 1 : 0;
			}
			assertThat(written).isEqualTo(1);
		}
		finally {
			executor.shutdown();
		}
		assertOnlyThePluginInPlugins();
	}

	@Test
	void theBuildsZipIsOnTheClasspath() {
		AnalysisPlugin plugin = AnalysisPlugin.fromClasspath();

		assertThat(plugin.version()).isNotBlank();
		assertThat(plugin.installInto(this.distribution)).isTrue();
		assertThat(this.distribution.resolve("plugins/archive-analysis/named_components.json")).isRegularFile();
	}

	@Test
	void refusesAZipWithFolders() throws IOException {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> AnalysisPlugin.fromZip(zip("archive-analysis/stable-plugin-descriptor.properties", "x")))
			.withMessageContaining("flat");
	}

	private void assertOnlyThePluginInPlugins() throws IOException {
		try (var entries = Files.list(this.distribution.resolve("plugins"))) {
			assertThat(entries.map((entry) -> entry.getFileName().toString())).containsExactly("archive-analysis");
		}
		try (var entries = Files.list(this.distribution)) {
			assertThat(entries.map((entry) -> entry.getFileName().toString()))
				.allMatch((name) -> name.equals("plugins") || name.equals(".archive-analysis.lock"));
		}
	}

	private static AnalysisPlugin plugin(String version, String jar) throws IOException {
		return AnalysisPlugin.fromZip(zip("archive-analysis.jar", jar, "stable-plugin-descriptor.properties",
				"name=archive-analysis\nversion=" + version + "\n", "named_components.json", "{}"));
	}

	private static byte[] zip(String... namesAndContents) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
			for (int i = 0; i < namesAndContents.length; i += 2) {
				zip.putNextEntry(new ZipEntry(namesAndContents[i]));
				zip.write(namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
				zip.closeEntry();
			}
		}
		return bytes.toByteArray();
	}

}
