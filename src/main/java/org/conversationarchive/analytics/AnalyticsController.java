package org.conversationarchive.analytics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.conversationarchive.flows.Flow;
import org.conversationarchive.search.AppliedView;
import org.conversationarchive.search.Filter;
import org.conversationarchive.search.FilterParameters;
import org.conversationarchive.search.SavedView;
import org.conversationarchive.search.SavedViews;
import org.conversationarchive.security.CurrentUser;
import org.conversationarchive.security.Role;
import org.conversationarchive.system.InvalidInputException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Analytics of the conversations a filter or view selects: the filters as query
 * parameters ({@code GET}) or as the JSON filter ({@code POST}), and {@code view},
 * {@code tz}, {@code interval}, {@code split}, {@code format} and {@code figure} as query
 * parameters either way. A view's filter and the request's must both match, as in a
 * search.
 */
@RestController
@RequestMapping("/api/v1/analytics")
class AnalyticsController {

	static final Set<String> SETTINGS = Set.of("view", "tz", "interval", "split", "format", "figure");

	/** A funnel's own parameters beside the filter's: it has no buckets and one table. */
	static final Set<String> FUNNEL_SETTINGS = Set.of("view", "version", "format");

	static final MediaType CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

	private static final ZoneId UTC = ZoneId.of("UTC");

	private final Analytics analytics;

	private final Funnels funnels;

	private final SavedViews views;

	private final CurrentUser user;

	private final JsonMapper json;

	AnalyticsController(Analytics analytics, Funnels funnels, SavedViews views, CurrentUser user, JsonMapper json) {
		this.analytics = analytics;
		this.funnels = funnels;
		this.views = views;
		this.user = user;
		this.json = json;
	}

	@GetMapping
	ResponseEntity<?> analytics(@RequestParam MultiValueMap<String, String> parameters) throws IOException {
		checkNames(parameters, FilterParameters.NAMES);
		return answer(FilterParameters.parse(parameters), parameters);
	}

	/**
	 * A flow's traffic and where its conversations left it, for the filter's
	 * conversations of that flow (of version {@code version} when given), along that
	 * version's graph or the latest one; {@code format=csv} for its nodes as a table.
	 */
	@GetMapping("/flows/{flowId}")
	ResponseEntity<?> funnel(@PathVariable String flowId, @RequestParam MultiValueMap<String, String> parameters)
			throws IOException {
		// It shows the flow's graph too: whoever may read flows.
		this.user.require(Role.VIEWER, "read flows");
		checkNames(parameters, FilterParameters.NAMES, FUNNEL_SETTINGS);
		Integer version = version(FilterParameters.single(parameters, "version"));
		String format = FilterParameters.single(parameters, "format");
		if (format != null && !format.equals("json") && !format.equals("csv")) {
			throw new InvalidInputException("parameter format: '" + format + "' is not one of json, csv");
		}
		Funnel funnel = this.funnels.answer(this.user.id(), filters(FilterParameters.parse(parameters), parameters),
				flowId, version);
		if (!"csv".equals(format)) {
			return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(funnel);
		}
		return ResponseEntity.ok()
			.contentType(CSV)
			.header(HttpHeaders.CONTENT_DISPOSITION,
					ContentDisposition.attachment().filename("funnel.csv").build().toString())
			.body(funnel.csv());
	}

