package org.conversationarchive.media;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

class ArtifactTypesTests {

	static final byte[] PNG = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

	@Test
	void typesShownInlineAreBelievedOnlyWhenTheBytesAgree() {
		assertThat(ArtifactTypes.stored("image/png", PNG)).isEqualTo("image/png");
		assertThat(ArtifactTypes.stored("image/png", "<svg>".getBytes(StandardCharsets.US_ASCII)))
			.isEqualTo("application/octet-stream");
		assertThat(ArtifactTypes.stored("image/jpg", new byte[] { (byte) 0xff, (byte) 0xd8, (byte) 0xff, 0 }))
			.isEqualTo("image/jpeg");
		assertThat(ArtifactTypes.stored("image/jpeg", PNG)).isEqualTo("application/octet-stream");
		assertThat(ArtifactTypes.stored("application/pdf", "%PDF-1.7".getBytes(StandardCharsets.US_ASCII)))
			.isEqualTo("application/pdf");
		assertThat(ArtifactTypes.stored("application/pdf", "<html>".getBytes(StandardCharsets.US_ASCII)))
			.isEqualTo("application/octet-stream");
		assertThat(ArtifactTypes.stored("image/png", new byte[0])).isEqualTo("application/octet-stream");
	}

	@Test
	void otherTypesAreKeptWithoutParameters() {
		assertThat(ArtifactTypes.stored("text/csv; charset=utf-8", new byte[0])).isEqualTo("text/csv");
		assertThat(ArtifactTypes.stored("Image/SVG+XML", new byte[0])).isEqualTo("image/svg+xml");
		assertThat(ArtifactTypes.stored(null, PNG)).isEqualTo("application/octet-stream");
		assertThat(ArtifactTypes.stored("*/*", PNG)).isEqualTo("application/octet-stream");
		assertThat(ArtifactTypes.stored("not a type", PNG)).isEqualTo("application/octet-stream");
	}

	@Test
	void onlyAFewTypesAreShownInline() {
		assertThat(ArtifactTypes.served("image/png")).isEqualTo(new ArtifactTypes.Served(MediaType.IMAGE_PNG, true));
		assertThat(ArtifactTypes.served("application/pdf").inline()).isTrue();
		assertThat(ArtifactTypes.served("text/csv"))
			.isEqualTo(new ArtifactTypes.Served(MediaType.parseMediaType("text/plain;charset=UTF-8"), true));
		assertThat(ArtifactTypes.served("image/svg+xml").inline()).isFalse();
		assertThat(ArtifactTypes.served("text/html").inline()).isFalse();
		assertThat(ArtifactTypes.served("application/octet-stream").inline()).isFalse();
	}

	@Test
	void namesLoseDirectoriesAndCharactersThatDisguiseThem() {
		assertThat(ArtifactController.name("C:\\Users\\x\\chart.png")).isEqualTo("chart.png");
		assertThat(ArtifactController.name("../../etc/passwd")).isEqualTo("passwd");
		assertThat(ArtifactController.name("invoice\u202Efdp.exe")).isEqualTo("invoicefdp.exe");
		assertThat(ArtifactController.name("a\r\nb.csv")).isEqualTo("ab.csv");
		assertThat(ArtifactController.name("..")).isEqualTo("artifact");
		assertThat(ArtifactController.name(null)).isEqualTo("artifact");
		assertThat(ArtifactController.name("x".repeat(300))).hasSize(255);
	}

}
