package org.conversationarchive;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server for the test JVM: S3Proxy in-process, over jclouds'
 * in-memory blob store, started once on a free port of 127.0.0.1 and shared, as the tests
 * share their Elasticsearch. Each test class uses buckets of its own.
 */
public final class TestS3 {

	public static final String ACCESS_KEY = "test-access-key";

	public static final String SECRET_KEY = "test-secret-key-of-the-s3-tests";

	private static URI endpoint;

	private TestS3() {
	}

	/**
	 * The server's address, started at the first call.
	 * @return e.g. {@code http://127.0.0.1:41234}
	 */
	public static synchronized URI endpoint() {
		if (endpoint == null) {
			try {
				BlobStoreContext context = ContextBuilder.newBuilder("transient")
					.credentials("identity", "credential")
					.build(BlobStoreContext.class);
				S3Proxy proxy = S3Proxy.builder()
					.blobStore(context.getBlobStore())
					.endpoint(URI.create("http://127.0.0.1:0"))
					.awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
					.build();
				proxy.start();
				long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
				while (!"STARTED".equals(proxy.getState())) {
					if (System.nanoTime() > deadline) {
						throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
					}
					Thread.sleep(10);
				}
				endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
			}
			catch (Exception ex) {
				throw new IllegalStateException("Could not start S3Proxy", ex);
			}
		}
		return endpoint;
	}

	/**
	 * A client of the server, as the tests check what is in a bucket.
	 * @return a new client (close it)
	 */
	public static S3Client client() {
		return S3Client.builder()
			.httpClientBuilder(Apache5HttpClient.builder())
			.endpointOverride(endpoint())
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
			.forcePathStyle(true)
			.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
			.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
			.build();
	}

	/**
	 * Creates a bucket.
	 * @param name its name
	 * @return the name
	 */
	public static String bucket(String name) {
		try (S3Client s3 = client()) {
			s3.createBucket((create) -> create.bucket(name));
		}
		catch (software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException ex) {
			// Made by another context of the same test class.
		}
		return name;
	}

	/**
	 * The keys in a bucket under a prefix.
	 * @param bucket the bucket
	 * @param prefix the prefix
	 * @return its keys
	 */
	public static List<String> keys(String bucket, String prefix) {
		try (S3Client s3 = client()) {
			return s3.listObjectsV2Paginator((list) -> list.bucket(bucket).prefix(prefix))
				.contents()
				.stream()
				.map((object) -> object.key())
				.toList();
		}
	}

	/**
	 * Properties that put a test context's files in a bucket of the server.
	 * @param bucket the bucket
	 * @param more further properties
	 * @return the properties
	 */
	public static String[] properties(String bucket, String... more) {
		String[] common = { "archive.storage.type=s3", "archive.storage.s3.bucket=" + bucket,
				"archive.storage.s3.endpoint=" + endpoint(), "archive.storage.s3.access-key=" + ACCESS_KEY,
				"archive.storage.s3.secret-key=" + SECRET_KEY, "archive.storage.s3.path-style=true" };
		String[] all = java.util.Arrays.copyOf(common, common.length + more.length);
		System.arraycopy(more, 0, all, common.length, more.length);
		return all;
	}

}
