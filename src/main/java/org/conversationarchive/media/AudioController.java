package org.conversationarchive.media;

import java.io.IOException;
import java.net.URI;

import jakarta.servlet.http.HttpServletRequest;
import org.conversationarchive.conversation.Conversation.Audio;
import org.conversationarchive.conversation.StoredConversation;
import org.conversationarchive.media.ConversationMedia.AttachedAudio;
import org.conversationarchive.security.CurrentUser;
import org.conversationarchive.security.Role;
import org.conversationarchive.storage.FileStore;
import org.conversationarchive.system.NotFoundException;
import org.conversationarchive.system.UnsupportedMediaTypeException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A conversation's call recording: uploaded as MP3 (checked and timed while it streams to
 * disk or the object store), played back in ranges so a player can seek, or downloaded.
 */
@RestController
@RequestMapping("/api/v1/conversations/{id}/audio")
class AudioController {

	private static final Logger logger = LoggerFactory.getLogger(AudioController.class);

	static final String MPEG = "audio/mpeg";

	private final ConversationMedia media;

	private final Attachments attachments;

	private final FileStore files;

	private final MediaSettings settings;

	private final CurrentUser user;

	AudioController(ConversationMedia media, Attachments attachments, FileStore files, MediaSettings settings,
			CurrentUser user) {
		this.media = media;
		this.attachments = attachments;
		this.files = files;
		this.settings = settings;
		this.user = user;
	}

	/**
	 * Stores the recording, replacing any before it: {@code 201} the first time, then
	 * {@code 200}; the answer is what the conversation now lists.
	 */
	@PutMapping
	ResponseEntity<Audio> upload(@PathVariable String id, HttpServletRequest request) throws IOException {
		this.user.require(Role.INGEST, "attach audio");
		requireMpeg(request.getContentType());
		if (request.getContentLengthLong() > this.settings.maxAudioSize().toBytes()) {
			throw this.media.audioTooLarge();
		}
		AttachedAudio attached = this.media.attachAudio(this.user.id(), id, request.getInputStream());
		ResponseEntity.BodyBuilder response = attached.replaced() ? ResponseEntity.ok()
				: ResponseEntity.created(URI.create("/api/v1/conversations/" + id + "/audio"));
		return response.eTag(attached.audio().sha256()).body(attached.audio());
	}

	/**
	 * The recording, inline for the browser's player (which asks for ranges as it seeks)
	 * or, with {@code download=true}, as an attachment named after the conversation.
	 */
	@GetMapping
	ResponseEntity<Resource> get(@PathVariable String id, @RequestParam(defaultValue = "false") boolean download)
			throws IOException {
		this.user.require(Role.VIEWER, "play audio");
		if (download) {
			this.user.require(Role.ANALYST, "download audio");
		}
		String org = this.user.id();
		StoredConversation conversation = this.attachments.conversation(org, id);
		Audio audio = conversation.document().audio();
		if (audio == null || audio.sha256() == null) {
			throw new NotFoundException("conversation '" + id + "' has no audio");
		}
		String path = MediaPaths.audio(org, id);
		if (!this.files.exists(path)) {
			logger.warn("Conversation {} of org {} lists audio, but its file is missing", id, org);
			throw new NotFoundException("conversation '" + id + "' has no audio");
		}
		ContentDisposition disposition = (download ? ContentDisposition.attachment() : ContentDisposition.inline())
			.filename(id + ".mp3")
			.build();
		return ResponseEntity.ok()
			.contentType(MediaType.parseMediaType(MPEG))
			.header(HttpHeaders.CONTENT_DISPOSITION, disposition.toString())
			.eTag(audio.sha256())
			.header(Digests.REPR_DIGEST, Digests.reprDigest(audio.sha256()))
			.body(this.files.resource(path));
	}

	private static void requireMpeg(@Nullable String contentType) {
		MediaType type = null;
		try {
			type = (contentType != null) ? MediaType.parseMediaType(contentType) : null;
		}
		catch (InvalidMediaTypeException ex) {
			// Answered below like any other type that is not audio/mpeg.
		}
		if (type == null || !type.equalsTypeAndSubtype(MediaType.parseMediaType(MPEG))) {
			throw new UnsupportedMediaTypeException(
					"Content-Type " + ((contentType != null) ? "'" + contentType + "'" : "missing")
							+ ": a recording is sent as an MP3 with Content-Type audio/mpeg");
		}
	}

}
