package org.conversationarchive.export;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

import org.conversationarchive.security.CurrentUser;
import org.conversationarchive.security.Role;
import org.conversationarchive.system.StrictJson;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Exports of the table (a filter or a view, as CSV) and of an agent's yearly history (a
 * zip): started here, watched here, downloaded through their signed link.
 */
@RestController
class ExportController {

	private final Exports exports;

	private final CurrentUser user;

	private final ExportSettings settings;

	private final JsonMapper json;

	ExportController(Exports exports, CurrentUser user, ExportSettings settings, JsonMapper json) {
		this.exports = exports;
		this.user = user;
		this.settings = settings;
		this.json = json;
	}

	/**
	 * Starts a CSV export ({@code 202}), or with {@code preview=true} says how many rows
	 * and about how many bytes it would have, without starting it.
	 */
	@PostMapping(path = "/api/v1/exports", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<?> start(@RequestBody(required = false) byte @Nullable [] body,
			@RequestParam(defaultValue = "false") boolean preview) throws IOException {
		this.user.require(Role.ANALYST, "export conversations");
		if (preview) {
			return ResponseEntity.ok(this.exports.preview(this.user, body));
		}
		ExportJob job = this.exports.startTable(this.user, body, baseUrl());
		return ResponseEntity.accepted().location(URI.create("/api/v1/exports/" + job.id())).body(job);
	}

	@GetMapping("/api/v1/exports")
	Map<String, List<ExportJob>> list() {
		return Map.of("items", this.exports.list(this.user.id(), null));
	}

	@GetMapping("/api/v1/exports/{id}")
	ExportJob job(@PathVariable String id) {
		return this.exports.find(this.user.id(), id);
	}

	/**
	 * Runs a failed or stopped export again from its last committed chunk.
	 */
	@PostMapping("/api/v1/exports/{id}/restart")
	ResponseEntity<ExportJob> restart(@PathVariable String id) {
		return ResponseEntity.accepted().body(this.exports.restart(this.user.id(), id));
	}

	record HistoryRequest(@Nullable Integer year) {
	}

	/**
	 * Starts the zip of an agent's conversation history for a year (the seed's "Download
	 * Conversations").
	 */
	@PostMapping(path = "/api/v1/agents/{agentId}/history-exports", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<ExportJob> history(@PathVariable String agentId,
			@RequestBody(required = false) byte @Nullable [] body) {
		this.user.require(Role.ANALYST, "export conversations");
		HistoryRequest request = StrictJson.read(this.json, body, HistoryRequest.class, "{\"year\": 2025}");
		ExportJob job = this.exports.startHistory(this.user, agentId, request.year(), baseUrl());
		return ResponseEntity.accepted().location(URI.create("/api/v1/exports/" + job.id())).body(job);
	}

	private String baseUrl() {
		if (this.settings.publicUrl() != null && !this.settings.publicUrl().isBlank()) {
			return this.settings.publicUrl().replaceAll("/+$", "");
		}
		return ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
	}

}
