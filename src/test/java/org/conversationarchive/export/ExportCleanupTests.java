package org.conversationarchive.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.conversationarchive.storage.FileStore;
import org.conversationarchive.system.ArchiveSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;

/**
 * Expired exports' files go wherever the data directory is now: their folder is derived
 * from the export, not from the path recorded when it finished.
 */
class ExportCleanupTests {

	@TempDir
	Path home;

	final ExportJobs jobs = mock(ExportJobs.class);

	@Test
	void anExpiredExportIsRemovedFromADataDirectoryThatMovedSinceItFinished() throws IOException {
		// Finished under the old place; the data directory was moved (restored to
		// another disk) since, and the service started on it.
		Path before = this.home.resolve("old/data");
		Path now = this.home.resolve("new/data");
		Path file = now.resolve("exports/acme/e1/conversations.csv");
		Files.createDirectories(file.getParent());
		Files.writeString(file, "ID\r\n");
		ExportJobs.Export expired = new ExportJobs.Export("e1", "acme", "user", Exports.TABLE, null, null,
				"conversations.csv", before.resolve("exports/acme/e1/conversations.csv").toString(), 4L, 0L, 0, 0L,
				null, Instant.now(), Instant.now(), Instant.now().minusSeconds(1), false);
		given(this.jobs.expiredBefore(any())).willReturn(List.of(expired));
		ExportFolders folders = new ExportFolders(new ArchiveSettings(now));
		FileStore files = mock(FileStore.class);

		new ExportCleanup(this.jobs, folders, files).removeExpired();

		// The folder in the store, and what its run left on this instance's disk.
		then(files).should().deleteTree("exports/acme/e1");
		assertThat(file.getParent()).doesNotExist();
		assertThat(now.resolve("exports/acme")).isDirectory();
		then(this.jobs).should().expired("e1");
	}

	@Test
	void theFileOfAnExportIsInItsOwnFolderUnderItsName() {
		ExportFolders folders = new ExportFolders(new ArchiveSettings(this.home.resolve("data")));
		ExportJobs.Export export = new ExportJobs.Export("e2", "acme", "user", Exports.TABLE, null, null, "rows.csv",
				"/somewhere/else/rows.csv", 4L, 0L, 0, 0L, null, Instant.now(), Instant.now(), Instant.now(), false);

		assertThat(folders.file(export)).isEqualTo("exports/acme/e2/rows.csv");
		assertThat(folders.staging("acme", "e2")).isEqualTo(this.home.resolve("data/exports/acme/e2"));
	}

}
