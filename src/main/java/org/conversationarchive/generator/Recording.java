package org.conversationarchive.generator;

import java.io.ByteArrayOutputStream;
import java.time.Duration;

import javax.sound.sampled.AudioFormat;

import de.sciss.jump3r.lowlevel.LameEncoder;
import org.conversationarchive.conversation.Conversation;
import org.conversationarchive.conversation.Platform;

/**
 * The recording of a generated call, as a phone system hands it over: an MP3 (MPEG-2
 * Layer III, 16 kHz mono, 24 kbps, about 180 KB a minute) as long as the call, in which
 * the speakers take their turns when the transcript says (see {@link Speech}). The same
 * call always gives the same bytes.
 */
public final class Recording {

	/** The longest call recorded: about half a megabyte, encoded in about a second. */
	public static final Duration LONGEST = Duration.ofMinutes(3);

	private static final int KILOBITS_PER_SECOND = 24;

	/** Two MPEG-2 frames. */
	private static final int TRAILING_SAMPLES = 2 * 576;

	private Recording() {
	}

	/**
	 * Whether a conversation is a call that can have a recording: an AI voice call that
	 * ended after someone spoke, no longer than {@link #LONGEST}.
	 * @param conversation a conversation
	 * @return whether {@link #mp3} takes it
	 */
	public static boolean canRecord(Conversation conversation) {
		if (conversation.platform() != Platform.VOICE || conversation.endedAt() == null
				|| conversation.messages() == null || conversation.messages().isEmpty()) {
			return false;
		}
		Duration length = Duration.between(conversation.startedAt(), conversation.endedAt());
		return !length.isNegative() && length.compareTo(LONGEST) <= 0 && length.toSeconds() >= 1;
	}

	/**
	 * The call's recording.
	 * @param call a call that {@link #canRecord can have one}
	 * @return the MP3's bytes
	 * @throws IllegalArgumentException when the call cannot have a recording
	 */
	public static byte[] mp3(Conversation call) {
		if (!canRecord(call)) {
			throw new IllegalArgumentException(call.id() + " is not a voice call of at most " + LONGEST);
		}
		short[] samples = Speech.of(call);
		// Silence after the end, which the encoder's delay would otherwise cut short.
		byte[] pcm = new byte[(samples.length + TRAILING_SAMPLES) * 2];
		for (int i = 0; i < samples.length; i++) {
			pcm[2 * i] = (byte) samples[i];
			pcm[2 * i + 1] = (byte) (samples[i] >> 8);
		}
		// The fastest of LAME's algorithms: a murmur of vowels needs no finer one.
		LameEncoder encoder = new LameEncoder(new AudioFormat(Speech.SAMPLE_RATE, 16, 1, true, false),
				KILOBITS_PER_SECOND, LameEncoder.CHANNEL_MODE_MONO, LameEncoder.QUALITY_LOWEST, false);
		try {
			ByteArrayOutputStream mp3 = new ByteArrayOutputStream(samples.length / 5);
			byte[] buffer = new byte[encoder.getMP3BufferSize()];
			int chunk = encoder.getPCMBufferSize();
			for (int offset = 0; offset < pcm.length; offset += chunk) {
				mp3.write(buffer, 0, encoder.encodeBuffer(pcm, offset, Math.min(chunk, pcm.length - offset), buffer));
			}
			mp3.write(buffer, 0, encoder.encodeFinish(buffer));
			return mp3.toByteArray();
		}
		finally {
			encoder.close();
		}
	}

}
