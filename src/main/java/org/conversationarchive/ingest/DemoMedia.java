package org.conversationarchive.ingest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.conversationarchive.conversation.Conversation;
import org.conversationarchive.conversation.Status;
import org.conversationarchive.generator.AgentFile;
import org.conversationarchive.generator.Recording;
import org.conversationarchive.media.ConversationMedia;
import org.conversationarchive.media.ConversationMedia.NewArtifact;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's recordings and artifacts, so that the player, "Download audio" and the
 * artifacts of a conversation page can be seen without the API: the first few completed
 * voice calls get their recording, the first two completed returns and billing questions
 * the files their agents made (orders as CSV; a chart of the charges as PNG and the
 * invoice as PDF). They are attached as the media endpoints attach uploads, by
 * {@link ConversationMedia}.
 * <p>
 * Which conversations they go to depends on the generated conversations alone, not on
 * when they were loaded; an artifact's id is derived from its conversation and type. So
 * attaching them again (a second instance loading the demo at the same time) replaces
 * each file and lists nothing twice.
 */
final class DemoMedia {

	private static final Logger logger = LoggerFactory.getLogger(DemoMedia.class);

	static final int RECORDINGS = 5;

	static final int WITH_ARTIFACTS_PER_FLOW = 2;

	private final List<Conversation> recorded = new ArrayList<>();

	private final List<Conversation> withArtifacts = new ArrayList<>();

	private final Map<String, Integer> perFlow = new HashMap<>();

	/**
	 * Keeps a conversation that gets a recording or artifacts, if more are wanted.
	 * @param conversation a generated conversation, in the order they were generated
	 */
	void consider(Conversation conversation) {
		if (conversation.status() != Status.COMPLETED) {
			return;
		}
		if (this.recorded.size() < RECORDINGS && Recording.canRecord(conversation)) {
			this.recorded.add(conversation);
		}
		if (AgentFile.madeIn(conversation)
				&& this.perFlow.merge(conversation.flow().id(), 1, Integer::sum) <= WITH_ARTIFACTS_PER_FLOW) {
			this.withArtifacts.add(conversation);
		}
	}

	/**
	 * The conversations that get a recording.
	 * @return their ids
	 */
	List<String> recorded() {
		return this.recorded.stream().map(Conversation::id).toList();
	}

	/**
	 * The conversations that get artifacts.
	 * @return their ids
	 */
	List<String> withArtifacts() {
		return this.withArtifacts.stream().map(Conversation::id).toList();
	}

	/**
	 * Makes and attaches the recordings and artifacts, a conversation's at a time but
	 * conversations side by side: each attachment waits for the index to show it (up to
	 * its refresh interval), and these waits overlap. One that cannot be attached is
	 * logged and left out.
	 * @param media where they are stored
	 * @param org the org of the conversations
	 * @return how many files were attached
	 */
	int attach(ConversationMedia media, String org) {
		AtomicInteger attached = new AtomicInteger();
		try (ExecutorService conversations = Executors.newVirtualThreadPerTaskExecutor()) {
			for (Conversation call : this.recorded) {
				conversations.execute(() -> {
					try {
						media.attachAudio(org, call.id(), new ByteArrayInputStream(Recording.mp3(call)));
						attached.incrementAndGet();
					}
					catch (IOException | RuntimeException ex) {
						logger.warn("Could not attach the demo recording of conversation {}: {}", call.id(),
								ex.toString());
					}
				});
			}
			for (Conversation conversation : this.withArtifacts) {
				conversations.execute(() -> {
					for (AgentFile file : AgentFile.of(conversation)) {
						try {
							media.attachArtifact(
									org, conversation.id(), new NewArtifact(artifactId(conversation, file), file.name(),
											file.contentType(), file.messageIndex()),
									new ByteArrayInputStream(file.content()));
							attached.incrementAndGet();
						}
						catch (IOException | RuntimeException ex) {
							logger.warn("Could not attach demo artifact {} to conversation {}: {}", file.name(),
									conversation.id(), ex.toString());
						}
					}
				});
			}
		}
		return attached.get();
	}

	/**
	 * An artifact's id, the same in every load: a conversation has at most one file of
	 * each type, whose name and content may depend on when it was loaded (the dates).
	 */
	static String artifactId(Conversation conversation, AgentFile file) {
		return UUID
			.nameUUIDFromBytes(
					("demo:" + conversation.id() + ":" + file.contentType()).getBytes(StandardCharsets.UTF_8))
			.toString();
	}

}
