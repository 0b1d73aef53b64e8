package org.conversationarchive.generator;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.conversationarchive.Mp3Decoding;
import org.conversationarchive.Mp3Decoding.Frame;
import org.conversationarchive.Mp3Decoding.Pcm;
import org.conversationarchive.conversation.Conversation;
import org.conversationarchive.conversation.Conversation.Message;
import org.conversationarchive.conversation.Platform;
import org.conversationarchive.conversation.SenderType;
import org.conversationarchive.generator.ConversationGenerator.Options;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RecordingTests {

	private final List<Conversation> calls = new ConversationGenerator(20261122L, Options.of(200)).stream()
		.filter(Recording::canRecord)
		.limit(3)
		.toList();

	@Test
	void aCallsRecordingIsAnMp3AsLongAsTheCall() {
		assertThat(this.calls).hasSize(3);
		for (Conversation call : this.calls) {
			byte[] mp3 = Recording.mp3(call);
			double callSeconds = Duration.between(call.startedAt(), call.endedAt()).toMillis() / 1000.0;
			List<Frame> frames = Mp3Decoding.frames(mp3);
			assertThat(frames).allSatisfy((frame) -> {
				assertThat(frame.sampleRate()).isEqualTo(16_000);
				assertThat(frame.mono()).isTrue();
			});
			// The encoder adds its delay, a few frames of 36 ms.
			assertThat(Mp3Decoding.seconds(frames)).as(call.id()).isBetween(callSeconds, callSeconds + 0.5);
			assertThat(mp3.length).isLessThan((int) (callSeconds * 24_000 / 8) + 4096);

			Pcm pcm = Mp3Decoding.decode(mp3);
			assertThat(pcm.sampleRate()).isEqualTo(16_000);
			assertThat(pcm.seconds()).as(call.id()).isBetween(callSeconds, callSeconds + 0.5);
		}
	}

	@Test
	void speakersAreHeardWhenTheTranscriptHasThemSpeak() {
		Conversation call = this.calls.get(0);
		Pcm pcm = Mp3Decoding.decode(Recording.mp3(call));
		double quiet = pcm.rms(0, 0.15);
		assertThat(quiet).isLessThan(300);
		int spoken = 0;
		for (Message message : call.messages()) {
			if (message.senderType() == SenderType.USER || message.senderType() == SenderType.AGENT) {
				double end = Duration.between(call.startedAt(), message.at()).toMillis() / 1000.0;
				// Its last half second, mostly speech (the decoder lags a little).
				if (pcm.rms(end - 0.6, end - 0.1) > 10 * quiet) {
					spoken++;
				}
			}
		}
		assertThat(spoken).isGreaterThan(3);
	}

	@Test
	void theSameCallGivesTheSameBytes() {
		assertThat(Recording.mp3(this.calls.get(1))).isEqualTo(Recording.mp3(this.calls.get(1)));
	}

	/**
	 * The demo encodes its recordings side by side; the encoder keeps a few tables in
	 * static fields, which must come out the same.
	 */
	@Test
	void callsEncodedSideBySideGiveTheSameBytesAsOneByOne() throws Exception {
		List<byte[]> oneByOne = this.calls.stream().map(Recording::mp3).toList();
		List<Future<byte[]>> sideBySide;
		try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
			sideBySide = this.calls.stream().map((call) -> threads.submit(() -> Recording.mp3(call))).toList();
		}
		for (int i = 0; i < oneByOne.size(); i++) {
			assertThat(sideBySide.get(i).get()).isEqualTo(oneByOne.get(i));
		}
	}

	@Test
	void onlyVoiceCallsThatEndedAreRecorded() {
		List<Conversation> sample = new ConversationGenerator(3, Options.of(300)).stream().toList();
		assertThat(sample).filteredOn(Recording::canRecord)
			.isNotEmpty()
			.allSatisfy((c) -> assertThat(c.platform()).isEqualTo(Platform.VOICE));
		Conversation chat = sample.stream().filter((c) -> c.platform() == Platform.WEB).findFirst().orElseThrow();
		assertThat(Recording.canRecord(chat)).isFalse();
		assertThatIllegalArgumentException().isThrownBy(() -> Recording.mp3(chat));
		assertThat(sample).filteredOn((c) -> c.platform() == Platform.VOICE && c.endedAt() == null)
			.noneMatch(Recording::canRecord);
	}

}
