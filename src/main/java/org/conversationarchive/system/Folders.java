package org.conversationarchive.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Keeps files in their folder: every file the archive writes or serves for an org lives
 * in that org's folder ({@code exports/<org>/}, {@code imports/<org>/},
 * {@code media/<org>/} under the data directory). A path is in a folder when its real
 * location is: {@code ..} and symbolic links are followed before comparing, so that
 * neither a name nor a link placed inside the folder leads out of it. The folder itself
 * may be a link (an operator's other disk).
 */
public final class Folders {

	private Folders() {
	}

	/**
	 * What a relative path names inside a folder.
	 * @param folder the folder
	 * @param relative the path, relative to it
	 * @return the path, or empty when it is not relative or leads out of the folder
	 */
	public static Optional<Path> inside(Path folder, String relative) {
		Path path;
		try {
			path = Path.of(relative);
		}
		catch (InvalidPathException ex) {
			return Optional.empty();
		}
		if (relative.isBlank() || path.isAbsolute() || path.getRoot() != null) {
			return Optional.empty();
		}
		Path resolved = folder.toAbsolutePath().normalize().resolve(path).normalize();
		return holds(folder, resolved) ? Optional.of(resolved) : Optional.empty();
	}

	/**
	 * Whether a path's real location is inside a folder's (or is the folder).
	 * @param folder the folder
	 * @param path the path, which need not exist yet
	 * @return whether it is in there
	 */
	public static boolean holds(Path folder, Path path) {
		Optional<Path> realFolder = real(folder);
		Optional<Path> realPath = real(path);
		return realFolder.isPresent() && realPath.isPresent() && realPath.get().startsWith(realFolder.get());
	}

	/**
	 * Where a path really is: the real location of the deepest part of it that exists,
	 * with the names that do not exist yet added to it.
	 */
	private static Optional<Path> real(Path path) {
		Path absolute = path.toAbsolutePath().normalize();
		Path existing = absolute;
		while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
			existing = existing.getParent();
		}
		if (existing == null) {
			return Optional.of(absolute);
		}
		try {
			// A dangling link has no real location: it leads nowhere we could check.
			return Optional.of(existing.toRealPath().resolve(existing.relativize(absolute)).normalize());
		}
		catch (IOException ex) {
			return Optional.empty();
		}
	}

}
