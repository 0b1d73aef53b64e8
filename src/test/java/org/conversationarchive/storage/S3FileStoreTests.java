package org.conversationarchive.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;

import org.conversationarchive.TestS3;
import org.conversationarchive.system.PayloadTooLargeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.io.Resource;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The object store against a real S3-compatible server (S3Proxy, in-process): whole or
 * nothing, in parts when large, bounded, ranged reads, trees, presigned links, and
 * settings refused with words that say what to fix.
 */
class S3FileStoreTests {

	static final String BUCKET = TestS3.bucket("store-tests-" + UUID.randomUUID().toString().substring(0, 8));

	final String prefix = "run-" + UUID.randomUUID().toString().substring(0, 8);

	S3FileStore store;

	@TempDir
	Path temp;

	@AfterEach
	void close() {
		if (this.store != null) {
			this.store.close();
		}
	}

	S3FileStore store(boolean presigned) {
		this.store = StorageConfiguration.s3(settings(BUCKET, this.prefix, presigned));
		return this.store;
	}

	static StorageSettings.S3 settings(String bucket, String prefix, boolean presigned) {
		return new StorageSettings.S3(bucket, prefix, TestS3.endpoint(), null, TestS3.ACCESS_KEY, TestS3.SECRET_KEY,
				true, presigned, Duration.ofMinutes(5), DataSize.ofMegabytes(5));
	}

	@Test
	void aSmallFileIsStoredUnderThePrefixWithItsSizeAndChecksum() throws Exception {
		byte[] content = "hello, archive".getBytes(StandardCharsets.UTF_8);
		StoredFile stored = store(false).write("media/acme/c1/audio.mp3", new ByteArrayInputStream(content), 1024);

		assertThat(stored.size()).isEqualTo(content.length);
		assertThat(stored.sha256()).isEqualTo(sha256(content));
		assertThat(TestS3.keys(BUCKET, this.prefix)).containsExactly(this.prefix + "/media/acme/c1/audio.mp3");
		assertThat(this.store.exists("media/acme/c1/audio.mp3")).isTrue();
		assertThat(this.store.exists("media/acme/c1/other.mp3")).isFalse();
		Resource resource = this.store.resource("media/acme/c1/audio.mp3");
		assertThat(resource.contentLength()).isEqualTo(content.length);
		try (InputStream in = resource.getInputStream()) {
			assertThat(in.readAllBytes()).isEqualTo(content);
		}
		assertThat(this.store.location("media/acme/c1/audio.mp3"))
			.isEqualTo("s3://" + BUCKET + "/" + this.prefix + "/media/acme/c1/audio.mp3");
	}

	@Test
	void aLargeFileGoesUpInPartsAndReadsBackWholeAndInRanges() throws Exception {
		byte[] content = random(12 * 1024 * 1024 + 123);
		StoredFile stored = store(false).write("exports/acme/e1/rows.csv", new ByteArrayInputStream(content),
				Long.MAX_VALUE);

		assertThat(stored.size()).isEqualTo(content.length);
		assertThat(stored.sha256()).isEqualTo(sha256(content));
		Resource resource = this.store.resource("exports/acme/e1/rows.csv");
		try (InputStream in = resource.getInputStream()) {
			assertThat(in.readAllBytes()).isEqualTo(content);
		}
		// As a player seeking: skipped before reading, only the rest is asked for.
		try (InputStream in = resource.getInputStream()) {
			assertThat(in.skip(10_000_000)).isEqualTo(10_000_000);
			assertThat(in.readNBytes(1000)).isEqualTo(Arrays.copyOfRange(content, 10_000_000, 10_001_000));
		}
		assertThat(unfinishedUploads()).isZero();
	}

	@Test
	void contentOverTheLimitIsRefusedAndNothingIsLeft() {
		store(false);
		assertThatExceptionOfType(PayloadTooLargeException.class).isThrownBy(
				() -> this.store.write("media/acme/c1/small.mp3", new ByteArrayInputStream(random(2000)), 1000));
		// Over the limit in the second part: the upload begun is aborted.
		assertThatExceptionOfType(PayloadTooLargeException.class).isThrownBy(() -> this.store
			.write("media/acme/c1/large.mp3", new ByteArrayInputStream(random(8 * 1024 * 1024)), 7 * 1024 * 1024));
		assertThat(TestS3.keys(BUCKET, this.prefix)).isEmpty();
		assertThat(unfinishedUploads()).isZero();
	}

	@Test
	void aLocalFileIsMovedIntoTheStore() throws Exception {
		byte[] content = random(6 * 1024 * 1024);
		Path part = Files.write(this.temp.resolve("rows.csv.part"), content);

		assertThat(store(false).put("exports/acme/e2/rows.csv", part)).isEqualTo(content.length);

		assertThat(part).doesNotExist();
		try (InputStream in = this.store.resource("exports/acme/e2/rows.csv").getInputStream()) {
			assertThat(in.readAllBytes()).isEqualTo(content);
		}
	}

