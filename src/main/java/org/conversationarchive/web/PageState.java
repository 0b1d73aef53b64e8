package org.conversationarchive.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.conversationarchive.conversation.Column;
import org.conversationarchive.search.ConversationSearch;
import org.conversationarchive.search.Filter;
import org.conversationarchive.search.FilterParameters;
import org.conversationarchive.search.SearchSort;
import org.conversationarchive.system.InvalidInputException;
import org.jspecify.annotations.Nullable;

import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.util.UriUtils;

/**
 * What the conversations page or the dashboard shows, which its URL holds whole: the
 * filters, {@code view} and {@code unfiltered}, which both pages share, and each page's
 * own settings (the table's {@code sort}, {@code size}, {@code cursor} and
 * {@code columns}; the dashboard's {@code tz}, {@code interval} and {@code split}). With
 * a view and no filter of its own, a page shows the view's filter (and puts it in every
 * link); a filter in the URL takes the view's place. A link to another state (a column's
 * order, the next page, the live-agent switch, the other page) is this URL changed, so
 * any state can be bookmarked and shared.
 */
final class PageState {

	static final String COLUMNS = "columns";

	/**
	 * With a view and no filter: the view without its filter (every filter switched off).
	 */
	static final String UNFILTERED = "unfiltered";

	/**
	 * The review rule whose filters are being changed in the table or the dashboard (the
	 * rule editor's "Change filters" adds it): the page offers to take the filters shown
	 * back to that rule rather than to a new one.
	 */
	static final String RULE = "rule";

	/**
	 * The dashboard's intervals of the volume over time; none is "chosen from the range".
	 */
	static final List<String> INTERVALS = List.of("hour", "day", "week", "month");

	/**
	 * What the dashboard's volume can be split by, besides {@code tag:<key>}.
	 */
	static final List<String> SPLITS = List.of("status", "platform", "flow", "direction", "environment", "agent",
			"liveAgent");

	/**
	 * The two pages a state can be the URL of.
	 */
	enum Page {

		/** The conversations table: its settings are links and hidden fields. */
		TABLE("/", Set.of("sort", "size", "cursor", COLUMNS), Set.of()),

		/**
		 * The dashboard of the same conversations: its settings are fields of the form.
		 */
		DASHBOARD("/dashboard", Set.of("tz", "interval", "split"), Set.of("tz", "interval", "split"));

		private final String path;

		private final Set<String> settings;

		private final Set<String> fields;

		Page(String path, Set<String> settings, Set<String> fields) {
			this.path = path;
			this.settings = settings;
			this.fields = fields;
		}

		String path() {
			return this.path;
		}

	}

	private final Page page;

	private final MultiValueMap<String, String> parameters;

	private PageState(Page page, MultiValueMap<String, String> parameters) {
		this.page = page;
		this.parameters = parameters;
	}

	/**
	 * The state as the request gives it, blank values left out (an empty field of the
	 * filter form means "no filter", not a bad value). Nothing is checked yet, so that a
	 * page with a bad value can still show the form as it was filled in.
	 * @param request the request's parameters
	 * @return the state
	 */
	static PageState of(MultiValueMap<String, String> request) {
		return of(Page.TABLE, request);
	}

	/**
	 * The state of a page as the request gives it, as {@link #of(MultiValueMap)}.
	 * @param page the page
	 * @param request the request's parameters
	 * @return the state
	 */
	static PageState of(Page page, MultiValueMap<String, String> request) {
		MultiValueMap<String, String> cleaned = new LinkedMultiValueMap<>();
		request.forEach((name, values) -> values.stream()
			.filter((value) -> value != null && !value.isBlank())
			.forEach((value) -> cleaned.add(name, value.trim())));
		return new PageState(page, cleaned);
	}

	/**
	 * Refuses what the search API would refuse: unknown parameters, since a misspelt
	 * filter would silently match too much; and the page's settings with values it does
	 * not have.
	 * @throws InvalidInputException naming the parameter
	 */
	void checkNames() {
		Set<String> known = new HashSet<>(FilterParameters.NAMES);
		known.add("view");
		known.add(UNFILTERED);
		known.add(RULE);
		known.addAll(this.page.settings);
		for (String name : this.parameters.keySet()) {
			if (!known.contains(name)) {
				throw new InvalidInputException("unknown parameter '" + name + "'");
			}
		}
		String unfiltered = value(UNFILTERED);
		if (unfiltered != null && !unfiltered.equals("true")) {
			throw new InvalidInputException("parameter unfiltered: '" + unfiltered + "' is not true");
		}
		if (this.page == Page.DASHBOARD) {
			checkDashboard();
		}
	}

