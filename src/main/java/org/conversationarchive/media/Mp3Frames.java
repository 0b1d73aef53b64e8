package org.conversationarchive.media;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.conversationarchive.system.InvalidInputException;
import org.conversationarchive.system.UnsupportedMediaTypeException;
import org.jspecify.annotations.Nullable;

/**
 * Checks that the bytes read through it are an MP3 recording, and measures it, as they
 * pass: an upload is validated and timed without ever being held in memory.
 * <p>
 * An MP3 here is: optional ID3v2 tags (with zero padding after them), then MPEG-1, -2 or
 * -2.5 Layer III frames, the first of which must be followed by another frame or by the
 * end. Between later frames, junk and tags of other kinds are stepped over to the next
 * frame of the same stream (as players do); an ID3v1 tag at the end is skipped. The
 * duration is the frames' samples over the sample rate, read from each frame header
 * (bitrate and sample rate tables of ISO 11172-3 and 13818-3); free-format frames, whose
 * length the header does not give, are not taken.
 * <p>
 * What is not an MP3 fails the read that reveals it, with an
 * {@link UnsupportedMediaTypeException} ({@code 415}) saying why; an empty body with an
 * {@link InvalidInputException}.
 */
final class Mp3Frames extends FilterInputStream {

	/**
	 * Zero bytes taken after an ID3v2 tag: some taggers pad beyond the size they record.
	 */
	private static final int MAX_PADDING = 64 * 1024;

	private static final int[] MPEG1_BITRATES = { 0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320 };

	private static final int[] MPEG2_BITRATES = { 0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160 };

	/**
	 * By the header's version bits: 0 is MPEG-2.5, 1 reserved, 2 MPEG-2, 3 MPEG-1.
	 */
	private static final int[][] SAMPLE_RATES = { { 11025, 12000, 8000 }, {}, { 22050, 24000, 16000 },
			{ 44100, 48000, 32000 } };

	private static final int ID3V1_LENGTH = 128;

	private final byte[] window = new byte[10];

	private final byte[] single = new byte[1];

	private int filled;

	private long position;

	private long skip;

	private boolean inFrames;

	private int tags;

	private long padding;

	private long frames;

	private long samples;

	private int sampleRate;

	private int signature;

	private long junk;

	private boolean finished;

	Mp3Frames(InputStream in) {
		super(in);
	}

	/**
	 * How long the recording plays, once it was read to its end.
	 * @return seconds, to the millisecond
	 */
	double durationSeconds() {
		if (!this.finished || this.sampleRate == 0) {
			throw new IllegalStateException("not read to its end yet");
		}
		return Math.round(this.samples * 1000.0 / this.sampleRate) / 1000.0;
	}

	/**
	 * How many frames it has, once it was read to its end.
	 * @return the number of frames
	 */
	long frames() {
		return this.frames;
	}

	@Override
	public int read() throws IOException {
		int b = this.in.read();
		if (b == -1) {
			finish();
		}
		else {
			this.single[0] = (byte) b;
			scan(this.single, 0, 1);
		}
		return b;
	}

	@Override
	public int read(byte[] bytes, int offset, int length) throws IOException {
		int read = this.in.read(bytes, offset, length);
		if (read == -1) {
			finish();
		}
		else {
			scan(bytes, offset, read);
		}
		return read;
	}

	@Override
	public long skip(long n) throws IOException {
		// Every byte has to be looked at: skip by reading.
		byte[] buffer = new byte[(int) Math.min(Math.max(n, 1), 8192)];
		long skipped = 0;
		while (skipped < n) {
			int read = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
			if (read == -1) {
				break;
			}
			skipped += read;
		}
		return skipped;
	}

	@Override
	public boolean markSupported() {
		return false;
	}

	private void scan(byte[] bytes, int offset, int length) {
		int i = offset;
		int end = offset + length;
		while (i < end) {
			if (this.skip > 0) {
				int passed = (int) Math.min(this.skip, end - i);
				this.skip -= passed;
				this.position += passed;
				i += passed;
				continue;
			}
			this.window[this.filled++] = bytes[i++];
			this.position++;
			if (this.inFrames) {
				lookForFrame();
			}
			else {
				lookForStart();
			}
		}
	}

	/**
	 * At the start: ID3v2 tags, the padding after them, and then the first frame.
	 */
	private void lookForStart() {
		if (this.tags > 0 && this.filled == 1 && this.window[0] == 0) {
			this.filled = 0;
			if (++this.padding > MAX_PADDING) {
				throw notMp3("its ID3v2 tag is followed by more than 64 KiB of padding, not by MPEG audio");
			}
			return;
		}
		if (this.filled < 3) {
			return;
		}
		if (startsWith("ID3")) {
			if (this.filled == this.window.length) {
				skipTag();
			}
			return;
		}
		if (this.filled < 4) {
			return;
		}
		Header header = header();
		if (header == null) {
			throw notMp3((this.tags == 0) ? "it starts with neither an ID3v2 tag nor an MPEG audio frame header"
					: "no MPEG audio frame header follows its ID3v2 tag (at byte " + (this.position - 4) + ")");
		}
		this.signature = header.signature();
		this.sampleRate = header.sampleRate();
		this.inFrames = true;
		frame(header);
	}

