package org.conversationarchive.storage;

import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.conversationarchive.system.PayloadTooLargeException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import org.springframework.core.io.AbstractResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;

/**
 * The {@link FileStore} on an S3-compatible object store: a path is the key
 * {@code <prefix>/<path>} of one bucket. A file of up to one part is one PUT; a larger
 * one is a multipart upload, a part at a time, so an upload holds one part in memory
 * however large the file, and the object appears only when the upload completes (whole or
 * not at all). An upload that died with its instance is aborted by the next sweep once it
 * is older than any live upload can be. Reads stream; a read that starts by skipping asks
 * the store for that range only (a player seeking in a recording).
 */
class S3FileStore implements FileStore, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(S3FileStore.class);

	private final S3Client s3;

	private final S3Presigner presigner;

	private final StorageSettings.S3 settings;

	private final String bucket;

	private final int partSize;

	private final Duration abandonedAfter;

	/**
	 * A store in a bucket.
	 * @param s3 the client
	 * @param presigner what signs download links
	 * @param settings the bucket, prefix and part size
	 * @param abandonedAfter an upload started this long ago is one that died: no live
	 * upload takes so long
	 */
	S3FileStore(S3Client s3, S3Presigner presigner, StorageSettings.S3 settings, Duration abandonedAfter) {
		this.s3 = s3;
		this.presigner = presigner;
		this.settings = settings;
		this.bucket = java.util.Objects.requireNonNull(settings.bucket());
		this.partSize = (int) settings.partSize().toBytes();
		this.abandonedAfter = abandonedAfter;
	}

	@Override
	public StoredFile write(String path, InputStream content, long maxBytes) throws IOException {
		String key = key(path);
		MessageDigest digest = sha256();
		byte[] part = new byte[this.partSize];
		long size = 0;
		int length = fill(content, part);
		size += length;
		requireWithin(size, maxBytes);
		digest.update(part, 0, length);
		if (length < part.length) {
			// Ended within the first part: one request.
			try {
				this.s3.putObject((put) -> put.bucket(this.bucket).key(key),
						RequestBody.fromInputStream(new ByteArrayInputStream(part, 0, length), length));
			}
			catch (SdkException ex) {
				throw failure("store " + location(path), ex);
			}
			return new StoredFile(size, HexFormat.of().formatHex(digest.digest()));
		}
		String upload;
		try {
			upload = this.s3.createMultipartUpload((create) -> create.bucket(this.bucket).key(key)).uploadId();
		}
		catch (SdkException ex) {
			throw failure("start uploading " + location(path), ex);
		}
		boolean completed = false;
		try {
			List<CompletedPart> parts = new ArrayList<>();
			int filled = length;
			while (filled > 0) {
				int number = parts.size() + 1;
				int bytes = filled;
				String etag = this.s3
					.uploadPart((request) -> request.bucket(this.bucket).key(key).uploadId(upload).partNumber(number),
							RequestBody.fromInputStream(new ByteArrayInputStream(part, 0, bytes), bytes))
					.eTag();
				parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
				filled = fill(content, part);
				size += filled;
				requireWithin(size, maxBytes);
				digest.update(part, 0, filled);
			}
			this.s3.completeMultipartUpload((complete) -> complete.bucket(this.bucket)
				.key(key)
				.uploadId(upload)
				.multipartUpload((done) -> done.parts(parts)));
			completed = true;
		}
		catch (SdkException ex) {
			throw failure("upload " + location(path), ex);
		}
		finally {
			if (!completed) {
				abort(key, upload);
			}
		}
		return new StoredFile(size, HexFormat.of().formatHex(digest.digest()));
	}

	@Override
	public long put(String path, Path file) throws IOException {
		StoredFile stored;
		try (InputStream content = Files.newInputStream(file)) {
			stored = write(path, content, Long.MAX_VALUE);
		}
		Files.delete(file);
		return stored.size();
	}

	@Override
	public Resource resource(String path) {
		return new S3Resource(key(path));
	}

	@Override
	public boolean exists(String path) throws IOException {
		return head(key(path)) != null;
	}

	@Override
	public boolean delete(String path) throws IOException {
		String key = key(path);
		if (head(key) == null) {
			return false;
		}
		try {
			this.s3.deleteObject((delete) -> delete.bucket(this.bucket).key(key));
		}
		catch (SdkException ex) {
			throw failure("delete " + location(path), ex);
		}
		return true;
	}

	@Override
	public void deleteTree(String path) throws IOException {
		String prefix = key(path) + "/";
		try {
			// One at a time: a tree is a conversation's files or an export's, a handful;
			// and a multi-object delete needs checksums not every S3-compatible store
			// takes alike.
			for (S3Object object : this.s3.listObjectsV2Paginator((list) -> list.bucket(this.bucket).prefix(prefix))
				.contents()) {
				this.s3.deleteObject((delete) -> delete.bucket(this.bucket).key(object.key()));
			}
		}
		catch (SdkException ex) {
			throw failure("delete " + location(path) + "/", ex);
		}
	}

	@Override
	public int removeAbandonedWrites(String path) throws IOException {
		String prefix = key(path) + "/";
		Instant before = Instant.now().minus(this.abandonedAfter);
		int removed = 0;
		try {
			for (MultipartUpload upload : this.s3
				.listMultipartUploadsPaginator((list) -> list.bucket(this.bucket).prefix(prefix))
				.uploads()) {
				if (upload.initiated() != null && upload.initiated().isBefore(before)) {
					abort(upload.key(), upload.uploadId());
					logger.info("Aborted the upload of s3://{}/{}, started {} and never finished", this.bucket,
							upload.key(), upload.initiated());
					removed++;
				}
			}
		}
		catch (SdkException ex) {
			throw failure("list the unfinished uploads under " + location(path), ex);
		}
		return removed;
	}

	@Override
	public Optional<URI> downloadLink(String path, String fileName, String contentType) {
		if (!this.settings.presignedDownloads()) {
			return Optional.empty();
		}
		String key = key(path);
		String disposition = ContentDisposition.attachment()
			.filename(fileName, StandardCharsets.UTF_8)
			.build()
			.toString();
		return Optional.of(URI.create(
				this.presigner
					.presignGetObject((presign) -> presign.signatureDuration(this.settings.presignedUrlValidity())
						.getObjectRequest((get) -> get.bucket(this.bucket)
							.key(key)
							.responseContentDisposition(disposition)
							.responseContentType(contentType)
							.responseCacheControl("private, no-store")))
					.url()
					.toString()));
	}

	@Override
	public String location(String path) {
		return "s3://" + this.bucket + "/" + key(path);
	}

	@Override
	public void close() {
		this.presigner.close();
		this.s3.close();
	}

	private String key(String path) {
		return this.settings.key(StorePaths.checked(path));
	}

	private @Nullable HeadObjectResponse head(String key) throws IOException {
		try {
			return this.s3.headObject((head) -> head.bucket(this.bucket).key(key));
		}
		catch (S3Exception ex) {
			if (ex.statusCode() == 404) {
				return null;
			}
			throw failure("read s3://" + this.bucket + "/" + key, ex);
		}
		catch (SdkException ex) {
			throw failure("read s3://" + this.bucket + "/" + key, ex);
		}
	}

	private void abort(String key, String upload) {
		try {
			this.s3.abortMultipartUpload((abort) -> abort.bucket(this.bucket).key(key).uploadId(upload));
		}
		catch (SdkException ex) {
			// Its parts stay until the sweep at the next start (or the bucket's lifecycle
			// rule) aborts it.
			logger.warn("Could not abort the upload of s3://{}/{}: {}", this.bucket, key, ex.toString());
		}
	}

	private static void requireWithin(long size, long maxBytes) {
		if (size > maxBytes) {
			throw new PayloadTooLargeException("the content is larger than the limit of " + maxBytes + " bytes");
		}
	}

	/**
	 * Reads until the buffer is full or the stream ends.
	 */
	private static int fill(InputStream content, byte[] buffer) throws IOException {
		int filled = 0;
		while (filled < buffer.length) {
			int read = content.read(buffer, filled, buffer.length - filled);
			if (read == -1) {
				break;
			}
			filled += read;
		}
		return filled;
	}

	private static IOException failure(String what, SdkException ex) {
		return new IOException("Could not " + what + ": " + ex.getMessage(), ex);
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every JDK has SHA-256", ex);
		}
	}

	/**
	 * An object, read lazily: its metadata once, its content on each open.
	 */
	private final class S3Resource extends AbstractResource {

		private final String key;

		private volatile @Nullable HeadObjectResponse head;

		S3Resource(String key) {
			this.key = key;
		}

		@Override
		public boolean exists() {
			try {
				return head() != null;
			}
			catch (IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
		}

		@Override
		public long contentLength() throws IOException {
			return existing().contentLength();
		}

		@Override
		public long lastModified() throws IOException {
			return existing().lastModified().toEpochMilli();
		}

		@Override
		public String getFilename() {
			return this.key.substring(this.key.lastIndexOf('/') + 1);
		}

		@Override
		public String getDescription() {
			return "object s3://" + S3FileStore.this.bucket + "/" + this.key;
		}

		@Override
		public InputStream getInputStream() {
			return new ObjectStream(this.key);
		}

		private @Nullable HeadObjectResponse head() throws IOException {
			HeadObjectResponse found = this.head;
			if (found == null) {
				found = S3FileStore.this.head(this.key);
				this.head = found;
			}
			return found;
		}

		private HeadObjectResponse existing() throws IOException {
			HeadObjectResponse found = head();
			if (found == null) {
				throw new FileNotFoundException(getDescription() + " does not exist");
			}
			return found;
		}

	}

	/**
	 * An object's content from where the first read finds it: skipping before the first
	 * read asks for the rest of the object from there instead of reading past it.
	 */
	private final class ObjectStream extends InputStream {

		private final String key;

		private long offset;

		private @Nullable ResponseInputStream<GetObjectResponse> in;

		private boolean ended;

		ObjectStream(String key) {
			this.key = key;
		}

		@Override
		public int read() throws IOException {
			int b = open().read();
			this.ended = (b == -1);
			return b;
		}

		@Override
		public int read(byte[] bytes, int offset, int length) throws IOException {
			int read = open().read(bytes, offset, length);
			this.ended = (read == -1);
			return read;
		}

		@Override
		public long skip(long n) throws IOException {
			if (this.in == null && n > 0) {
				this.offset += n;
				return n;
			}
			return open().skip(n);
		}

		@Override
		public void close() throws IOException {
			if (this.in != null) {
				if (!this.ended) {
					// Not read to its end (a player that stopped): drop the connection
					// rather than read the rest of the object to reuse it.
					this.in.abort();
				}
				this.in.close();
			}
		}

		private InputStream open() throws IOException {
			if (this.in == null) {
				long from = this.offset;
				try {
					this.in = S3FileStore.this.s3.getObject((get) -> {
						get.bucket(S3FileStore.this.bucket).key(this.key);
						if (from > 0) {
							get.range("bytes=" + from + "-");
						}
					});
				}
				catch (S3Exception ex) {
					if (ex.statusCode() == 404) {
						throw new FileNotFoundException(
								"object s3://" + S3FileStore.this.bucket + "/" + this.key + " does not exist");
					}
					throw failure("read s3://" + S3FileStore.this.bucket + "/" + this.key, ex);
				}
				catch (SdkException ex) {
					throw failure("read s3://" + S3FileStore.this.bucket + "/" + this.key, ex);
				}
			}
			return this.in;
		}

	}

}