	/**
	 * The dashboard's settings, checked as the analytics API checks them, so that a bad
	 * one is said in the page's words before any chart asks for it.
	 */
	private void checkDashboard() {
		String tz = value("tz");
		if (tz != null) {
			try {
				ZoneId.of(tz);
			}
			catch (DateTimeException ex) {
				throw new InvalidInputException("parameter tz: '" + tz + "' is not a time zone (e.g. Europe/Paris)");
			}
		}
		String interval = value("interval");
		if (interval != null && !INTERVALS.contains(interval)) {
			throw new InvalidInputException(
					"parameter interval: '" + interval + "' is not one of " + String.join(", ", INTERVALS));
		}
		String split = value("split");
		if (split != null && !SPLITS.contains(split)
				&& !(split.startsWith("tag:") && !split.substring("tag:".length()).isBlank())) {
			throw new InvalidInputException(
					"parameter split: '" + split + "' is not one of " + String.join(", ", SPLITS) + " or tag:<key>");
		}
	}

	Filter filter() {
		return FilterParameters.parse(this.parameters);
	}

	@Nullable String view() {
		return value("view");
	}

	@Nullable String cursor() {
		return value("cursor");
	}

	@Nullable SearchSort sort() {
		String sort = value("sort");
		return (sort != null) ? SearchSort.parse(sort) : null;
	}

	int size() {
		String size = value("size");
		if (size == null) {
			return ConversationSearch.DEFAULT_SIZE;
		}
		try {
			return Integer.parseInt(size);
		}
		catch (NumberFormatException ex) {
			throw new InvalidInputException("parameter size: '" + size + "' is not a whole number");
		}
	}

	/**
	 * The columns asked for: {@code columns=id,status,date} (or repeated).
	 * @return the columns, or {@code null} for the view's
	 */
	@Nullable List<Column> columns() {
		List<String> values = values(COLUMNS);
		if (values.isEmpty()) {
			return null;
		}
		List<Column> columns = new ArrayList<>();
		for (String value : values) {
			for (String name : value.split(",")) {
				if (name.isBlank()) {
					continue;
				}
				try {
					Column column = Column.of(name);
					if (!columns.contains(column)) {
						columns.add(column);
					}
				}
				catch (IllegalArgumentException ex) {
					throw new InvalidInputException("parameter columns: " + ex.getMessage());
				}
			}
		}
		return columns.isEmpty() ? null : columns;
	}

	/**
	 * Whether the URL gives a filter of its own; without one, a view's filter is shown.
	 * @return whether any filter parameter is given
	 */
	boolean hasFilter() {
		return this.parameters.keySet().stream().anyMatch(FilterParameters.NAMES::contains)
				|| "true".equals(value(UNFILTERED));
	}

	/**
	 * This state with a filter's parameters in place of its own: a view's filter, so that
	 * the panel shows it and every link keeps it.
	 * @param filter the filter's parameters
	 * @return the state
	 */
	PageState withFilter(MultiValueMap<String, String> filter) {
		MultiValueMap<String, String> parameters = new LinkedMultiValueMap<>();
		this.parameters.forEach((name, values) -> {
			if (!FilterParameters.NAMES.contains(name)) {
				parameters.put(name, new ArrayList<>(values));
			}
		});
		filter.forEach((name, values) -> parameters.put(name, new ArrayList<>(values)));
		return new PageState(this.page, parameters);
	}

	/**
	 * This state without a parameter.
	 * @param name the parameter
	 * @return the state
	 */
	PageState without(String name) {
		MultiValueMap<String, String> parameters = new LinkedMultiValueMap<>(this.parameters);
		parameters.remove(name);
		return new PageState(this.page, parameters);
	}

	boolean isEmpty() {
		return this.parameters.isEmpty();
	}

	/**
	 * Whether a filter of the panel is in use.
	 * @param names its parameters
	 * @return whether any of them is given
	 */
	public boolean active(String... names) {
		return Arrays.stream(names).anyMatch(this.parameters::containsKey);
	}

	/**
	 * How many filters of the panel are in use (the search box's words not counted).
	 * @return the count
	 */
	public int activeFilters() {
		Set<String> groups = new HashSet<>();
		for (String name : this.parameters.keySet()) {
			if (FilterParameters.NAMES.contains(name) && !name.equals("q")) {
				groups.add(switch (name) {
					case "to" -> "from";
					case "repeatMax" -> "repeatMin";
					case "turnsMax" -> "turnsMin";
					case "silenceMax" -> "silenceMin";
					case "dailyRankMax" -> "dailyRankMin";
					case "failedFunction" -> "functionFailed";
					case "tagMatch" -> "tag";
					default -> name;
				});
			}
		}
		return groups.size();
	}

	public @Nullable String value(String name) {
		List<String> values = this.parameters.get(name);
		return (values == null || values.isEmpty()) ? null : values.get(0);
	}

	public List<String> values(String name) {
		List<String> values = this.parameters.get(name);
		return (values != null) ? values : List.of();
	}

	public boolean has(String name, String value) {
		return values(name).stream().anyMatch((given) -> given.equalsIgnoreCase(value));
	}

	/**
	 * This page's URL.
	 * @return the path and query
	 */
	public String url() {
		return url((parameters) -> {
		});
	}

