package org.conversationarchive.media;

import java.io.ByteArrayOutputStream;

/**
 * MP3s built in code: MPEG-1 Layer III frames of 128 kbps at 44.1 kHz (417 bytes each,
 * 1152 samples, silent payload), optionally behind an ID3v2 tag.
 */
public final class Mp3s {

	static final int FRAME_LENGTH = 417;

	static final int ID3_LENGTH = 10 + 20;

	private Mp3s() {
	}

	public static byte[] mp3(int frames, boolean id3) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		if (id3) {
			out.writeBytes(id3Tag(20));
		}
		for (int i = 0; i < frames; i++) {
			out.writeBytes(frame(0xff, 0xfb, 0x90, 0x64, FRAME_LENGTH));
		}
		return out.toByteArray();
	}

	static byte[] id3Tag(int size) {
		byte[] tag = new byte[10 + size];
		tag[0] = 'I';
		tag[1] = 'D';
		tag[2] = '3';
		tag[3] = 4;
		tag[9] = (byte) size;
		// The frames inside do not matter: a text frame's id, then zero padding.
		tag[10] = 'T';
		tag[11] = 'I';
		tag[12] = 'T';
		tag[13] = '2';
		return tag;
	}

	static byte[] frame(int b0, int b1, int b2, int b3, int length) {
		byte[] frame = new byte[length];
		frame[0] = (byte) b0;
		frame[1] = (byte) b1;
		frame[2] = (byte) b2;
		frame[3] = (byte) b3;
		return frame;
	}

	static double seconds(int frames) {
		return Math.round(frames * 1152 * 1000.0 / 44100) / 1000.0;
	}

}
