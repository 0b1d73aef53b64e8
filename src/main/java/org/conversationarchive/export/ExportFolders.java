package org.conversationarchive.export;

import java.nio.file.Path;
import java.util.Optional;

import org.conversationarchive.storage.FileStore;
import org.conversationarchive.system.ArchiveSettings;
import org.conversationarchive.system.Folders;

import org.springframework.stereotype.Component;

/**
 * Where an org's export files live: {@code exports/<org>/} in the {@link FileStore},
 * which holds a folder per export job ({@code <export id>/}) and, under
 * {@code scheduled/}, the folders its schedules deliver to. A running export writes its
 * file under the same name in the data directory ({@code <data dir>/exports/<org>/<export
 * id>/}), chunk by chunk, and the finished file goes to the store (where the store is the
 * local disk, the same folder). Nothing an org names leads out of its folder (see
 * {@link Folders}).
 */
@Component
class ExportFolders {

	static final String ROOT = "exports";

	static final String SCHEDULED = "scheduled";

	private final Path local;

	ExportFolders(ArchiveSettings settings) {
		this.local = settings.dataDir().resolve(ROOT);
	}

	/**
	 * The folder of an export job in the store: where its file is, and what goes when its
	 * link expires.
	 * @param org the export's org
	 * @param exportId the export
	 * @return the folder's path in the store
	 */
	String job(String org, String exportId) {
		return ROOT + "/" + org + "/" + exportId;
	}

	/**
	 * Where an export's finished file is in the store, derived from the export alone
	 * (never from a location stored when it finished, which a moved data directory or
	 * another store makes wrong).
	 * @param export the export
	 * @return the file's path in the store
	 */
	String file(ExportJobs.Export export) {
		return job(export.org(), export.id()) + "/" + export.fileName();
	}

	/**
	 * The local folder a running export writes its file in.
	 * @param org the export's org
	 * @param exportId the export
	 * @return the folder
	 */
	Path staging(String org, String exportId) {
		return this.local.resolve(org).resolve(exportId);
	}

	/**
	 * The folder a schedule delivers to. Checked on the local disk too, where a link in
	 * the org's folder could lead out of it.
	 * @param org the schedule's org
	 * @param destination the folder, relative to the org's {@code scheduled/} folder
	 * @return the folder's path in the store, or empty when the destination is not a
	 * folder inside it
	 */
	Optional<String> destination(String org, String destination) {
		Path scheduled = this.local.resolve(org).resolve(SCHEDULED);
		return Folders.inside(scheduled, destination)
			.filter((folder) -> !folder.equals(scheduled))
			.map((folder) -> scheduled.toAbsolutePath().normalize().relativize(folder))
			.map((relative) -> String.join("/",
					java.util.stream.StreamSupport.stream(relative.spliterator(), false).map(Path::toString).toList()))
			.filter((relative) -> relative.chars().noneMatch((c) -> c == '\\' || c < 0x20 || c == 0x7f))
			.map((relative) -> ROOT + "/" + org + "/" + SCHEDULED + "/" + relative);
	}

}
