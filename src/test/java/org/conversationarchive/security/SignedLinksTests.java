package org.conversationarchive.security;

import java.time.Duration;
import java.time.Instant;

import org.conversationarchive.system.NotFoundException;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SignedLinksTests {

	final SignedLinks links = links("a secret of the archive, long enough");

	@Test
	void aSignedLinkOpensWhatItNames() {
		SignedLinks.Link link = new SignedLinks.Link("acme", "export", "job-1", Instant.now().plusSeconds(60));
		assertThat(this.links.verify(this.links.sign(link), "export")).isEqualTo(new SignedLinks.Link("acme", "export",
				"job-1", Instant.ofEpochSecond(link.expiresAt().getEpochSecond())));
	}

	@Test
	void forgedAlteredExpiredOrMisusedLinksAreRefused() {
		String token = this.links.sign(new SignedLinks.Link("acme", "export", "job-1", Instant.now().plusSeconds(60)));
		String payload = token.substring(0, token.indexOf('.'));
		String altered = java.util.Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(
					new String(java.util.Base64.getUrlDecoder().decode(payload)).replace("job-1", "job-2").getBytes());
		refused(altered + token.substring(token.indexOf('.')), "export");
		refused(token, "history");
		refused(links("another secret entirely, also long")
			.sign(new SignedLinks.Link("acme", "export", "job-1", Instant.now().plusSeconds(60))), "export");
		refused(this.links.sign(new SignedLinks.Link("acme", "export", "job-1", Instant.now().minusSeconds(1))),
				"export");
		refused("not-a-token", "export");
		refused(token.substring(0, token.length() - 2), "export");
	}

	private void refused(String token, String kind) {
		assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> this.links.verify(token, kind));
	}

	private static SignedLinks links(String secret) {
		return new SignedLinks(new SecuritySettings(null, new SecuritySettings.Jwt("org", "role", "sub"), 20,
				DataSize.ofMegabytes(10), DataSize.ofGigabytes(2), secret, Duration.ofHours(24)), null);
	}

}
