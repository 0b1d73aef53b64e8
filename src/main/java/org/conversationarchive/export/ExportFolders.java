package org.conversationarchive.export;

import java.nio.file.Path;
import java.util.Optional;

import org.conversationarchive.system.ArchiveSettings;
import org.conversationarchive.system.Folders;

import org.springframework.stereotype.Component;

/**
 * Where an org's export files live: {@code <data dir>/exports/<org>/}, which holds a
 * folder per export job ({@code <export id>/}) and, under {@code scheduled/}, the folders
 * its schedules deliver to. Nothing an org names leads out of its folder (see
 * {@link Folders}).
 */
@Component
class ExportFolders {

	static final String SCHEDULED = "scheduled";

	private final Path root;

	ExportFolders(ArchiveSettings settings) {
		this.root = settings.dataDir().resolve("exports");
	}

	Path org(String org) {
		return this.root.resolve(org);
	}

	/**
	 * The folder of an export job: where it writes its file, and what goes when its link
	 * expires.
	 * @param org the export's org
	 * @param exportId the export
	 * @return the folder
	 */
	Path job(String org, String exportId) {
		return org(org).resolve(exportId);
	}

	/**
	 * Where an export's finished file is, derived from the export alone (never from a
	 * path stored when it finished, which a moved or differently spelled data directory
	 * makes wrong).
	 * @param export the export
	 * @return the file
	 */
	Path file(ExportJobs.Export export) {
		return job(export.org(), export.id()).resolve(export.fileName());
	}

	/**
	 * The folder a schedule delivers to.
	 * @param org the schedule's org
	 * @param destination the folder, relative to the org's {@code scheduled/} folder
	 * @return the folder, or empty when the destination is not a folder inside it
	 */
	Optional<Path> destination(String org, String destination) {
		Path scheduled = org(org).resolve(SCHEDULED);
		return Folders.inside(scheduled, destination).filter((folder) -> !folder.equals(scheduled));
	}

	/**
	 * Whether a file is in an org's folder.
	 * @param org the org
	 * @param file the file
	 * @return whether it is
	 */
	boolean holds(String org, Path file) {
		return Folders.holds(org(org), file);
	}

}
