package org.conversationarchive.storage;

/**
 * The paths a store takes: relative, every segment a plain name.
 */
final class StorePaths {

	private StorePaths() {
	}

	/**
	 * Refuses a path with an empty, {@code .} or {@code ..} segment, a backslash or a
	 * control character, or a leading {@code /}.
	 * @param path the path
	 * @return the path
	 * @throws IllegalArgumentException when it is not one
	 */
	static String checked(String path) {
		if (path.isEmpty() || path.startsWith("/")) {
			throw new IllegalArgumentException("not a relative path in the file store: '" + path + "'");
		}
		for (String segment : path.split("/", -1)) {
			if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.length() > 255
					|| segment.chars().anyMatch((c) -> c == '\\' || c < 0x20 || c == 0x7f)) {
				throw new IllegalArgumentException("unsafe path in the file store: '" + path + "'");
			}
		}
		return path;
	}

}
