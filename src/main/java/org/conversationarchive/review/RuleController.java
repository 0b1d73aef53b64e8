package org.conversationarchive.review;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.conversationarchive.security.CurrentUser;
import org.conversationarchive.security.Role;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Review rules: everyone reads them, managers write them; a backtest tries one on history
 * before it is switched on.
 */
@RestController
@RequestMapping("/api/v1/rules")
class RuleController {

	private final Rules rules;

	private final Backtests backtests;

	private final RuleRuns runs;

	private final ReviewSettings settings;

	private final CurrentUser user;

	private final JsonMapper json;

	RuleController(Rules rules, Backtests backtests, RuleRuns runs, ReviewSettings settings, CurrentUser user,
			JsonMapper json) {
		this.rules = rules;
		this.runs = runs;
		this.backtests = backtests;
		this.settings = settings;
		this.user = user;
		this.json = json;
	}

	@GetMapping
	Map<String, List<Rule>> list() {
		return Map.of("items", this.rules.list(this.user.id()));
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Rule> create(@RequestBody(required = false) byte @Nullable [] body) {
		this.user.require(Role.MANAGER, "write review rules");
		Rule rule = this.rules.create(this.user.id(), this.user.userId(), request(body));
		return ResponseEntity.created(URI.create("/api/v1/rules/" + rule.id())).body(rule);
	}

	@GetMapping("/{id}")
	Rule get(@PathVariable String id) {
		return this.rules.get(this.user.id(), id);
	}

	@PutMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
	Rule update(@PathVariable String id, @RequestBody(required = false) byte @Nullable [] body) {
		this.user.require(Role.MANAGER, "write review rules");
		return this.rules.update(this.user.id(), id, request(body));
	}

	@PostMapping("/{id}/enable")
	Rule enable(@PathVariable String id) {
		this.user.require(Role.MANAGER, "switch review rules on");
		return this.rules.enable(this.user.id(), id, true);
	}

	/**
	 * Switches a rule off; the flags it set stay unless {@code removeFlags=true}, which
	 * starts a run taking them back.
	 */
	@PostMapping("/{id}/disable")
	Rule disable(@PathVariable String id, @RequestParam(defaultValue = "false") boolean removeFlags)
			throws IOException {
		this.user.require(Role.MANAGER, "switch review rules off");
		Rule rule = this.rules.enable(this.user.id(), id, false);
		if (removeFlags) {
			this.runs.remove(this.user.id(), id, this.user.userId());
		}
		return rule;
	}

	/**
	 * Deletes a rule; the flags it set stay unless {@code removeFlags=true}, which starts
	 * a run taking them back.
	 */
	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(@PathVariable String id, @RequestParam(defaultValue = "false") boolean removeFlags)
			throws IOException {
		this.user.require(Role.MANAGER, "delete review rules");
		this.rules.get(this.user.id(), id);
		if (removeFlags) {
			// Started first: the run finds the rule's flags by its id, with the rule gone
			// too.
			this.runs.remove(this.user.id(), id, this.user.userId());
		}
		this.rules.delete(this.user.id(), id);
		return ResponseEntity.noContent().build();
	}

	/**
	 * Starts a run of a rule over history: {@code apply} flags what it finds among the
	 * conversations started in a window (by default the backtest's), {@code remove} takes
	 * its flags back.
	 */
	@PostMapping(path = "/{id}/runs", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<RuleRuns.Run> run(@PathVariable String id, @RequestBody(required = false) byte @Nullable [] body)
			throws IOException {
		this.user.require(Role.MANAGER, "apply review rules to history");
		Rule rule = this.rules.get(this.user.id(), id);
		RunRequest request = StrictJson.read(this.json, body, RunRequest.class,
				"{\"kind\": \"apply\", \"from\": \"2026-11-01\", \"to\": \"2026-11-30\"}");
		String kind = (request.kind() != null) ? request.kind() : RuleRuns.APPLY;
		RuleRuns.Run run;
		if (RuleRuns.APPLY.equals(kind)) {
			BacktestRequest.Window window = BacktestRequest.Window.of(request.from(), request.to(), request.timeZone(),
					this.settings.backtestWindow(), Instant.now());
			run = this.runs.apply(this.user.id(), rule, window.from(), window.to(), this.user.userId());
		}
		else if (RuleRuns.REMOVE.equals(kind)) {
			run = this.runs.remove(this.user.id(), rule.id(), this.user.userId());
		}
		else {
			throw new org.conversationarchive.system.InvalidInputException(
					"kind: '" + kind + "' is not apply or remove");
		}
		return ResponseEntity.accepted().location(URI.create("/api/v1/rules/" + id + "/runs/" + run.id())).body(run);
	}

	@GetMapping("/{id}/runs")
	Map<String, List<RuleRuns.Run>> runs(@PathVariable String id) {
		this.rules.get(this.user.id(), id);
		return Map.of("items", this.runs.list(this.user.id(), id));
	}

	@GetMapping("/{id}/runs/{runId}")
	RuleRuns.Run run(@PathVariable String id, @PathVariable String runId) {
		return this.runs.find(this.user.id(), id, runId)
			.orElseThrow(() -> new org.conversationarchive.system.NotFoundException(
					"no run '" + runId + "' of rule '" + id + "'"));
	}

	@PostMapping("/{id}/runs/{runId}/restart")
	RuleRuns.Run restart(@PathVariable String id, @PathVariable String runId) {
		this.user.require(Role.MANAGER, "apply review rules to history");
		return this.runs.restart(this.user.id(), id, runId);
	}

	/**
	 * The body of a run: its kind and, to apply, its window (as a backtest's).
	 */
	record RunRequest(@Nullable String kind, @Nullable String from, @Nullable String to, @Nullable String timeZone) {
	}

	/**
	 * What a rule not saved yet would have flagged.
	 */
	@PostMapping(path = "/_backtest", consumes = MediaType.APPLICATION_JSON_VALUE)
	Backtests.Backtest backtest(@RequestBody(required = false) byte @Nullable [] body,
			@RequestParam(required = false) @Nullable String from, @RequestParam(required = false) @Nullable String to,
			@RequestParam(name = "tz", required = false) @Nullable String tz) throws IOException {
		BacktestRequest request = StrictJson.read(this.json, body, BacktestRequest.class, BacktestRequest.EXAMPLE);
		RuleRequest.Valid rule = new RuleRequest((request.name() != null) ? request.name() : "Backtest",
				request.filter(), request.actions(), null)
			.validated();
		BacktestRequest.Window window = BacktestRequest.Window.of(either(request.from(), from, "from"),
				either(request.to(), to, "to"), either(request.timeZone(), tz, "timeZone"),
				this.settings.backtestWindow(), Instant.now());
		return this.backtests.run(this.user.id(), rule.filter(), rule.actions(), window.from(), window.to(),
				window.zone());
	}

	/**
	 * What a saved rule would have flagged over a window.
	 */
	@PostMapping("/{id}/_backtest")
	Backtests.Backtest backtest(@PathVariable String id, @RequestParam(required = false) @Nullable String from,
			@RequestParam(required = false) @Nullable String to,
			@RequestParam(name = "tz", required = false) @Nullable String tz) throws IOException {
		Rule rule = this.rules.get(this.user.id(), id);
		BacktestRequest.Window window = BacktestRequest.Window.of(from, to, tz, this.settings.backtestWindow(),
				Instant.now());
		return this.backtests.run(this.user.id(), rule.filter(), rule.actions(), window.from(), window.to(),
				window.zone());
	}

	private RuleRequest.Valid request(byte @Nullable [] body) {
		return StrictJson.read(this.json, body, RuleRequest.class, RuleRequest.EXAMPLE).validated();
	}

	/**
	 * A part of the window given in the body or in the query string, not both.
	 */
	private static @Nullable String either(@Nullable String inBody, @Nullable String inQuery, String name) {
		if (inBody != null && inQuery != null && !inBody.equals(inQuery)) {
			throw new org.conversationarchive.system.InvalidInputException(
					name + ": given in the body and in the query string, differently; give it once");
		}
		return (inBody != null) ? inBody : inQuery;
	}

}
