package org.conversationarchive.media;

import java.nio.charset.StandardCharsets;

import org.conversationarchive.system.InvalidInputException;

/**
 * Where a conversation's files live in the file store:
 * {@code media/<org>/<conversation id>/audio.mp3} and
 * {@code media/<org>/<conversation id>/artifacts/<artifact id>}. An org or id becomes one
 * path segment: characters other than letters, digits, {@code .}, {@code _} and {@code -}
 * are percent-encoded (so {@code :} works on any file system, and no two ids share a
 * directory), and {@code .} and {@code ..} are refused outright.
 */
final class MediaPaths {

	static final String ROOT = "media";

	private MediaPaths() {
	}

	static String conversation(String org, String id) {
		return ROOT + "/" + segment("org", org) + "/" + segment("conversation id", id);
	}

	static String audio(String org, String id) {
		return conversation(org, id) + "/audio.mp3";
	}

	static String artifact(String org, String id, String artifactId) {
		return conversation(org, id) + "/artifacts/" + segment("artifact id", artifactId);
	}

	static String segment(String what, String value) {
		if (value.isEmpty() || value.equals(".") || value.equals("..")) {
			throw new InvalidInputException(
					what + " '" + value + "' cannot name a directory: files cannot be attached to it");
		}
		StringBuilder segment = new StringBuilder(value.length());
		for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
			int c = b & 0xff;
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
					|| c == '-') {
				segment.append((char) c);
			}
			else {
				segment.append('%')
					.append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
					.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
			}
		}
		return segment.toString();
	}

}
