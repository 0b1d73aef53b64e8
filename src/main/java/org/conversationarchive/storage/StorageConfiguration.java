package org.conversationarchive.storage;

import java.net.URI;
import java.time.Duration;

import org.conversationarchive.system.ArchiveSettings;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Where the archive's files are kept: the local disk, or the bucket the settings name,
 * checked at start so that a wrong setting stops the service with a clear message rather
 * than failing the first upload.
 */
@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

	/**
	 * A multipart upload to the object store started this long ago died with its
	 * instance: an export of many gigabytes uploads in minutes.
	 */
	private static final Duration ABANDONED_UPLOADS = Duration.ofHours(24);

	@Bean
	FileStore fileStore(ArchiveSettings archive, StorageSettings settings) {
		return switch (settings.type()) {
			case LOCAL -> new LocalFileStore(archive.dataDir(), Duration.ofMinutes(10));
			case S3 -> s3(settings.s3());
		};
	}

	static S3FileStore s3(StorageSettings.S3 settings) {
		settings.validate();
		Region region = region(settings);
		AwsCredentialsProvider credentials = (settings.accessKey() != null && !settings.accessKey().isBlank())
				? StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(),
						java.util.Objects.requireNonNull(settings.secretKey())))
				: DefaultCredentialsProvider.builder().build();
		URI endpoint = settings.endpoint();
		var client = S3Client.builder()
			.httpClientBuilder(Apache5HttpClient.builder())
			.region(region)
			.credentialsProvider(credentials)
			.forcePathStyle(settings.pathStyle())
			// Checksums only where S3 requires them: not every S3-compatible store takes
			// the SDK's newer trailing checksums.
			.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
			.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
		var presigner = S3Presigner.builder()
			.region(region)
			.credentialsProvider(credentials)
			.serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build());
		if (endpoint != null) {
			client.endpointOverride(endpoint);
			presigner.endpointOverride(endpoint);
		}
		S3Client s3 = client.build();
		S3FileStore store = new S3FileStore(s3, presigner.build(), settings, ABANDONED_UPLOADS);
		try {
			s3.headBucket((head) -> head.bucket(settings.bucket()));
		}
		catch (SdkException ex) {
			store.close();
			throw new InvalidConfigurationPropertyValueException("archive.storage.s3.bucket", settings.bucket(),
					unreachable(settings, ex));
		}
		return store;
	}

	private static Region region(StorageSettings.S3 settings) {
		if (settings.region() != null && !settings.region().isBlank()) {
			return Region.of(settings.region());
		}
		if (settings.endpoint() != null) {
			// Most S3-compatible stores take any region; AWS's first is what they expect.
			return Region.US_EAST_1;
		}
		try {
			return DefaultAwsRegionProviderChain.builder().build().getRegion();
		}
		catch (SdkException ex) {
			throw new InvalidConfigurationPropertyValueException("archive.storage.s3.region", null,
					"ARCHIVE_STORAGE_S3_REGION is required for AWS S3 (e.g. eu-west-1), unless AWS_REGION or the "
							+ "AWS profile names one");
		}
	}

	private static String unreachable(StorageSettings.S3 settings, SdkException ex) {
		String where = "bucket '" + settings.bucket() + "' at "
				+ ((settings.endpoint() != null) ? settings.endpoint().toString() : "AWS S3");
		if (ex instanceof S3Exception refused) {
			return switch (refused.statusCode()) {
				case 404 -> where + " does not exist: create it, or set ARCHIVE_STORAGE_S3_BUCKET to one that does";
				case 301, 400 -> where + " refused the request (" + refused.statusCode()
						+ "): check ARCHIVE_STORAGE_S3_REGION and ARCHIVE_STORAGE_S3_PATH_STYLE";
				case 401, 403 -> where + " refused the credentials (" + refused.statusCode()
						+ "): check ARCHIVE_STORAGE_S3_ACCESS_KEY and ARCHIVE_STORAGE_S3_SECRET_KEY, and that they "
						+ "may read and write the bucket";
				default -> where + " answered " + refused.statusCode() + ": " + refused.getMessage();
			};
		}
		return where + " cannot be reached: " + ex.getMessage()
				+ " (check ARCHIVE_STORAGE_S3_ENDPOINT and the network)";
	}

}
