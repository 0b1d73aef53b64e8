package org.conversationarchive.export;

import java.io.IOException;
import java.time.Instant;

import org.conversationarchive.storage.FileStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;

/**
 * Removes export files once their link has expired.
 */
@Component
class ExportCleanup {

	private static final Logger logger = LoggerFactory.getLogger(ExportCleanup.class);

	private final ExportJobs jobs;

	private final ExportFolders folders;

	private final FileStore files;

	ExportCleanup(ExportJobs jobs, ExportFolders folders, FileStore files) {
		this.jobs = jobs;
		this.folders = folders;
		this.files = files;
	}

	@Scheduled(initialDelayString = "${archive.exports.cleanup-interval:5m}",
			fixedDelayString = "${archive.exports.cleanup-interval:5m}")
	void removeExpired() {
		for (ExportJobs.Export export : this.jobs.expiredBefore(Instant.now())) {
			try {
				// The export's own folder, wherever the data directory is now, and what
				// its run left on this instance's disk.
				this.files.deleteTree(this.folders.job(export.org(), export.id()));
				FileSystemUtils.deleteRecursively(this.folders.staging(export.org(), export.id()));
				this.jobs.expired(export.id());
			}
			catch (IOException | RuntimeException ex) {
				logger.warn("Could not remove the expired export {}: {}", export.id(), ex.toString());
			}
		}
	}

}
