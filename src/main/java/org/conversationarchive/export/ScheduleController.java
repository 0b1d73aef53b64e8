package org.conversationarchive.export;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

import org.conversationarchive.security.CurrentUser;
import org.conversationarchive.security.Role;
import org.conversationarchive.system.NotFoundException;
import org.conversationarchive.system.StrictJson;
import org.jspecify.annotations.Nullable;
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
 * Scheduled exports of views, for BI: each run is an export job with its history.
 */
@RestController
@RequestMapping("/api/v1/schedules")
class ScheduleController {

	private final Schedules schedules;

	private final ScheduleRunner runner;

	private final Exports exports;

	private final CurrentUser user;

	private final JsonMapper json;

	ScheduleController(Schedules schedules, ScheduleRunner runner, Exports exports, CurrentUser user, JsonMapper json) {
		this.json = json;
		this.schedules = schedules;
		this.runner = runner;
		this.exports = exports;
		this.user = user;
	}

	@GetMapping
	Map<String, List<Schedules.Schedule>> list() {
		return Map.of("items", this.schedules.list(this.user.id()));
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Schedules.Schedule> create(@RequestBody(required = false) byte @Nullable [] body)
			throws IOException {
		this.user.require(Role.MANAGER, "schedule exports");
		Schedules.ScheduleRequest request = request(body);
		Schedules.Schedule schedule = this.schedules.create(this.user.id(), this.user.userId(), request, "api");
		return ResponseEntity.created(URI.create("/api/v1/schedules/" + schedule.id())).body(schedule);
	}

	@GetMapping("/{id}")
	Schedules.Schedule get(@PathVariable String id) {
		return find(id);
	}

	@PutMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
	Schedules.Schedule update(@PathVariable String id, @RequestBody(required = false) byte @Nullable [] body)
			throws IOException {
		this.user.require(Role.MANAGER, "schedule exports");
		Schedules.ScheduleRequest request = request(body);
		return this.schedules.update(this.user.id(), this.user.userId(), id, request);
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(@PathVariable String id) {
		this.user.require(Role.MANAGER, "schedule exports");
		this.schedules.delete(this.user.id(), id);
		return ResponseEntity.noContent().build();
	}

	/**
	 * The schedule's runs, newest first: each an export job.
	 */
	@GetMapping("/{id}/runs")
	Map<String, List<ExportJob>> runs(@PathVariable String id) {
		find(id);
		return Map.of("items", this.exports.list(this.user.id(), id));
	}

	/**
	 * Runs the schedule now, outside its times.
	 */
	@PostMapping("/{id}/run")
	ResponseEntity<ExportJob> runNow(@PathVariable String id) throws IOException {
		this.user.require(Role.MANAGER, "schedule exports");
		ExportJob job = this.runner.runNow(find(id));
		return ResponseEntity.accepted().location(URI.create("/api/v1/exports/" + job.id())).body(job);
	}

	private Schedules.Schedule find(String id) {
		return this.schedules.find(this.user.id(), id)
			.orElseThrow(() -> new NotFoundException("no schedule '" + id + "'"));
	}

	private Schedules.ScheduleRequest request(byte @Nullable [] body) {
		return StrictJson.read(this.json, body, Schedules.ScheduleRequest.class,
				"{\"viewId\": \"all\", \"cron\": \"0 6 * * *\"}");
	}

}
