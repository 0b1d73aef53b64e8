package org.conversationarchive.media;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.conversationarchive.conversation.ArtifactLinks;
import org.conversationarchive.conversation.Conversation.Artifact;
import org.conversationarchive.media.ConversationMedia.NewArtifact;
import org.conversationarchive.security.CurrentUser;
import org.conversationarchive.security.Role;
import org.conversationarchive.storage.FileStore;
import org.conversationarchive.system.InvalidInputException;
import org.conversationarchive.system.NotFoundException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * Files an agent produced during a conversation (CSVs, charts, PDFs): attached to it,
 * listed on it in transcript order, and served inert. Whatever an artifact contains, the
 * browser is told not to run it: a sandbox that allows nothing, no type sniffing, and a
 * download unless it is one of the few types a browser merely shows.
 */
@RestController
class ArtifactController {

	private static final Logger logger = LoggerFactory.getLogger(ArtifactController.class);

	/**
	 * No script, no plugin, no same-origin access, nothing loaded: the artifact is shown,
	 * never run, even if a browser were to take it for a page.
	 */
	static final String CONTENT_SECURITY_POLICY = "default-src 'none'; sandbox";

	private static final int MAX_NAME_LENGTH = 255;

	private final ConversationMedia media;

	private final Attachments attachments;

	private final FileStore files;

	private final MediaSettings settings;

	private final ArtifactLinks links;

	private final CurrentUser user;

	ArtifactController(ConversationMedia media, Attachments attachments, FileStore files, MediaSettings settings,
			ArtifactLinks links, CurrentUser user) {
		this.media = media;
		this.attachments = attachments;
		this.files = files;
		this.settings = settings;
		this.links = links;
		this.user = user;
	}

	/**
	 * Attaches a file ({@code file} part) to a conversation, optionally to one of its
	 * messages ({@code messageIndex}, from 0); answers {@code 201} with the artifact as
	 * the conversation now lists it.
	 */
	@PostMapping(path = "/api/v1/conversations/{id}/artifacts", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	ResponseEntity<Artifact> upload(@PathVariable String id, @RequestPart("file") MultipartFile file,
			@RequestParam(required = false) @Nullable Integer messageIndex) throws IOException {
		this.user.require(Role.INGEST, "attach artifacts");
		if (messageIndex != null && messageIndex < 0) {
			throw new InvalidInputException("parameter messageIndex: must be 0 or more, not " + messageIndex);
		}
		if (file.getSize() > this.settings.maxArtifactSize().toBytes()) {
			throw this.media.artifactTooLarge();
		}
		Artifact artifact;
		try (InputStream content = file.getInputStream()) {
			artifact = this.media.attachArtifact(this.user.id(), id, new NewArtifact(UUID.randomUUID().toString(),
					file.getOriginalFilename(), file.getContentType(), messageIndex), content);
		}
		String url = this.links.url(artifact);
		return ResponseEntity.created(URI.create(url))
			.body(new Artifact(artifact.id(), artifact.name(), artifact.contentType(), artifact.size(),
					artifact.messageIndex(), artifact.sha256(), artifact.uploadedAt(), url));
	}

	/**
	 * An artifact of the caller's org, served inert: PNG, JPEG and PDF inline as
	 * themselves, CSV inline as plain text, everything else (and anything with
	 * {@code download=true}) as an attachment.
	 */
	@GetMapping("/api/v1/artifacts/{artifactId}")
	ResponseEntity<Resource> get(@PathVariable String artifactId,
			@RequestParam(defaultValue = "false") boolean download) throws IOException {
		this.user.require(Role.VIEWER, "read artifacts");
		String org = this.user.id();
		Attachments.Located located = this.attachments.artifact(org, artifactId)
			.orElseThrow(() -> new NotFoundException("no artifact '" + artifactId + "'"));
		Artifact artifact = located.artifact();
		String path = MediaPaths.artifact(org, located.conversationId(), artifactId);
		if (artifact.sha256() == null || !this.files.exists(path)) {
			logger.warn("Conversation {} of org {} lists artifact {}, but its file is missing",
					located.conversationId(), org, artifactId);
			throw new NotFoundException("no artifact '" + artifactId + "'");
		}
		ArtifactTypes.Served served = ArtifactTypes.served(artifact.contentType());
		boolean inline = served.inline() && !download;
		ContentDisposition disposition = (inline ? ContentDisposition.inline() : ContentDisposition.attachment())
			.filename((artifact.name() != null) ? artifact.name() : artifactId, StandardCharsets.UTF_8)
			.build();
		return ResponseEntity.ok()
			.contentType(served.contentType())
			.header(HttpHeaders.CONTENT_DISPOSITION, disposition.toString())
			.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
			.header("X-Content-Type-Options", "nosniff")
			.eTag(artifact.sha256())
			.header(Digests.REPR_DIGEST, Digests.reprDigest(artifact.sha256()))
			.body(this.files.resource(path));
	}

	/**
	 * The name to show and to offer for saving: the uploaded file's own name, without any
	 * directory, control or formatting characters (such as a right-to-left override that
	 * disguises an extension). It is never used as a path.
	 */
	static String name(@Nullable String original) {
		if (original == null) {
			return "artifact";
		}
		String name = original.substring(Math.max(original.lastIndexOf('/'), original.lastIndexOf('\\')) + 1);
		StringBuilder clean = new StringBuilder();
		name.codePoints()
			.filter((c) -> !Character.isISOControl(c) && Character.getType(c) != Character.FORMAT)
			.limit(MAX_NAME_LENGTH)
			.forEach(clean::appendCodePoint);
		String result = clean.toString().strip();
		return (result.isEmpty() || result.equals(".") || result.equals("..")) ? "artifact" : result;
	}

}
