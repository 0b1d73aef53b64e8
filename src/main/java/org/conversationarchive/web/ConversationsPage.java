package org.conversationarchive.web;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import jakarta.servlet.http.HttpServletResponse;
import co.elastic.clients.elasticsearch._types.SortOrder;
import org.conversationarchive.conversation.Direction;
import org.conversationarchive.conversation.Environment;
import org.conversationarchive.conversation.FlagSource;
import org.conversationarchive.conversation.Platform;
import org.conversationarchive.conversation.SenderType;
import org.conversationarchive.conversation.Status;
import org.conversationarchive.conversation.Column;
import org.conversationarchive.search.ConversationSearch;
import org.conversationarchive.search.Filter;
import org.conversationarchive.search.FilterParameters;
import org.conversationarchive.search.SavedView;
import org.conversationarchive.search.SearchPage;
import org.conversationarchive.search.SearchSort;
import org.conversationarchive.security.CurrentUser;
import org.conversationarchive.security.Role;
import org.conversationarchive.system.InvalidInputException;
import org.conversationarchive.system.NotFoundException;
import org.conversationarchive.views.ViewChoice;
import org.conversationarchive.views.Views;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The conversations table: one search renders the rows, the total, the facet counts and
 * the highlights on the server, so a page costs one round trip to Elasticsearch (and one
 * for the view selector). Without any parameter it opens the org's default view, by
 * redirecting to its URL, so the address bar always says what is shown. A view's filter
 * shows in the panel; a filter in the URL takes its place, and the page says the view was
 * modified.
 */
@Controller
class ConversationsPage {

	/**
	 * The columns whose header sorts the table, and by what.
	 */
	static final Map<Column, SearchSort.Key> SORTABLE = Map.of(Column.DATE, SearchSort.Key.DATE, Column.LAST_MESSAGE,
			SearchSort.Key.LAST_MESSAGE, Column.DURATION, SearchSort.Key.DURATION);

