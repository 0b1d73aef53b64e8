package org.conversationarchive.platform;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.conversationarchive.conversation.Conversation;
import org.conversationarchive.generator.ConversationGenerator;
import org.conversationarchive.generator.Recording;

/**
 * A call's live audio as the platform streams it to a listener: a generated call's
 * recording, looped, sent frame by frame at the pace it plays, a little ahead so that a
 * player starts at once. The recording is made once (about a second) the first time
 * someone listens.
 */
final class ListenAudio {

	/** How far ahead of real time the stream runs. */
	static final long LEAD_MILLIS = 2000;

	private static final long TICK_MILLIS = 200;

	private static final int[] MPEG1_BITRATES = { 0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320 };

	private static final int[] MPEG2_BITRATES = { 0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160 };

	private static final int[][] SAMPLE_RATES = { { 11025, 12000, 8000 }, {}, { 22050, 24000, 16000 },
			{ 44100, 48000, 32000 } };

	private ListenAudio() {
	}

	/**
	 * Streams the audio until the call ends or the listener goes away.
	 * @param out the response body
	 * @param live whether the call still goes on
	 * @throws IOException when the listener went away
	 */
	static void stream(OutputStream out, BooleanSupplier live) throws IOException, InterruptedException {
		Clip clip = Clip.INSTANCE;
		long start = System.nanoTime();
		double sentMillis = 0;
		int frame = 0;
		while (live.getAsBoolean()) {
			long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
			while (sentMillis < elapsedMillis + LEAD_MILLIS) {
				out.write(clip.mp3, clip.offsets.get(frame), clip.lengths.get(frame));
				sentMillis += clip.frameMillis.get(frame);
				frame = (frame + 1) % clip.offsets.size();
			}
			out.flush();
			Thread.sleep(TICK_MILLIS);
		}
	}

	/**
	 * The recording of the first generated call that has one, cut into its frames.
	 */
	static final class Clip {

		static final Clip INSTANCE = new Clip(record());

		final byte[] mp3;

		final List<Integer> offsets = new ArrayList<>();

		final List<Integer> lengths = new ArrayList<>();

		final List<Double> frameMillis = new ArrayList<>();

		Clip(byte[] mp3) {
			this.mp3 = mp3;
			int at = 0;
			while (at + 4 <= mp3.length) {
				int b1 = mp3[at + 1] & 0xff;
				int b2 = mp3[at + 2] & 0xff;
				int version = (b1 >> 3) & 0x3;
				int layer = (b1 >> 1) & 0x3;
				int bitrateIndex = b2 >> 4;
				int rateIndex = (b2 >> 2) & 0x3;
				if ((mp3[at] & 0xff) != 0xff || (b1 & 0xe0) != 0xe0 || version == 1 || layer != 1 || bitrateIndex == 0
						|| bitrateIndex == 15 || rateIndex == 3) {
					throw new IllegalStateException("the recording has no Layer III frame at byte " + at);
				}
				int sampleRate = SAMPLE_RATES[version][rateIndex];
				int samples = (version == 3) ? 1152 : 576;
				int bitrate = ((version == 3) ? MPEG1_BITRATES : MPEG2_BITRATES)[bitrateIndex] * 1000;
				int length = (samples / 8) * bitrate / sampleRate + ((b2 >> 1) & 0x1);
				if (at + length > mp3.length) {
					break;
				}
				this.offsets.add(at);
				this.lengths.add(length);
				this.frameMillis.add(samples * 1000.0 / sampleRate);
				at += length;
			}
			if (this.offsets.isEmpty()) {
				throw new IllegalStateException("the recording has no frames");
			}
		}

		private static byte[] record() {
			Conversation call = new ConversationGenerator(1, ConversationGenerator.Options.of(200)).stream()
				.filter(Recording::canRecord)
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("no generated call can be recorded"));
			return Recording.mp3(call);
		}

	}

}