	/**
	 * This state with one parameter set (or removed), on its first page.
	 * @param name the parameter
	 * @param value its value, or {@code null} to remove it
	 * @return the URL
	 */
	public String with(String name, @Nullable String value) {
		return url((parameters) -> {
			parameters.remove("cursor");
			parameters.remove(name);
			if (value != null) {
				parameters.add(name, value);
			}
		});
	}

	/**
	 * Another page of this state.
	 * @param cursor the search's {@code nextCursor} or {@code previousCursor}
	 * @return the URL
	 */
	public String at(String cursor) {
		return url((parameters) -> parameters.set("cursor", cursor));
	}

	/**
	 * The parameters that make the page's form: all but those its fields hold.
	 * @param fields the parameters the form's fields hold
	 * @return name to values
	 */
	public List<Map.Entry<String, String>> hidden(String... fields) {
		Set<String> skip = new HashSet<>(Arrays.asList(fields));
		skip.addAll(this.page.fields);
		skip.add("cursor");
		skip.add(UNFILTERED);
		List<Map.Entry<String, String>> hidden = new ArrayList<>();
		this.parameters.forEach((name, values) -> {
			if (!skip.contains(name) && !FilterParameters.NAMES.contains(name)) {
				values.forEach((value) -> hidden.add(Map.entry(name, value)));
			}
		});
		return hidden;
	}

	/**
	 * The conversations table of this state: its view and filters, without the
	 * dashboard's settings.
	 * @return the URL
	 */
	public String table() {
		return on(Page.TABLE);
	}

	/**
	 * The dashboard of this state: its view and filters, without the table's settings.
	 * @return the URL
	 */
	public String dashboard() {
		return on(Page.DASHBOARD);
	}

	private String on(Page other) {
		MultiValueMap<String, String> shared = new LinkedMultiValueMap<>();
		this.parameters.forEach((name, values) -> {
			if (!this.page.settings.contains(name)) {
				shared.put(name, new ArrayList<>(values));
			}
		});
		return new PageState(other, shared).url();
	}

	/**
	 * The rule editor with the filters shown: a new rule's, or those of the rule whose
	 * filters are being changed ({@code rule=}). The range goes along: the editor keeps
	 * it out of the rule (which looks at conversations as they come) and backtests over
	 * it.
	 * @return the editor's URL
	 */
	public String ruleEditor() {
		MultiValueMap<String, String> filter = new LinkedMultiValueMap<>();
		this.parameters.forEach((name, values) -> {
			if (FilterParameters.NAMES.contains(name)) {
				filter.put(name, values);
			}
		});
		String rule = value(RULE);
		String query = query(filter);
		return "/rules/" + ((rule != null) ? UriUtils.encodePathSegment(rule, StandardCharsets.UTF_8) : "new")
				+ (query.isEmpty() ? "" : "?" + query);
	}

	/**
	 * The archive's page of a flow for the filters shown: how their conversations went
	 * through it.
	 * @param flowId the flow's id
	 * @return the page's URL
	 */
	public String flowPage(String flowId) {
		MultiValueMap<String, String> filter = new LinkedMultiValueMap<>();
		this.parameters.forEach((name, values) -> {
			if (FilterParameters.NAMES.contains(name)) {
				filter.put(name, values);
			}
		});
		String query = query(filter);
		return "/flows/" + UriUtils.encodePathSegment(flowId, StandardCharsets.UTF_8)
				+ (query.isEmpty() ? "" : "?" + query);
	}

	/**
	 * The query of the analytics API for what the dashboard shows: the filters shown (the
	 * view's when the URL gives none) and the dashboard's settings, without the view: the
	 * API would AND the view's filter with the filter shown, where the pages put the one
	 * in the place of the other.
	 * @return the query, without {@code ?}
	 */
	public String analyticsQuery() {
		MultiValueMap<String, String> query = new LinkedMultiValueMap<>();
		this.parameters.forEach((name, values) -> {
			if (FilterParameters.NAMES.contains(name) || Page.DASHBOARD.settings.contains(name)) {
				query.put(name, values);
			}
		});
		return query(query);
	}

	private String url(Consumer<MultiValueMap<String, String>> change) {
		MultiValueMap<String, String> parameters = new LinkedMultiValueMap<>();
		this.parameters.forEach((name, values) -> parameters.put(name, new ArrayList<>(values)));
		change.accept(parameters);
		if (hasFilter() && parameters.keySet().stream().noneMatch(FilterParameters.NAMES::contains)) {
			// The last filter removed: everything, not the view's filter nor the default
			// view.
			parameters.set(UNFILTERED, "true");
		}
		String query = query(parameters);
		return this.page.path + (query.isEmpty() ? "" : "?" + query);
	}

	private static String query(MultiValueMap<String, String> parameters) {
		StringBuilder query = new StringBuilder();
		for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
			for (String value : parameter.getValue()) {
				query.append(query.isEmpty() ? "" : "&")
					.append(encode(parameter.getKey()))
					.append('=')
					.append(encode(value));
			}
		}
		return query.toString();
	}

	static String encode(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8);
	}

}
