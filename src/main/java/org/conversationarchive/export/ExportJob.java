package org.conversationarchive.export;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * An export job as the API shows it.
 *
 * @param id the job's id
 * @param kind {@code table-export}, {@code agent-history} or {@code scheduled-export}
 * @param status {@code queued}, {@code running}, {@code completed} or {@code failed}
 * @param rowCount rows in the file, once completed
 * @param progress how far it is
 * @param downloadUrl the signed link, while it works
 * @param expiresAt when the link stops working
 * @param error why it failed
 * @param fileName the download's name
 * @param description what it holds
 * @param createdAt when it was asked for
 */
public record ExportJob(String id, String kind, String status, @Nullable Long rowCount, Progress progress,
		@Nullable String downloadUrl, @Nullable Instant expiresAt, @Nullable String error, String fileName,
		@Nullable String description, Instant createdAt) {

	/**
	 * Rows (history: conversations) done, of how many.
	 *
	 * @param done done so far
	 * @param total to do, once known
	 */
	public record Progress(long done, @Nullable Long total) {
	}

}
