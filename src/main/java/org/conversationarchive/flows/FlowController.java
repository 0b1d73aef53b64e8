package org.conversationarchive.flows;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.conversationarchive.security.CurrentUser;
import org.conversationarchive.security.Role;
import org.conversationarchive.system.NotFoundException;
import org.conversationarchive.system.StrictJson;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Flows: the agent platform publishes them with its ingest key, whoever reads
 * conversations reads them.
 */
@RestController
@RequestMapping("/api/v1/flows")
class FlowController {

	private final Flows flows;

	private final CurrentUser user;

	private final JsonMapper json;

	FlowController(Flows flows, CurrentUser user, JsonMapper json) {
		this.flows = flows;
		this.user = user;
		this.json = json;
	}

	@GetMapping
	Map<String, List<Summary>> list() {
		this.user.require(Role.VIEWER, "read flows");
		Map<String, List<Integer>> versions = this.flows.versions(this.user.id());
		return Map.of("items", this.flows.latest(this.user.id())
			.stream()
			.map((flow) -> new Summary(flow.id(), flow.name(), flow.version(),
					versions.getOrDefault(flow.id(), List.of(flow.version())), flow.nodes().size(), flow.publishedAt()))
			.toList());
	}

	@GetMapping("/{id}")
	Version get(@PathVariable String id, @RequestParam(required = false) @Nullable String version) {
		this.user.require(Role.VIEWER, "read flows");
		Integer number = FlowRequest.version(version);
		Flow flow = this.flows.find(this.user.id(), id, number)
			.orElseThrow(() -> new NotFoundException(
					(number == null) ? "no flow '" + id + "'" : "no version " + number + " of flow '" + id + "'"));
		return Version.of(flow, this.flows.versions(this.user.id(), id));
	}

	/**
	 * Publishes a version: {@code 201} when new, {@code 200} when the same version was
	 * published before with the same content (a resend), {@code 409} with other content.
	 */
	@PutMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Version> publish(@PathVariable String id, @RequestBody(required = false) byte @Nullable [] body) {
		this.user.require(Role.INGEST, "publish flows");
		FlowRequest.Valid request = StrictJson.read(this.json, body, FlowRequest.class, FlowRequest.EXAMPLE)
			.validated(id);
		Flows.Published published = this.flows.publish(this.user.id(), request);
		Version answer = Version.of(published.flow(), this.flows.versions(this.user.id(), id));
		if (!published.created()) {
			return ResponseEntity.ok(answer);
		}
		return ResponseEntity.status(HttpStatus.CREATED)
			.location(URI.create("/api/v1/flows/" + id + "?version=" + published.flow().version()))
			.body(answer);
	}

	/**
	 * A flow in the list: its latest version, without its graph.
	 */
	record Summary(String id, String name, int version, List<Integer> versions, int nodeCount, Instant publishedAt) {
	}

	/**
	 * A version whole, with the flow's versions.
	 */
	record Version(String id, String name, int version, List<Flow.Node> nodes, List<Flow.Edge> edges,
			Instant publishedAt, List<Integer> versions) {

		static Version of(Flow flow, List<Integer> versions) {
			return new Version(flow.id(), flow.name(), flow.version(), flow.nodes(), flow.edges(), flow.publishedAt(),
					versions);
		}

	}

}
