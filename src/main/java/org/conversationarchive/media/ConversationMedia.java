package org.conversationarchive.media;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Arrays;

import org.conversationarchive.conversation.Conversation.Artifact;
import org.conversationarchive.conversation.Conversation.Audio;
import org.conversationarchive.storage.FileStore;
import org.conversationarchive.storage.StoredFile;
import org.conversationarchive.system.InvalidInputException;
import org.conversationarchive.system.NotFoundException;
import org.conversationarchive.system.PayloadTooLargeException;
import org.conversationarchive.system.UnsupportedMediaTypeException;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * Stores a conversation's recording and artifacts: the file in the {@link FileStore},
 * then the listing on the conversation. What the media endpoints do with an upload once
 * the caller may make it, and what the service itself uses to attach files (the demo).
 */
@Component
public class ConversationMedia {

	private final Attachments attachments;

	private final FileStore files;

	private final MediaSettings settings;

	ConversationMedia(Attachments attachments, FileStore files, MediaSettings settings) {
		this.attachments = attachments;
		this.files = files;
		this.settings = settings;
	}

	/**
	 * Stores a conversation's recording, checked and timed while it streams to disk,
	 * replacing any before it.
	 * @param org the org
	 * @param id the conversation id
	 * @param mp3 the recording, read to its end (not closed)
	 * @return the recording as the conversation now lists it, and whether it replaced one
	 * @throws NotFoundException when the org has no such conversation
	 * @throws UnsupportedMediaTypeException when it is not an MP3
	 * @throws PayloadTooLargeException when it is larger than
	 * {@code archive.media.max-audio-size}
	 * @throws IOException when it cannot be stored
	 */
	public AttachedAudio attachAudio(String org, String id, InputStream mp3) throws IOException {
		this.attachments.conversation(org, id);
		String path = MediaPaths.audio(org, id);
		Mp3Frames frames = new Mp3Frames(mp3);
		StoredFile stored;
		try {
			stored = this.files.write(path, frames, this.settings.maxAudioSize().toBytes());
		}
		catch (PayloadTooLargeException ex) {
			throw audioTooLarge();
		}
		Audio audio = new Audio(AudioController.MPEG, stored.size(), frames.durationSeconds(), stored.sha256());
		Audio before;
		try {
			before = this.attachments.setAudio(org, id, audio);
		}
		catch (NotFoundException ex) {
			// Deleted while the recording came in: do not leave it behind.
			this.files.deleteTree(MediaPaths.conversation(org, id));
			throw ex;
		}
		return new AttachedAudio(audio, before != null);
	}

	/**
	 * Stores a file an agent produced and lists it on its conversation, in transcript
	 * order. An artifact of the same id the conversation lists already is replaced, so
	 * attaching the same file twice lists it once.
	 * @param org the org
	 * @param id the conversation id
	 * @param artifact its id, name, declared type and message
	 * @param content the file, read to its end (not closed)
	 * @return the artifact as the conversation now lists it (without its url)
	 * @throws NotFoundException when the org has no such conversation
	 * @throws InvalidInputException when the message index is beyond the transcript
	 * @throws PayloadTooLargeException when it is larger than
	 * {@code archive.media.max-artifact-size}
	 * @throws IOException when it cannot be stored
	 */
	public Artifact attachArtifact(String org, String id, NewArtifact artifact, InputStream content)
			throws IOException {
		Integer messageIndex = artifact.messageIndex();
		if (messageIndex != null && messageIndex < 0) {
			throw new InvalidInputException("parameter messageIndex: must be 0 or more, not " + messageIndex);
		}
		int messages = this.attachments.messageCount(org, id);
		if (messageIndex != null && messageIndex >= messages) {
			throw new InvalidInputException("parameter messageIndex: " + messageIndex
					+ " is beyond the transcript, which has " + ((messages == 0) ? "no messages"
							: messages + " message" + ((messages == 1) ? "" : "s") + " (0 to " + (messages - 1) + ")"));
		}
		String path = MediaPaths.artifact(org, id, artifact.id());
		StoredFile stored;
		byte[] head;
		LeadingBytes leading = new LeadingBytes(content, ArtifactTypes.HEAD_LENGTH);
		try {
			stored = this.files.write(path, leading, this.settings.maxArtifactSize().toBytes());
			head = leading.bytes();
		}
		catch (PayloadTooLargeException ex) {
			throw artifactTooLarge();
		}
		Artifact listed = new Artifact(artifact.id(), ArtifactController.name(artifact.name()),
				ArtifactTypes.stored(artifact.contentType(), head), stored.size(), messageIndex, stored.sha256(),
				Instant.now(), null);
		try {
			this.attachments.addArtifact(org, id, listed);
		}
		catch (NotFoundException ex) {
			// Deleted while the file came in: do not leave it behind.
			this.files.delete(path);
			throw ex;
		}
		return listed;
	}

	PayloadTooLargeException audioTooLarge() {
		return new PayloadTooLargeException("the recording is larger than the limit of "
				+ MediaSettings.describe(this.settings.maxAudioSize()) + " (archive.media.max-audio-size)");
	}

	PayloadTooLargeException artifactTooLarge() {
		return new PayloadTooLargeException("the artifact is larger than the limit of "
				+ MediaSettings.describe(this.settings.maxArtifactSize()) + " (archive.media.max-artifact-size)");
	}

	/**
	 * A recording as stored.
	 *
	 * @param audio what the conversation lists now
	 * @param replaced whether it replaced a recording listed before
	 */
	public record AttachedAudio(Audio audio, boolean replaced) {
	}

	/**
	 * An artifact to attach.
	 *
	 * @param id its id, unique within the org (the same id attached again replaces it)
	 * @param name the file's name as the uploader gave it, cleaned before it is listed
	 * @param contentType the type the uploader declared, believed for the types shown
	 * inline only when the bytes agree
	 * @param messageIndex the message of the transcript it belongs to (from 0), if any
	 */
	public record NewArtifact(String id, @Nullable String name, @Nullable String contentType,
			@Nullable Integer messageIndex) {
	}

	/**
	 * Keeps the first bytes that pass, to check a declared type against them.
	 */
	private static final class LeadingBytes extends FilterInputStream {

		private final byte[] head;

		private int length;

		LeadingBytes(InputStream in, int size) {
			super(in);
			this.head = new byte[size];
		}

		@Override
		public int read() throws IOException {
			int b = this.in.read();
			if (b != -1 && this.length < this.head.length) {
				this.head[this.length++] = (byte) b;
			}
			return b;
		}

		@Override
		public int read(byte[] bytes, int offset, int length) throws IOException {
			int read = this.in.read(bytes, offset, length);
			if (read > 0 && this.length < this.head.length) {
				int kept = Math.min(read, this.head.length - this.length);
				System.arraycopy(bytes, offset, this.head, this.length, kept);
				this.length += kept;
			}
			return read;
		}

		byte[] bytes() {
			return Arrays.copyOf(this.head, this.length);
		}

	}

}
