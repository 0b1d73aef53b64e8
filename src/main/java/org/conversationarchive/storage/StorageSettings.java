package org.conversationarchive.storage;

import java.net.URI;
import java.time.Duration;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/**
 * Where files are kept.
 *
 * @param type {@code local} (under the data directory, the default) or {@code s3} (any
 * S3-compatible object store) ({@code ARCHIVE_STORAGE_TYPE})
 * @param s3 the object store, when the type is {@code s3}
 */
@ConfigurationProperties("archive.storage")
public record StorageSettings(@DefaultValue("local") Type type, @DefaultValue S3 s3) {

	/**
	 * Kinds of store.
	 */
	public enum Type {

		/** Files under the data directory. */
		LOCAL,

		/** An S3-compatible object store. */
		S3

	}

	/**
	 * An S3-compatible object store ({@code ARCHIVE_STORAGE_S3_*}).
	 *
	 * @param bucket the bucket, which must exist
	 * @param prefix the first part of every key, so that several archives can share a
	 * bucket: {@code <prefix>/<area>/<org>/…}; empty for none
	 * @param endpoint the store's address, e.g. {@code http://minio:9000}; unset for AWS
	 * @param region the region; unset, AWS's usual sources ({@code AWS_REGION}, the
	 * profile), or {@code us-east-1} with an endpoint
	 * @param accessKey the access key; unset with the secret key, AWS's usual sources
	 * (environment, profile, instance or pod role)
	 * @param secretKey the secret key
	 * @param pathStyle addresses as {@code endpoint/bucket/key} rather than
	 * {@code bucket.endpoint/key} (most stores other than AWS need it)
	 * @param presignedDownloads answer a download link with a redirect to a presigned URL
	 * of the store, so that the file does not pass through the service
	 * @param presignedUrlValidity how long such a URL works (at most 7 days)
	 * @param partSize the part of a multipart upload: the memory each upload holds (at
	 * least 5MB)
	 */
	public record S3(@Nullable String bucket, @DefaultValue("") String prefix, @Nullable URI endpoint,
			@Nullable String region, @Nullable String accessKey, @Nullable String secretKey,
			@DefaultValue("false") boolean pathStyle, @DefaultValue("false") boolean presignedDownloads,
			@DefaultValue("15m") Duration presignedUrlValidity, @DefaultValue("16MB") DataSize partSize) {

		private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]");

		private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");

		/**
		 * Refuses settings that cannot work, naming the setting and what it takes.
		 * @throws InvalidConfigurationPropertyValueException when one is wrong
		 */
		void validate() {
			if (this.bucket == null || this.bucket.isBlank()) {
				throw new InvalidConfigurationPropertyValueException("archive.storage.s3.bucket", this.bucket,
						"ARCHIVE_STORAGE_S3_BUCKET is required with ARCHIVE_STORAGE_TYPE=s3: the bucket that holds "
								+ "the archive's files");
			}
			if (!BUCKET.matcher(this.bucket).matches() || this.bucket.contains("..")) {
				throw new InvalidConfigurationPropertyValueException("archive.storage.s3.bucket", this.bucket,
						"a bucket name is 3 to 63 lower-case letters, digits, '.', '_' or '-', starting and ending "
								+ "with a letter or digit");
			}
			if (!this.prefix.isEmpty() && (!PREFIX.matcher(this.prefix).matches()
					|| java.util.Arrays.stream(this.prefix.split("/")).anyMatch((s) -> s.equals(".") || s.equals(".."))
					|| this.prefix.length() > 200)) {
				throw new InvalidConfigurationPropertyValueException("archive.storage.s3.prefix", this.prefix,
						"a prefix is up to 200 characters of names of letters, digits, '.', '_' or '-' separated by "
								+ "'/' (no '.' or '..', no leading or trailing '/'), e.g. 'archive/production'");
			}
			if (this.endpoint != null && (!this.endpoint.isAbsolute() || this.endpoint.getHost() == null
					|| !(this.endpoint.getScheme().equals("http") || this.endpoint.getScheme().equals("https")))) {
				throw new InvalidConfigurationPropertyValueException("archive.storage.s3.endpoint", this.endpoint,
						"the endpoint is the store's http:// or https:// address, e.g. https://minio.example.com:9000");
			}
			if ((this.accessKey == null || this.accessKey.isBlank()) != (this.secretKey == null
					|| this.secretKey.isBlank())) {
				throw new InvalidConfigurationPropertyValueException("archive.storage.s3.access-key", "(hidden)",
						"ARCHIVE_STORAGE_S3_ACCESS_KEY and ARCHIVE_STORAGE_S3_SECRET_KEY go together: set both, or "
								+ "neither to use AWS's usual sources of credentials");
			}
			if (this.presignedUrlValidity.compareTo(Duration.ofSeconds(1)) < 0
					|| this.presignedUrlValidity.compareTo(Duration.ofDays(7)) > 0) {
				throw new InvalidConfigurationPropertyValueException("archive.storage.s3.presigned-url-validity",
						this.presignedUrlValidity, "a presigned URL is valid for 1 second to 7 days");
			}
			if (this.partSize.toBytes() < 5L * 1024 * 1024 || this.partSize.toBytes() > 1024L * 1024 * 1024) {
				throw new InvalidConfigurationPropertyValueException("archive.storage.s3.part-size", this.partSize,
						"a part of a multipart upload is 5MB to 1GB (each upload holds one in memory)");
			}
		}

		/**
		 * The key of a path of the store.
		 */
		String key(String path) {
			return this.prefix.isEmpty() ? path : this.prefix + "/" + path;
		}

	}

}
