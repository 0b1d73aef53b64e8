package org.conversationarchive.media;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.conversationarchive.system.InvalidInputException;
import org.conversationarchive.system.UnsupportedMediaTypeException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class Mp3FramesTests {

	@Test
	void framesBehindAnId3TagAreCountedAndTimed() throws IOException {
		Mp3Frames mp3 = readAll(Mp3s.mp3(100, true), 8192);
		assertThat(mp3.frames()).isEqualTo(100);
		assertThat(mp3.durationSeconds()).isEqualTo(2.612);
	}

	@Test
	void theSameWhenTheBytesArriveOneByOne() throws IOException {
		Mp3Frames mp3 = readAll(Mp3s.mp3(7, true), 1);
		assertThat(mp3.frames()).isEqualTo(7);
		assertThat(mp3.durationSeconds()).isEqualTo(Mp3s.seconds(7));
	}

	@Test
	void framesWithoutATagAndWithPaddingSlotsAreWalked() throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (int i = 0; i < 10; i++) {
			// Every other frame has the padding slot: one byte longer.
			boolean padded = i % 2 == 1;
			out.writeBytes(Mp3s.frame(0xff, 0xfb, padded ? 0x92 : 0x90, 0x64, padded ? 418 : 417));
		}
		assertThat(readAll(out.toByteArray(), 4096).frames()).isEqualTo(10);
	}

	@Test
	void mpeg2FramesHoldHalfAsManySamples() throws IOException {
		// MPEG-2 Layer III, 64 kbps, 22.05 kHz: 72 * 64000 / 22050 = 208 bytes, 576
		// samples.
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (int i = 0; i < 50; i++) {
			out.writeBytes(Mp3s.frame(0xff, 0xf3, 0x80, 0x64, 208));
		}
		Mp3Frames mp3 = readAll(out.toByteArray(), 4096);
		assertThat(mp3.frames()).isEqualTo(50);
		assertThat(mp3.durationSeconds()).isEqualTo(Math.round(50 * 576 * 1000.0 / 22050) / 1000.0);
	}

	@Test
	void aTrailingId3v1TagAndJunkBetweenFramesAreSteppedOver() throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(Mp3s.mp3(3, false));
		out.writeBytes("junk".getBytes(StandardCharsets.US_ASCII));
		out.writeBytes(Mp3s.mp3(2, false));
		byte[] tag = new byte[128];
		tag[0] = 'T';
		tag[1] = 'A';
		tag[2] = 'G';
		out.writeBytes(tag);
		assertThat(readAll(out.toByteArray(), 100).frames()).isEqualTo(5);
	}

	@Test
	void otherContentIsRefusedSayingWhy() {
		byte[] png = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13 };
		assertNotMp3(png, "the body is not an MP3 recording: it starts with neither an ID3v2 tag nor an MPEG audio "
				+ "frame header");
		assertNotMp3("ID3\u0004\u0000\u0000\u0000\u0000\u0000\u0002ab".getBytes(StandardCharsets.ISO_8859_1),
				"it has an ID3v2 tag but no MPEG audio frame");
		assertNotMp3("ID3\u0004\u0000\u0000\u0000\u0000\u0001\u0000ab".getBytes(StandardCharsets.ISO_8859_1),
				"it ends inside its ID3v2 tag");
		assertNotMp3("ID3\u0004\u0000\u0000\u0080\u0000\u0000\u0000".getBytes(StandardCharsets.ISO_8859_1),
				"its ID3v2 tag header is malformed");
	}

	@Test
	void aLoneFrameHeaderFoundByChanceIsNotEnough() {
		byte[] bytes = new byte[2000];
		System.arraycopy(new byte[] { (byte) 0xff, (byte) 0xfb, (byte) 0x90, 0x64 }, 0, bytes, 0, 4);
		bytes[417] = 'x';
		assertNotMp3(bytes, "its first MPEG audio frame is not followed by another one (at byte 417)");
		assertNotMp3(new byte[] { (byte) 0xff, (byte) 0xfb, (byte) 0x90, 0x64, 0 },
				"it ends inside its first MPEG audio frame");
		// Layer II, free format and reserved values are not MP3 frames.
		assertNotMp3(Mp3s.frame(0xff, 0xfd, 0x90, 0x64, 417), "neither");
		assertNotMp3(Mp3s.frame(0xff, 0xfb, 0x00, 0x64, 417), "neither");
		assertNotMp3(Mp3s.frame(0xff, 0xfb, 0x9c, 0x64, 417), "neither");
	}

	@Test
	void anEmptyBodyIsInvalidInput() {
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> readAll(new byte[0], 10))
			.withMessage("the request body is empty; expected an MP3 recording");
	}

	private static void assertNotMp3(byte[] bytes, String reason) {
		assertThatExceptionOfType(UnsupportedMediaTypeException.class).isThrownBy(() -> readAll(bytes, 3))
			.withMessageContaining(reason);
	}

	private static Mp3Frames readAll(byte[] bytes, int chunk) throws IOException {
		Mp3Frames mp3 = new Mp3Frames(new ByteArrayInputStream(bytes));
		byte[] buffer = new byte[chunk];
		int total = 0;
		for (int read = mp3.read(buffer); read != -1; read = mp3.read(buffer)) {
			total += read;
		}
		assertThat(total).isEqualTo(bytes.length);
		return mp3;
	}

}
