package org.conversationarchive.media;

import java.net.URI;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits of uploads, and where artifacts are served from.
 *
 * @param maxAudioSize largest call recording ({@code ARCHIVE_MEDIA_MAX_AUDIO_SIZE})
 * @param maxArtifactSize largest artifact ({@code ARCHIVE_MEDIA_MAX_ARTIFACT_SIZE})
 * @param artifactOrigin an origin of their own for artifacts, such as
 * {@code https://artifacts.example.com}, pointing at this service
 * ({@code ARCHIVE_MEDIA_ARTIFACT_ORIGIN}): the links to artifacts go there, so that a
 * file that somehow runs in a browser runs on an origin with nothing of the archive's.
 * Unset, links are relative to the API.
 */
@ConfigurationProperties("archive.media")
record MediaSettings(@DefaultValue("200MB") DataSize maxAudioSize, @DefaultValue("50MB") DataSize maxArtifactSize,
		@Nullable URI artifactOrigin) {

	MediaSettings {
		if (artifactOrigin != null && artifactOrigin.toString().isEmpty()) {
			artifactOrigin = null;
		}
		if (artifactOrigin != null) {
			String path = artifactOrigin.getRawPath();
			if (!artifactOrigin.isAbsolute() || artifactOrigin.getHost() == null
					|| !(artifactOrigin.getScheme().equals("https") || artifactOrigin.getScheme().equals("http"))
					|| (path != null && !path.isEmpty() && !path.equals("/")) || artifactOrigin.getRawQuery() != null
					|| artifactOrigin.getRawFragment() != null) {
				throw new IllegalArgumentException("archive.media.artifact-origin must be an origin such as "
						+ "https://artifacts.example.com (scheme, host and port only), not '" + artifactOrigin + "'");
			}
			artifactOrigin = URI.create(artifactOrigin.getScheme() + "://" + artifactOrigin.getRawAuthority());
		}
	}

	/**
	 * A limit as people write it, for problem details: {@code 200MB}, {@code 64KB}.
	 * @param size the limit
	 * @return how to show it
	 */
	static String describe(DataSize size) {
		long bytes = size.toBytes();
		if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
			return (bytes / (1024 * 1024)) + "MB";
		}
		if (bytes >= 1024 && bytes % 1024 == 0) {
			return (bytes / 1024) + "KB";
		}
		return bytes + " bytes";
	}

}
