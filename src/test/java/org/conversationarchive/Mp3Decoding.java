package org.conversationarchive;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import de.sciss.jump3r.mp3.MP3Data;
import de.sciss.jump3r.mp3.VBRTag;
import de.sciss.jump3r.mpg.Common;
import de.sciss.jump3r.mpg.Interface;
import de.sciss.jump3r.mpg.MPGLib;

/**
 * What an MP3 holds, read two independent ways: its frame headers walked one after
 * another to its end (as a player finds them), and its audio decoded by mpglib (the
 * decoder LAME ships) into samples, to hear whether there is sound in it.
 */
public final class Mp3Decoding {

	private static final int[] MPEG1_BITRATES = { 0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320 };

	private static final int[] MPEG2_BITRATES = { 0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160 };

	private static final int[][] SAMPLE_RATES = { { 11025, 12000, 8000 }, {}, { 22050, 24000, 16000 },
			{ 44100, 48000, 32000 } };

	private Mp3Decoding() {
	}

	/**
	 * The frames of an MP3 that is Layer III frames only, each header right where the one
	 * before it ends, the last one ending at the end.
	 * @param mp3 the bytes
	 * @return the frames
	 * @throws AssertionError where a frame header is missing, or the last frame is cut
	 */
	public static List<Frame> frames(byte[] mp3) {
		List<Frame> frames = new ArrayList<>();
		int at = 0;
		while (at < mp3.length) {
			if (at + 4 > mp3.length) {
				throw new AssertionError("a partial frame header at byte " + at);
			}
			int b1 = mp3[at + 1] & 0xff;
			int b2 = mp3[at + 2] & 0xff;
			int version = (b1 >> 3) & 0x3;
			int layer = (b1 >> 1) & 0x3;
			int bitrateIndex = b2 >> 4;
			int rateIndex = (b2 >> 2) & 0x3;
			if ((mp3[at] & 0xff) != 0xff || (b1 & 0xe0) != 0xe0 || version == 1 || layer != 1 || bitrateIndex == 0
					|| bitrateIndex == 15 || rateIndex == 3) {
				throw new AssertionError("no Layer III frame header at byte " + at + " (frame " + frames.size() + ")");
			}
			int sampleRate = SAMPLE_RATES[version][rateIndex];
			int samples = (version == 3) ? 1152 : 576;
			int bitrate = ((version == 3) ? MPEG1_BITRATES : MPEG2_BITRATES)[bitrateIndex] * 1000;
			int length = (samples / 8) * bitrate / sampleRate + ((b2 >> 1) & 0x1);
			if (at + length > mp3.length) {
				throw new AssertionError("the last frame is cut at byte " + mp3.length);
			}
			frames.add(new Frame(at, length, sampleRate, samples, ((mp3[at + 3] & 0xff) >> 6) == 3));
			at += length;
		}
		return frames;
	}

	/**
	 * How long the frames play.
	 * @param frames an MP3's frames
	 * @return seconds
	 */
	public static double seconds(List<Frame> frames) {
		return frames.stream().mapToDouble((frame) -> (double) frame.samples() / frame.sampleRate()).sum();
	}

	/**
	 * Decodes an MP3 to samples (the first channel).
	 * @param mp3 the bytes
	 * @return the samples and their rate
	 * @throws AssertionError when the decoder reports an error
	 */
	public static Pcm decode(byte[] mp3) {
		Common common = new Common();
		Interface decoderInterface = new Interface();
		decoderInterface.setModules(new VBRTag(), common);
		MPGLib decoder = new MPGLib();
		decoder.setModules(decoderInterface, common);
		MPGLib.mpstr_tag stream = decoder.hip_decode_init();
		short[] left = new short[1152 * 4];
		short[] right = new short[1152 * 4];
		MP3Data data = new MP3Data();
		Samples samples = new Samples();
		for (int offset = 0; offset < mp3.length; offset += 4096) {
			byte[] chunk = Arrays.copyOfRange(mp3, offset, Math.min(mp3.length, offset + 4096));
			int decoded = decoder.hip_decode1_headers(stream, chunk, chunk.length, left, right, data);
			while (decoded > 0) {
				samples.add(left, decoded);
				decoded = decoder.hip_decode1_headers(stream, chunk, 0, left, right, data);
			}
			if (decoded < 0) {
				throw new AssertionError("the decoder failed near byte " + offset);
			}
		}
		// A frame that gives no samples (the encoder's tag) stops a round above early:
		// what it left buffered comes out here, until nothing does.
		for (int idle = 0; idle < 3;) {
			int decoded = decoder.hip_decode1_headers(stream, new byte[0], 0, left, right, data);
			if (decoded < 0) {
				throw new AssertionError("the decoder failed at the end");
			}
			idle = (decoded == 0) ? idle + 1 : 0;
			samples.add(left, decoded);
		}
		decoder.hip_decode_exit(stream);
		return new Pcm(samples.toArray(), data.header_parsed ? data.samplerate : 0);
	}

	private static final class Samples {

		private short[] samples = new short[1 << 16];

		private int count;

		void add(short[] decoded, int length) {
			if (this.count + length > this.samples.length) {
				this.samples = Arrays.copyOf(this.samples, Math.max(this.samples.length * 2, this.count + length));
			}
			System.arraycopy(decoded, 0, this.samples, this.count, length);
			this.count += length;
		}

		short[] toArray() {
			return Arrays.copyOf(this.samples, this.count);
		}

	}

	/**
	 * A frame.
	 *
	 * @param offset where it starts
	 * @param length its bytes, header included
	 * @param sampleRate samples per second
	 * @param samples samples it holds
	 * @param mono whether its channel mode is mono
	 */
	public record Frame(int offset, int length, int sampleRate, int samples, boolean mono) {
	}

	/**
	 * Decoded audio.
	 *
	 * @param samples the first channel's samples
	 * @param sampleRate samples per second
	 */
	public record Pcm(short[] samples, int sampleRate) {

		public double seconds() {
			return (double) this.samples.length / this.sampleRate;
		}

		/**
		 * The root mean square of the samples in a stretch of time: about 0 for silence,
		 * thousands for speech.
		 * @param fromSeconds where it starts
		 * @param toSeconds where it ends
		 * @return the level
		 */
		public double rms(double fromSeconds, double toSeconds) {
			int from = (int) Math.max(0, fromSeconds * this.sampleRate);
			int to = (int) Math.min(this.samples.length, toSeconds * this.sampleRate);
			double energy = 0;
			for (int i = from; i < to; i++) {
				energy += (double) this.samples[i] * this.samples[i];
			}
			return (to > from) ? Math.sqrt(energy / (to - from)) : 0;
		}

	}

}
