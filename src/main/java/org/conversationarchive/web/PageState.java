package org.conversationarchive.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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

/**
 * What the conversations page shows, which its URL holds whole: the search API's own
 * query parameters (the filters, {@code view}, {@code sort}, {@code size},
 * {@code cursor}) and the page's own {@code columns} and {@code unfiltered}. With a view
 * and no filter of its own, the page shows the view's filter (and puts it in every link);
 * a filter in the URL takes the view's place. A link to another state (a column's order,
 * the next page, the live-agent switch) is this URL changed, so any state can be
 * bookmarked and shared.
 */
final class PageState {

	static final Set<String> PAGING = Set.of("view", "sort", "size", "cursor");

	static final String COLUMNS = "columns";

	/**
	 * With a view and no filter: the view without its filter (every filter switched off).
	 */
	static final String UNFILTERED = "unfiltered";

	private final MultiValueMap<String, String> parameters;

	private PageState(MultiValueMap<String, String> parameters) {
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
		MultiValueMap<String, String> cleaned = new LinkedMultiValueMap<>();
		request.forEach((name, values) -> values.stream()
			.filter((value) -> value != null && !value.isBlank())
			.forEach((value) -> cleaned.add(name, value.trim())));
		return new PageState(cleaned);
	}

	/**
	 * Refuses what the search API would refuse: unknown parameters, since a misspelt
	 * filter would silently match too much.
	 * @throws InvalidInputException naming the parameter
	 */
	void checkNames() {
		Set<String> known = new HashSet<>(FilterParameters.NAMES);
		known.addAll(PAGING);
		known.add(COLUMNS);
		known.add(UNFILTERED);
		for (String name : this.parameters.keySet()) {
			if (!known.contains(name)) {
				throw new InvalidInputException("unknown parameter '" + name + "'");
			}
		}
		String unfiltered = value(UNFILTERED);
		if (unfiltered != null && !unfiltered.equals("true")) {
			throw new InvalidInputException("parameter unfiltered: '" + unfiltered + "' is not true");
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
		return new PageState(parameters);
	}

	/**
	 * This state without a parameter.
	 * @param name the parameter
	 * @return the state
	 */
	PageState without(String name) {
		MultiValueMap<String, String> parameters = new LinkedMultiValueMap<>(this.parameters);
		parameters.remove(name);
		return new PageState(parameters);
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

	private String url(Consumer<MultiValueMap<String, String>> change) {
		MultiValueMap<String, String> parameters = new LinkedMultiValueMap<>();
		this.parameters.forEach((name, values) -> parameters.put(name, new ArrayList<>(values)));
		change.accept(parameters);
		if (hasFilter() && parameters.keySet().stream().noneMatch(FilterParameters.NAMES::contains)) {
			// The last filter removed: everything, not the view's filter nor the default
			// view.
			parameters.set(UNFILTERED, "true");
		}
		StringBuilder url = new StringBuilder("/");
		char separator = '?';
		for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
			for (String value : parameter.getValue()) {
				url.append(separator).append(encode(parameter.getKey())).append('=').append(encode(value));
				separator = '&';
			}
		}
		return url.toString();
	}

	static String encode(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8);
	}

}
