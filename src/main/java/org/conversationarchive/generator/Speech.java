package org.conversationarchive.generator;

import java.time.Duration;
import java.time.Instant;

import org.conversationarchive.conversation.Conversation;
import org.conversationarchive.conversation.Conversation.Message;
import org.conversationarchive.conversation.SenderType;

/**
 * The sound of a call, as 16-bit mono PCM: each spoken message a murmur of syllables in
 * its speaker's voice, ending when the transcript says it was said, over a faint line
 * hiss. Not words, but it sounds like people taking turns: a lower, even voice for the AI
 * agent, others for the caller and a live agent.
 * <p>
 * A syllable is a vowel: harmonics of the voice's pitch weighted by the vowel's two
 * formants, computed once per syllable as one period and played at a gliding pitch, so a
 * minute of speech takes a few tens of milliseconds.
 */
final class Speech {

	static final int SAMPLE_RATE = 16_000;

	private static final long SALT = 0x5BEEC4L;

	/** First and second formants of a, e, i, o, u (Hz). */
	private static final int[][] VOWELS = { { 730, 1090 }, { 530, 1840 }, { 270, 2290 }, { 570, 840 }, { 300, 870 } };

	private static final int PERIOD = 512;

	/** How long a character takes to say, as the generator's clock has it. */
	private static final int MILLIS_PER_CHARACTER = 65;

	private static final double HISS = 0.003;

	private final Rng rng;

	private final short[] samples;

	private Speech(Rng rng, int length) {
		this.rng = rng;
		this.samples = new short[length];
	}

	/**
	 * The sound of a call from its start to its end.
	 * @param call a conversation with a start and an end
	 * @return its samples at {@link #SAMPLE_RATE}
	 */
	static short[] of(Conversation call) {
		Instant start = call.startedAt();
		Instant end = (call.endedAt() != null) ? call.endedAt() : ConversationGenerator.lastMoment(call);
		int length = (int) (Duration.between(start, end).toMillis() * SAMPLE_RATE / 1000);
		Speech speech = new Speech(Rng.of(Rng.mix(call.id().hashCode()), SALT, 0), length);
		double callerPitch = speech.rng.between(175, 235);
		long previousEnd = 0;
		for (Message message : call.messages()) {
			long said = Duration.between(start, message.at()).toMillis();
			Double pitch = switch (message.senderType()) {
				case USER -> callerPitch;
				case AGENT -> 118.0;
				case HUMAN_AGENT -> 150.0;
				case null, default -> null;
			};
			if (pitch != null && message.text() != null && !message.text().isBlank()) {
				long saying = Math.min(message.text().length() * MILLIS_PER_CHARACTER, said - previousEnd - 250);
				if (saying >= 300) {
					speech.utterance(said - saying, said, pitch, message.senderType() == SenderType.AGENT);
				}
			}
			previousEnd = Math.max(previousEnd, said);
		}
		speech.hiss();
		return speech.samples;
	}

	/**
	 * Syllables from one instant to another, in words of one to four syllables, the pitch
	 * falling a little towards the end as in a statement.
	 * @param even a synthetic voice: steadier pitch
	 */
	private void utterance(long fromMillis, long toMillis, double pitch, boolean even) {
		int from = index(fromMillis);
		int to = Math.min(index(toMillis), this.samples.length);
		int at = from;
		int syllablesLeft = this.rng.between(1, 4);
		while (at < to) {
			int length = Math.min(index(this.rng.between(110, 260)), to - at);
			double progress = (double) (at - from) / Math.max(1, to - from);
			double base = pitch * (1.08 - 0.16 * progress) * (1 + (even ? 0.02 : 0.07) * (this.rng.nextDouble() - 0.5));
			syllable(at, length, base, even ? 1.02 : 1.0 + 0.12 * (this.rng.nextDouble() - 0.3));
			at += length;
			if (--syllablesLeft == 0) {
				at += index(this.rng.between(40, 140));
				syllablesLeft = this.rng.between(1, 4);
			}
		}
	}

	/**
	 * One vowel with a soft onset and release, preceded by a short breath of noise (a
	 * consonant), its pitch gliding from {@code pitch} by {@code glide}.
	 */
	private void syllable(int at, int length, double pitch, double glide) {
		int[] vowel = VOWELS[this.rng.nextInt(VOWELS.length)];
		double[] period = period(pitch, vowel[0], vowel[1]);
		int consonant = this.rng.chance(0.6) ? Math.min(length / 4, index(this.rng.between(15, 45))) : 0;
		for (int i = 0; i < consonant; i++) {
			add(at + i, 0.05 * (this.rng.nextDouble() * 2 - 1));
		}
		double phase = 0;
		int voiced = length - consonant;
		double loudness = 0.45 + 0.15 * this.rng.nextDouble();
		for (int i = 0; i < voiced; i++) {
			double t = (double) i / voiced;
			double frequency = pitch * (1 + (glide - 1) * t);
			phase += frequency * PERIOD / SAMPLE_RATE;
			double envelope = Math.sin(Math.PI * Math.min(1, t * 2.5)) * Math.min(1, (1 - t) * 6);
			add(at + consonant + i, loudness * envelope * period[(int) phase & (PERIOD - 1)]);
		}
	}

	/**
	 * One period of a vowel: the harmonics of the pitch up to 3.4 kHz (a phone line),
	 * each as loud as the formants near it make it, scaled to a peak of 1.
	 */
	private static double[] period(double pitch, int firstFormant, int secondFormant) {
		double[] period = new double[PERIOD];
		for (int harmonic = 1; harmonic * pitch < 3400; harmonic++) {
			double frequency = harmonic * pitch;
			double gain = resonance(frequency, firstFormant, 90) + 0.6 * resonance(frequency, secondFormant, 120)
					+ 0.08 / harmonic;
			for (int i = 0; i < PERIOD; i++) {
				period[i] += gain * Math.sin(2 * Math.PI * harmonic * i / PERIOD);
			}
		}
		double peak = 0;
		for (double value : period) {
			peak = Math.max(peak, Math.abs(value));
		}
		for (int i = 0; i < PERIOD; i++) {
			period[i] /= peak;
		}
		return period;
	}

	private static double resonance(double frequency, double formant, double bandwidth) {
		double off = (frequency - formant) / bandwidth;
		return 1 / (1 + off * off);
	}

	private void hiss() {
		for (int i = 0; i < this.samples.length; i++) {
			add(i, HISS * (this.rng.nextDouble() * 2 - 1));
		}
	}

	private void add(int index, double value) {
		if (index < this.samples.length) {
			int sum = this.samples[index] + (int) Math.round(value * Short.MAX_VALUE);
			this.samples[index] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, sum));
		}
	}

	private static int index(long millis) {
		return (int) (millis * SAMPLE_RATE / 1000);
	}

}
