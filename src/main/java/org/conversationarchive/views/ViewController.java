package org.conversationarchive.views;

import java.io.IOException;
import java.net.URI;
import java.util.List;

import org.conversationarchive.security.CurrentUser;
import org.conversationarchive.system.InvalidInputException;
import org.conversationarchive.system.JsonProblems;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Saved views: list, read, save, change and delete them; read and set the org's default.
 * A view runs as {@code GET /api/v1/conversations?view=ID}.
 */
@RestController
@RequestMapping("/api/v1/views")
class ViewController {

	private final Views views;

	private final CurrentUser user;

	private final JsonMapper json;

	ViewController(Views views, CurrentUser user, JsonMapper json) {
		this.views = views;
		this.user = user;
		this.json = json;
	}

	@GetMapping
	List<View> list() throws IOException {
		return this.views.list(this.user);
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<View> create(@RequestBody(required = false) byte @Nullable [] body) throws IOException {
		View view = this.views.create(this.user, ViewRequest.read(this.json, body));
		return ResponseEntity.created(URI.create("/api/v1/views/" + view.id())).body(view);
	}

	@GetMapping("/default")
	View defaultView() throws IOException {
		return this.views.defaultView(this.user);
	}

	@PutMapping(path = "/default", consumes = MediaType.APPLICATION_JSON_VALUE)
	View setDefault(@RequestBody(required = false) byte @Nullable [] body) throws IOException {
		return this.views.setDefault(this.user, DefaultRequest.read(this.json, body).viewId());
	}

	@GetMapping("/{id}")
	View get(@PathVariable String id) throws IOException {
		return this.views.get(this.user, id);
	}

	@PutMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
	View update(@PathVariable String id, @RequestBody(required = false) byte @Nullable [] body) throws IOException {
		return this.views.update(this.user, id, ViewRequest.read(this.json, body));
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(@PathVariable String id) throws IOException {
		this.views.delete(this.user, id);
		return ResponseEntity.noContent().build();
	}

	/**
	 * The body of {@code PUT /views/default}.
	 *
	 * @param viewId the view to make the default
	 */
	record DefaultRequest(@Nullable String viewId) {

		static DefaultRequest read(JsonMapper json, byte @Nullable [] body) {
			DefaultRequest request = null;
			if (body != null && body.length > 0) {
				try {
					request = json.readerFor(DefaultRequest.class)
						.with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
						.readValue(body);
				}
				catch (JacksonException ex) {
					throw new InvalidInputException(JsonProblems.describe(ex));
				}
			}
			if (request == null || request.viewId() == null || request.viewId().isBlank()) {
				throw new InvalidInputException("viewId: is required, e.g. {\"viewId\": \"production\"}");
			}
			return request;
		}

	}

}
