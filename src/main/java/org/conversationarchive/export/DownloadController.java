package org.conversationarchive.export;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;

import org.conversationarchive.security.AuditEvent;
import org.conversationarchive.security.SignedLinks;
import org.conversationarchive.storage.FileStore;
import org.conversationarchive.system.NotFoundException;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Downloads through signed links: no other credential, until the link expires. The link
 * names the org and the export; both are checked against the export it opens, and the
 * file served is in that org's folder. The file streams through the service, or, where
 * the object store is set to hand out presigned URLs, the answer sends the browser to
 * one.
 */
@RestController
class DownloadController {

	private final SignedLinks links;

	private final ExportJobs jobs;

	private final ApplicationEventPublisher events;

	private final ExportFolders folders;

	private final FileStore files;

	DownloadController(SignedLinks links, ExportJobs jobs, ApplicationEventPublisher events, ExportFolders folders,
			FileStore files) {
		this.links = links;
		this.jobs = jobs;
		this.events = events;
		this.folders = folders;
		this.files = files;
	}

	@GetMapping("/api/v1/downloads/{token}")
	ResponseEntity<Resource> download(@PathVariable String token) throws IOException {
		SignedLinks.Link link = this.links.verify(token, "export");
		ExportJobs.Export export = this.jobs.find(link.org(), link.id())
			.filter((found) -> found.completedAt() != null && !found.expired() && found.expiresAt() != null
					&& found.expiresAt().isAfter(Instant.now()))
			.orElseThrow(() -> new NotFoundException("this link is not valid: it has expired, or it was altered"));
		String file = this.folders.file(export);
		// Only ever a file of the link's org, whatever the record or a link on disk says.
		if (!stored(file)) {
			throw new NotFoundException("the export's file is gone");
		}
		this.events.publishEvent(new AuditEvent(export.org(), "export.downloaded", export.id(), export.fileName()));
		MediaType type = export.fileName().endsWith(".zip") ? MediaType.parseMediaType("application/zip")
				: MediaType.parseMediaType("text/csv; charset=utf-8");
		Optional<URI> presigned = this.files.downloadLink(file, export.fileName(), type.toString());
		if (presigned.isPresent()) {
			return ResponseEntity.status(HttpStatus.FOUND)
				.location(presigned.get())
				.header(HttpHeaders.CACHE_CONTROL, "private, no-store")
				.build();
		}
		return ResponseEntity.ok()
			.contentType(type)
			.header(HttpHeaders.CONTENT_DISPOSITION,
					ContentDisposition.attachment().filename(export.fileName()).build().toString())
			.header(HttpHeaders.CACHE_CONTROL, "private, no-store")
			.body(this.files.resource(file));
	}

	private boolean stored(String file) throws IOException {
		try {
			return this.files.exists(file);
		}
		catch (IllegalArgumentException ex) {
			// A link on the local disk that leads out of the org's folder.
			return false;
		}
	}

}