	/**
	 * The Elasticsearch request the same funnel sends (for the benchmark).
	 */
	@GetMapping("/flows/{flowId}/_explain")
	Map<String, Object> explainFunnel(@PathVariable String flowId,
			@RequestParam MultiValueMap<String, String> parameters) throws IOException {
		this.user.require(Role.VIEWER, "read flows");
		checkNames(parameters, FilterParameters.NAMES, FUNNEL_SETTINGS);
		Integer version = version(FilterParameters.single(parameters, "version"));
		return this.funnels.explain(this.user.id(), filters(FilterParameters.parse(parameters), parameters), flowId,
				version);
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<?> analytics(@RequestBody(required = false) byte @Nullable [] body,
			@RequestParam MultiValueMap<String, String> parameters) throws IOException {
		checkNames(parameters, Set.of());
		Filter filter = (body != null && body.length > 0) ? Filter.read(this.json, body) : Filter.ALL;
		return answer(filter, parameters);
	}

	/**
	 * The Elasticsearch requests the same {@code GET} sends, for an operator to send them
	 * to Elasticsearch itself (and for the benchmark).
	 */
	@GetMapping("/_explain")
	Map<String, Object> explain(@RequestParam MultiValueMap<String, String> parameters) throws IOException {
		checkNames(parameters, FilterParameters.NAMES);
		return this.analytics.explain(this.user.id(), question(FilterParameters.parse(parameters), parameters));
	}

	private ResponseEntity<?> answer(Filter filter, MultiValueMap<String, String> parameters) throws IOException {
		Figure figure = figure(FilterParameters.single(parameters, "format"),
				FilterParameters.single(parameters, "figure"));
		Dashboard answer = this.analytics.answer(this.user.id(), question(filter, parameters));
		if (figure == null) {
			return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(answer);
		}
		return ResponseEntity.ok()
			.contentType(CSV)
			.header(HttpHeaders.CONTENT_DISPOSITION,
					ContentDisposition.attachment().filename("analytics-" + figure.name + ".csv").build().toString())
			.body(figure.csv(answer));
	}

	private Question question(Filter filter, MultiValueMap<String, String> parameters) throws IOException {
		ZoneId zone = zone(FilterParameters.single(parameters, "tz"));
		String interval = FilterParameters.single(parameters, "interval");
		Interval width = (interval != null) ? Interval.of(interval) : null;
		String split = FilterParameters.single(parameters, "split");
		Split splitBy = (split != null) ? Split.of(split) : null;
		return new Question(filters(filter, parameters), zone, width, splitBy);
	}

	/**
	 * The request's filter and its view's, if it names one: both must match.
	 */
	private List<Filter> filters(Filter filter, MultiValueMap<String, String> parameters) throws IOException {
		String viewId = FilterParameters.single(parameters, "view");
		SavedView view = (viewId != null) ? this.views.find(this.user, viewId) : null;
		return AppliedView.of(view, filter, null, null).filters();
	}

	private static @Nullable Integer version(@Nullable String version) {
		return Flow.version(version, "parameter version");
	}

	private static ZoneId zone(@Nullable String tz) {
		if (tz == null) {
			return UTC;
		}
		try {
			return ZoneId.of(tz);
		}
		catch (DateTimeException ex) {
			throw new InvalidInputException(
					"parameter tz: '" + tz + "' is not a time zone (an IANA zone id such as Europe/Paris, or UTC)");
		}
	}

	/**
	 * The figure a CSV answer is of, or {@code null} for the JSON answer.
	 */
	private static @Nullable Figure figure(@Nullable String format, @Nullable String figure) {
		if (format == null || format.equals("json")) {
			if (figure != null) {
				throw new InvalidInputException("parameter figure: only with format=csv");
			}
			return null;
		}
		if (!format.equals("csv")) {
			throw new InvalidInputException("parameter format: '" + format + "' is not one of json, csv");
		}
		return Figure.of(figure);
	}

	/**
	 * A misspelt filter would silently count too much: unknown parameters are refused.
	 */
	private static void checkNames(MultiValueMap<String, String> parameters, Set<String> filters) {
		checkNames(parameters, filters, SETTINGS);
	}

	private static void checkNames(MultiValueMap<String, String> parameters, Set<String> filters,
			Set<String> settings) {
		Set<String> known = new HashSet<>(filters);
		known.addAll(settings);
		for (String name : parameters.keySet()) {
			if (!known.contains(name)) {
				throw new InvalidInputException("unknown parameter '" + name + "'");
			}
		}
	}

}