	@Test
	void aTreeIsDeletedWithEverythingUnderItAndNothingBeside() throws Exception {
		store(false);
		for (String path : new String[] { "media/acme/c1/audio.mp3", "media/acme/c1/artifacts/a1",
				"media/acme/c10/audio.mp3", "media/other/c1/audio.mp3" }) {
			this.store.write(path, new ByteArrayInputStream(new byte[] { 1 }), 10);
		}
		assertThat(this.store.delete("media/acme/c10/audio.mp3")).isTrue();
		assertThat(this.store.delete("media/acme/c10/audio.mp3")).isFalse();

		this.store.deleteTree("media/acme/c1");

		assertThat(TestS3.keys(BUCKET, this.prefix)).containsExactly(this.prefix + "/media/other/c1/audio.mp3");
	}

	@Test
	void unsafePathsAreRefused() {
		store(false);
		for (String path : new String[] { "../media/acme/x", "media//x", "/media/acme/x", "media/acme/..",
				"media/acme/a\\b", "media/acme/a\nb" }) {
			assertThatIllegalArgumentException().isThrownBy(() -> this.store.resource(path));
		}
	}

	@Test
	void aPresignedLinkDownloadsTheFileUnderItsNameWithoutOtherCredentials() throws Exception {
		byte[] content = "ID,Status\r\nc1,completed\r\n".getBytes(StandardCharsets.UTF_8);
		store(false).write("exports/acme/e3/rows.csv", new ByteArrayInputStream(content), 1024);
		assertThat(this.store.downloadLink("exports/acme/e3/rows.csv", "rows.csv", "text/csv")).isEmpty();
		this.store.close();

		URI link = store(true).downloadLink("exports/acme/e3/rows.csv", "rows.csv", "text/csv").orElseThrow();

		assertThat(link.toString()).startsWith(TestS3.endpoint() + "/" + BUCKET + "/" + this.prefix + "/exports/");
		HttpResponse<byte[]> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(link).build(), HttpResponse.BodyHandlers.ofByteArray());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(content);
		assertThat(response.headers().firstValue("Content-Disposition"))
			.hasValueSatisfying((disposition) -> assertThat(disposition).startsWith("attachment").contains("rows.csv"));
		// Altered, it opens nothing.
		URI altered = URI.create(link.toString().replace("/e3/", "/e4/"));
		assertThat(HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(altered).build(), HttpResponse.BodyHandlers.discarding())
			.statusCode()).isEqualTo(403);
	}

	@Test
	void settingsThatCannotWorkAreRefusedSayingWhatToFix() {
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> StorageConfiguration.s3(settings(null, "", false)))
			.withMessageContaining("ARCHIVE_STORAGE_S3_BUCKET is required");
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> StorageConfiguration.s3(settings("Not_A_Bucket!", "", false)))
			.withMessageContaining("a bucket name is 3 to 63");
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> StorageConfiguration.s3(settings(BUCKET, "/archive/../x", false)))
			.withMessageContaining("archive.storage.s3.prefix");
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> StorageConfiguration.s3(new StorageSettings.S3(BUCKET, "", TestS3.endpoint(), null,
					TestS3.ACCESS_KEY, null, true, false, Duration.ofMinutes(5), DataSize.ofMegabytes(5))))
			.withMessageContaining("go together");
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> StorageConfiguration.s3(new StorageSettings.S3(BUCKET, "", TestS3.endpoint(), null,
					TestS3.ACCESS_KEY, TestS3.SECRET_KEY, true, false, Duration.ofDays(8), DataSize.ofMegabytes(5))))
			.withMessageContaining("1 second to 7 days");
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> StorageConfiguration.s3(settings("no-such-bucket-" + this.prefix, "", false)))
			.withMessageContaining("does not exist");
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> StorageConfiguration
				.s3(new StorageSettings.S3(BUCKET, "", TestS3.endpoint(), null, TestS3.ACCESS_KEY, "a-wrong-secret-key",
						true, false, Duration.ofMinutes(5), DataSize.ofMegabytes(5))))
			.withMessageContaining("refused the credentials");
	}

	@Test
	void uploadsThatDiedAreAbortedAndLiveOnesAreNot() throws Exception {
		try (S3Client s3 = TestS3.client()) {
			s3.createMultipartUpload((create) -> create.bucket(BUCKET).key(this.prefix + "/media/acme/c1/audio.mp3"));
		}
		S3FileStore live = new S3FileStore(TestS3.client(),
				software.amazon.awssdk.services.s3.presigner.S3Presigner.builder()
					.region(software.amazon.awssdk.regions.Region.US_EAST_1)
					.build(),
				settings(BUCKET, this.prefix, false), Duration.ofHours(1));
		assertThat(live.removeAbandonedWrites("media")).isZero();
		live.close();
		S3FileStore sweeping = new S3FileStore(TestS3.client(),
				software.amazon.awssdk.services.s3.presigner.S3Presigner.builder()
					.region(software.amazon.awssdk.regions.Region.US_EAST_1)
					.build(),
				settings(BUCKET, this.prefix, false), Duration.ofMillis(-1000));
		assertThat(sweeping.removeAbandonedWrites("media")).isEqualTo(1);
		sweeping.close();
		assertThat(unfinishedUploads()).isZero();
	}

	private int unfinishedUploads() {
		try (S3Client s3 = TestS3.client()) {
			return s3.listMultipartUploads((list) -> list.bucket(BUCKET).prefix(this.prefix + "/")).uploads().size();
		}
	}

	private static byte[] random(int length) {
		byte[] bytes = new byte[length];
		new Random(length).nextBytes(bytes);
		return bytes;
	}

	private static String sha256(byte[] content) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
	}

}