	/**
	 * Where the next frame should start: a frame, an ID3v1 tag, or junk to step over.
	 */
	private void lookForFrame() {
		if (this.filled < 3) {
			return;
		}
		if (startsWith("TAG")) {
			this.skip = ID3V1_LENGTH - this.filled;
			this.filled = 0;
			return;
		}
		if (this.filled < 4) {
			return;
		}
		Header header = header();
		if (header != null && header.signature() == this.signature) {
			frame(header);
			return;
		}
		if (this.frames == 1 && this.junk == 0) {
			// One frame header alone is too easily found by chance in other data.
			throw notMp3(
					"its first MPEG audio frame is not followed by another one (at byte " + (this.position - 4) + ")");
		}
		this.junk++;
		System.arraycopy(this.window, 1, this.window, 0, 3);
		this.filled = 3;
	}

	private void skipTag() {
		int major = this.window[3] & 0xff;
		int revision = this.window[4] & 0xff;
		int flags = this.window[5] & 0xff;
		long size = 0;
		for (int i = 6; i < 10; i++) {
			int b = this.window[i] & 0xff;
			if (b >= 0x80) {
				throw notMp3("its ID3v2 tag header is malformed");
			}
			size = (size << 7) | b;
		}
		if (major == 0xff || revision == 0xff) {
			throw notMp3("its ID3v2 tag header is malformed");
		}
		if (major >= 4 && (flags & 0x10) != 0) {
			size += 10;
		}
		this.tags++;
		this.padding = 0;
		this.filled = 0;
		this.skip = size;
	}

	private void frame(Header header) {
		this.frames++;
		this.samples += header.samples();
		this.filled = 0;
		this.skip = header.length() - 4;
	}

	private void finish() {
		if (this.finished) {
			return;
		}
		this.finished = true;
		if (this.position == 0) {
			throw new InvalidInputException("the request body is empty; expected an MP3 recording");
		}
		if (this.frames == 0) {
			if (this.skip > 0) {
				throw notMp3("it ends inside its ID3v2 tag");
			}
			throw notMp3((this.tags == 0) ? "it starts with neither an ID3v2 tag nor an MPEG audio frame header"
					: "it has an ID3v2 tag but no MPEG audio frame");
		}
		if (this.frames == 1 && this.skip > 0) {
			throw notMp3("it ends inside its first MPEG audio frame");
		}
	}

	private boolean startsWith(String marker) {
		byte[] bytes = marker.getBytes(StandardCharsets.US_ASCII);
		for (int i = 0; i < bytes.length; i++) {
			if (this.window[i] != bytes[i]) {
				return false;
			}
		}
		return true;
	}

	/**
	 * The MPEG audio Layer III frame header in the window, if it is a valid one.
	 */
	private @Nullable Header header() {
		return header(this.window[0] & 0xff, this.window[1] & 0xff, this.window[2] & 0xff, this.window[3] & 0xff);
	}

	static @Nullable Header header(int b0, int b1, int b2, int b3) {
		if (b0 != 0xff || (b1 & 0xe0) != 0xe0) {
			return null;
		}
		int version = (b1 >> 3) & 0x3;
		int layer = (b1 >> 1) & 0x3;
		int bitrateIndex = b2 >> 4;
		int rateIndex = (b2 >> 2) & 0x3;
		int paddingSlot = (b2 >> 1) & 0x1;
		int emphasis = b3 & 0x3;
		if (version == 1 || layer != 1 || bitrateIndex == 0 || bitrateIndex == 15 || rateIndex == 3 || emphasis == 2) {
			return null;
		}
		int bitrate = ((version == 3) ? MPEG1_BITRATES : MPEG2_BITRATES)[bitrateIndex] * 1000;
		int sampleRate = SAMPLE_RATES[version][rateIndex];
		int samples = (version == 3) ? 1152 : 576;
		int length = (samples / 8) * bitrate / sampleRate + paddingSlot;
		// Version, layer and sample rate stay the same from frame to frame of one stream.
		int signature = ((b1 & 0x1e) << 8) | (b2 & 0x0c);
		return new Header(length, samples, sampleRate, signature);
	}

	private static UnsupportedMediaTypeException notMp3(String reason) {
		return new UnsupportedMediaTypeException("the body is not an MP3 recording: " + reason);
	}

	/**
	 * What a frame header says.
	 *
	 * @param length the frame's length in bytes, header included
	 * @param samples samples per channel it holds
	 * @param sampleRate samples per second
	 * @param signature version, layer and sample rate, which a stream keeps throughout
	 */
	record Header(int length, int samples, int sampleRate, int signature) {
	}

}
