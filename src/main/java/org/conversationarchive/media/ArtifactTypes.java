package org.conversationarchive.media;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * Which type an artifact is stored and served as. A browser must never run an artifact:
 * only a few types a browser shows without running anything are shown inline (PNG, JPEG
 * and PDF as themselves, CSV as plain text); everything else, SVG included (it can carry
 * script), is a download. The types shown inline are believed only when the bytes agree.
 */
final class ArtifactTypes {

	static final String OCTET_STREAM = MediaType.APPLICATION_OCTET_STREAM_VALUE;

	static final String CSV = "text/csv";

	private static final byte[] PNG = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

	private static final byte[] JPEG = { (byte) 0xff, (byte) 0xd8, (byte) 0xff };

	private static final byte[] PDF = "%PDF-".getBytes(StandardCharsets.US_ASCII);

	/**
	 * How many of the first bytes {@link #stored} needs.
	 */
	static final int HEAD_LENGTH = PNG.length;

	private ArtifactTypes() {
	}

	/**
	 * The type to store for an upload: the declared one without parameters, unless it is
	 * missing, unreadable, or a type shown inline whose bytes say otherwise.
	 * @param declared the type the client declared
	 * @param head the first bytes of the content (fewer when it is shorter)
	 * @return the type to store
	 */
	static String stored(@Nullable String declared, byte[] head) {
		String type = essence(declared);
		return switch (type) {
			case "image/png" -> startsWith(head, PNG) ? type : OCTET_STREAM;
			case "image/jpeg" -> startsWith(head, JPEG) ? type : OCTET_STREAM;
			case "application/pdf" -> startsWith(head, PDF) ? type : OCTET_STREAM;
			default -> type;
		};
	}

	/**
	 * How to serve an artifact of a stored type.
	 * @param stored its stored type
	 * @return the response's type, and whether the browser may show it
	 */
	static Served served(@Nullable String stored) {
		String type = essence(stored);
		return switch (type) {
			case "image/png", "image/jpeg", "application/pdf" -> new Served(MediaType.parseMediaType(type), true);
			case CSV -> new Served(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8), true);
			default -> new Served(MediaType.parseMediaType(type), false);
		};
	}

	/**
	 * A media type as {@code type/subtype}, lower-case, without parameters; the few
	 * aliases clients send for the types shown inline are taken as those.
	 */
	private static String essence(@Nullable String declared) {
		if (declared == null || declared.isBlank()) {
			return OCTET_STREAM;
		}
		try {
			MediaType type = MediaType.parseMediaType(declared);
			if (type.isWildcardType() || type.isWildcardSubtype()) {
				return OCTET_STREAM;
			}
			String essence = (type.getType() + "/" + type.getSubtype()).toLowerCase(Locale.ROOT);
			return switch (essence) {
				case "image/jpg", "image/pjpeg" -> "image/jpeg";
				case "application/csv", "text/comma-separated-values" -> CSV;
				default -> essence;
			};
		}
		catch (InvalidMediaTypeException ex) {
			return OCTET_STREAM;
		}
	}

	private static boolean startsWith(byte[] head, byte[] magic) {
		return head.length >= magic.length && Arrays.equals(head, 0, magic.length, magic, 0, magic.length);
	}

	/**
	 * How an artifact goes out.
	 *
	 * @param contentType the response's content type
	 * @param inline whether it may be shown in the browser (else it is an attachment)
	 */
	record Served(MediaType contentType, boolean inline) {
	}

}
