package org.conversationarchive.export;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.conversationarchive.security.AuditEvent;
import org.conversationarchive.security.SignedLinks;
import org.conversationarchive.system.NotFoundException;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Downloads through signed links: no other credential, until the link expires. The link
 * names the org and the export; both are checked against the export it opens, and the
 * file served is in that org's folder.
 */
@RestController
class DownloadController {

	private final SignedLinks links;

	private final ExportJobs jobs;

	private final ApplicationEventPublisher events;

	private final ExportFolders folders;

	DownloadController(SignedLinks links, ExportJobs jobs, ApplicationEventPublisher events, ExportFolders folders) {
		this.links = links;
		this.jobs = jobs;
		this.events = events;
		this.folders = folders;
	}

	@GetMapping("/api/v1/downloads/{token}")
	ResponseEntity<Resource> download(@PathVariable String token) {
		SignedLinks.Link link = this.links.verify(token, "export");
		ExportJobs.Export export = this.jobs.find(link.org(), link.id())
			.filter((found) -> found.completedAt() != null && !found.expired() && found.expiresAt() != null
					&& found.expiresAt().isAfter(Instant.now()))
			.orElseThrow(() -> new NotFoundException("this link is not valid: it has expired, or it was altered"));
		Path file = this.folders.file(export);
		// Only ever a file of the link's org, whatever the record or a link on disk says.
		if (!Files.isRegularFile(file) || !this.folders.holds(export.org(), file)) {
			throw new NotFoundException("the export's file is gone");
		}
		this.events.publishEvent(new AuditEvent(export.org(), "export.downloaded", export.id(), export.fileName()));
		MediaType type = export.fileName().endsWith(".zip") ? MediaType.parseMediaType("application/zip")
				: MediaType.parseMediaType("text/csv; charset=utf-8");
		return ResponseEntity.ok()
			.contentType(type)
			.header(HttpHeaders.CONTENT_DISPOSITION,
					ContentDisposition.attachment().filename(export.fileName()).build().toString())
			.header(HttpHeaders.CACHE_CONTROL, "private, no-store")
			.body(new FileSystemResource(file));
	}

}