	/**
	 * The content query of a search as a conversation's page takes it ({@code ?q=…}), so
	 * that a row opens on where the words were said; empty without one.
	 */
	static String matchQuery(Filter filter) {
		if (filter.contentQuery() == null) {
			return "";
		}
		StringBuilder query = new StringBuilder("?q=").append(encode(filter.content().query()));
		if (filter.content().speaker() != null) {
			query.append("&speaker=").append(encode(filter.content().speaker().json()));
		}
		if (filter.content().within() != null) {
			query.append("&within=").append(encode(filter.content().within().toString()));
		}
		return query.toString();
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private final ConversationSearch search;

	private final Views views;

	private final CurrentUser user;

	private final JsonMapper json;

	ConversationsPage(ConversationSearch search, Views views, CurrentUser user, JsonMapper json) {
		this.search = search;
		this.views = views;
		this.user = user;
		this.json = json;
	}

	@GetMapping("/")
	String conversations(@RequestParam MultiValueMap<String, String> parameters, Model model,
			HttpServletResponse response) throws IOException {
		PageState state = PageState.of(parameters);
		if (state.isEmpty()) {
			return "redirect:" + state.with("view", this.views.defaultViewId(this.user));
		}
		List<ViewChoice> choices = this.views.choices(this.user);
		model.addAttribute("state", state);
		model.addAttribute("views", choices);
		model.addAttribute("statuses", Status.values());
		model.addAttribute("platforms", Platform.values());
		model.addAttribute("directions", Direction.values());
		model.addAttribute("environments", Environment.values());
		model.addAttribute("flagSources", FlagSource.values());
		model.addAttribute("speakers", SenderType.values());
		model.addAttribute("allColumns", Column.ALL);
		model.addAttribute("filterNames", String.join(",", new TreeSet<>(FilterParameters.NAMES)));
		model.addAttribute("idColumn", Column.ID);
		model.addAttribute("activeFilters", state.activeFilters());
		model.addAttribute("sortHeaders", sortHeaders(state, SearchSort.DEFAULT));
		model.addAttribute("facets", Facets.NONE);
		model.addAttribute("columns", Column.DEFAULT);
		model.addAttribute("sort", SearchSort.DEFAULT);
		model.addAttribute("matchQuery", "");
		ViewChoice currentView = current(choices, state.view());
		model.addAttribute("currentView", currentView);
		try {
			state.checkNames();
			SavedView view = (state.view() != null) ? this.views.find(this.user, state.view()) : null;
			model.addAttribute("viewFiltered", view != null && !view.filter().equals(Filter.ALL));
			if (view != null && !state.hasFilter()) {
				// The view's own filter, in the panel and in every link of the page.
				state = state.withFilter(FilterParameters.of(view.filter()));
				model.addAttribute("state", state);
				model.addAttribute("activeFilters", state.activeFilters());
			}
			Filter filter = state.filter();
			List<Column> asked = state.columns();
			SearchSort sort = (state.sort() != null) ? state.sort() : (view != null) ? view.sort() : SearchSort.DEFAULT;
			List<Column> columns = (asked != null) ? asked : (view != null) ? view.columns() : Column.DEFAULT;
			SearchPage page = this.search.search(this.user.id(), filter, sort, state.size(), state.cursor());
			model.addAttribute("page", page);
			model.addAttribute("rows", page.items().stream().map((row) -> row.read(this.json)).toList());
			model.addAttribute("facets", new Facets(page.facets()));
			model.addAttribute("columns", columns);
			model.addAttribute("sort", sort);
			model.addAttribute("sortHeaders", sortHeaders(state, sort));
			model.addAttribute("relevance", filter.contentQuery() != null);
			model.addAttribute("matchQuery", matchQuery(filter));
			boolean modified = view != null && !same(view, filter, state.sort(), asked);
			model.addAttribute("modified", modified);
			model.addAttribute("export", this.json.writeValueAsString(exportRequest(view, modified, filter, columns)));
			Map<String, Object> saveRequest = new java.util.LinkedHashMap<>();
			saveRequest.put("filter", filter);
			saveRequest.put("columns", columns);
			saveRequest.put("sort", sort.toString());
			model.addAttribute("saveRequest", this.json.writeValueAsString(saveRequest));
			if (view != null && currentView != null && mayChange(currentView)) {
				saveRequest.put("name", view.name());
				model.addAttribute("updateRequest", this.json.writeValueAsString(saveRequest));
			}
		}
		catch (InvalidInputException ex) {
			response.setStatus(400);
			model.addAttribute("problem", Problem.invalid(ex.getMessage()));
		}
		catch (NotFoundException ex) {
			// A view that is gone: the page goes on without it, so a filter change works.
			response.setStatus(404);
			model.addAttribute("problem", Problem.notFound(ex.getMessage()));
			model.addAttribute("state", state.without("view"));
			model.addAttribute("currentView", null);
		}
		return "conversations";
	}

	/**
	 * For each sortable column: the link that sorts by it (newest or longest first, or
	 * the other way when it already sorts), and its {@code aria-sort}.
	 */
	private static Map<String, SortHeader> sortHeaders(PageState state, SearchSort sort) {
		Map<String, SortHeader> headers = new java.util.HashMap<>();
		SORTABLE.forEach((column, key) -> {
			boolean current = sort.key() == key;
			boolean ascending = current && sort.order() == SortOrder.Asc;
			String next = column.json() + ((current && !ascending) ? ":asc" : ":desc");
			headers.put(column.json(), new SortHeader(state.with("sort", next),
					current ? (ascending ? "ascending" : "descending") : "none"));
		});
		return headers;
	}

	/**
	 * A sortable column header.
	 *
	 * @param url the link that sorts by the column
	 * @param ariaSort how the table is sorted by it now
	 */
	record SortHeader(String url, String ariaSort) {
	}

	private static @Nullable ViewChoice current(List<ViewChoice> choices, @Nullable String id) {
		return choices.stream().filter((choice) -> choice.id().equals(id)).findFirst().orElse(null);
	}

	/**
	 * Whether the page shows a view as it was saved: its filter (as the panel reads it
	 * back), and its order and columns unless the URL chooses others.
	 */
	private static boolean same(SavedView view, Filter filter, @Nullable SearchSort sort,
			@Nullable List<Column> columns) {
		return comparable(filter).equals(comparable(view.filter())) && (sort == null || sort.equals(view.sort()))
				&& (columns == null || columns.equals(view.columns()));
	}

	/**
	 * A filter as its parameters, each one's values as a set (the panel sends them in its
	 * own order), and {@code tagMatch=all}, the default, as no tagMatch.
	 */
	static Map<String, Set<String>> comparable(Filter filter) {
		Map<String, Set<String>> parameters = new TreeMap<>();
		FilterParameters.of(filter).forEach((name, values) -> parameters.put(name, new TreeSet<>(values)));
		if (Set.of("all").equals(parameters.get("tagMatch"))) {
			parameters.remove("tagMatch");
		}
		return parameters;
	}

	/**
	 * Whether the user may save changes to a view in place: not a built-in one, and an
	 * org view only as a manager.
	 */
	private boolean mayChange(ViewChoice view) {
		return !view.builtIn() && this.user.can(Role.ANALYST) && (!view.orgScope() || this.user.can(Role.MANAGER));
	}

	/**
	 * The body of {@code POST /api/v1/exports} for what the page shows: the view as
	 * saved, or the filter and columns shown.
	 */
	private static Map<String, Object> exportRequest(@Nullable SavedView view, boolean modified, Filter filter,
			List<Column> columns) {
		Map<String, Object> request = new java.util.LinkedHashMap<>();
		if (view != null && !modified) {
			request.put("viewId", view.id());
			return request;
		}
		if (!filter.equals(Filter.ALL)) {
			request.put("filter", filter);
		}
		request.put("columns", columns);
		return request;
	}

}
