package org.conversationarchive.media;

import java.net.URI;

import org.conversationarchive.conversation.Conversation.Artifact;
import org.conversationarchive.system.InvalidInputException;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class MediaPathsTests {

	@Test
	void everyOrgAndIdIsOneSafeSegment() {
		assertThat(MediaPaths.audio("acme", "call-1.x_y")).isEqualTo("media/acme/call-1.x_y/audio.mp3");
		assertThat(MediaPaths.artifact("acme", "sip:42", "a1")).isEqualTo("media/acme/sip%3A42/artifacts/a1");
		assertThat(MediaPaths.conversation("a/b", "../x")).isEqualTo("media/a%2Fb/..%2Fx");
		assertThat(MediaPaths.conversation("acme", "...")).isEqualTo("media/acme/...");
		assertThat(MediaPaths.conversation("ö", "x")).isEqualTo("media/%C3%B6/x");
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> MediaPaths.audio("acme", ".."))
			.withMessage("conversation id '..' cannot name a directory: files cannot be attached to it");
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> MediaPaths.audio("acme", "."));
	}

	@Test
	void artifactLinksGoToTheArtifactOriginWhenThereIsOne() {
		Artifact artifact = new Artifact("a1", "x.png", "image/png", 1L, null, "00", null, null);
		assertThat(new ArtifactUrls(settings(null)).url(artifact)).isEqualTo("/api/v1/artifacts/a1");
		assertThat(new ArtifactUrls(settings("https://artifacts.example.com/")).url(artifact))
			.isEqualTo("https://artifacts.example.com/api/v1/artifacts/a1");
		assertThat(new ArtifactUrls(settings("http://localhost:8081")).url(artifact))
			.isEqualTo("http://localhost:8081/api/v1/artifacts/a1");
		assertThat(settings("").artifactOrigin()).isNull();
	}

	@Test
	void anArtifactOriginIsAnOriginOnly() {
		for (String origin : new String[] { "artifacts.example.com", "ftp://artifacts.example.com",
				"https://artifacts.example.com/files", "https://artifacts.example.com?x=1", "/relative" }) {
			assertThatIllegalArgumentException().as(origin)
				.isThrownBy(() -> settings(origin))
				.withMessageContaining("archive.media.artifact-origin must be an origin");
		}
	}

	@Test
	void limitsReadAsTheyAreWritten() {
		assertThat(MediaSettings.describe(DataSize.ofMegabytes(200))).isEqualTo("200MB");
		assertThat(MediaSettings.describe(DataSize.ofKilobytes(64))).isEqualTo("64KB");
		assertThat(MediaSettings.describe(DataSize.ofBytes(1000))).isEqualTo("1000 bytes");
	}

	private static MediaSettings settings(String origin) {
		return new MediaSettings(DataSize.ofMegabytes(200), DataSize.ofMegabytes(50),
				(origin != null) ? URI.create(origin) : null);
	}

}
