package org.conversationarchive.ingest;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;
import org.conversationarchive.security.CurrentOrg;
import org.conversationarchive.system.InvalidInputException;
import org.conversationarchive.system.NotFoundException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * Imports of conversation files: upload, watch, read the refused lines, restart.
 */
@RestController
@RequestMapping("/api/v1/imports")
class ImportController {

	private final Imports imports;

	private final CurrentOrg org;

	private final JsonMapper json;

	ImportController(Imports imports, CurrentOrg org, JsonMapper json) {
		this.imports = imports;
		this.org = org;
		this.json = json;
	}

	/**
	 * Starts importing an uploaded file; answers {@code 202} with the import.
	 */
	@PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	ResponseEntity<Imports.Import> start(@RequestParam("file") @Nullable MultipartFile file,
			@RequestParam(required = false) @Nullable String format,
			@RequestParam(required = false) @Nullable String agentId) throws IOException {
		if (file == null || file.isEmpty()) {
			throw new InvalidInputException("parameter file: an uploaded, non-empty file is required");
		}
		Imports.Import started = this.imports.start(this.org.id(), file.getOriginalFilename(), format, agentId,
				file.getInputStream());
		return ResponseEntity.accepted().location(URI.create("/api/v1/imports/" + started.id())).body(started);
	}

	@GetMapping
	Map<String, List<Imports.Import>> list() {
		return Map.of("items", this.imports.list(this.org.id()));
	}

	@GetMapping("/{id}")
	Imports.Import get(@PathVariable String id) {
		return this.imports.find(this.org.id(), id).orElseThrow(() -> new NotFoundException("no import '" + id + "'"));
	}

	/**
	 * The refused lines, as NDJSON: {@code {"line", "id", "error"}} per line.
	 */
	@GetMapping(path = "/{id}/errors")
	void errors(@PathVariable String id, HttpServletResponse response) throws IOException {
		get(id);
		response.setContentType("application/x-ndjson");
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		OutputStream out = response.getOutputStream();
		this.imports.errors(this.org.id(), id, (error) -> {
			try {
				out.write(this.json.writeValueAsBytes(error));
				out.write('\n');
			}
			catch (IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
		});
	}

	@PostMapping("/{id}/restart")
	ResponseEntity<Imports.Import> restart(@PathVariable String id) {
		return ResponseEntity.accepted().body(this.imports.restart(this.org.id(), id));
	}

}
