package org.conversationarchive.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import jakarta.servlet.http.HttpServletResponse;
import org.conversationarchive.conversation.Direction;
import org.conversationarchive.conversation.Environment;
import org.conversationarchive.conversation.FlagSource;
import org.conversationarchive.conversation.Platform;
import org.conversationarchive.conversation.SenderType;
import org.conversationarchive.conversation.Status;
import org.conversationarchive.search.ConversationSearch;
import org.conversationarchive.search.Filter;
import org.conversationarchive.search.FilterParameters;
import org.conversationarchive.search.SavedView;
import org.conversationarchive.search.SearchPage;
import org.conversationarchive.search.SearchPage.FacetValue;
import org.conversationarchive.search.SearchSort;
import org.conversationarchive.security.CurrentUser;
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
 * The dashboard: what the conversations of a view or filter add up to, with the table's
 * filter panel and view selector. The server renders the panel (its facet counts from one
 * search) and the frame of the charts; the page's script asks the analytics API for the
 * figures with the filter shown and the dashboard's settings, and draws them. Without any
 * parameter it opens the org's default view, as the table does.
 */
@Controller
class DashboardPage {

	private final ConversationSearch search;

	private final Views views;

	private final CurrentUser user;

	private final Formats formats;

	private final JsonMapper json;

	DashboardPage(ConversationSearch search, Views views, CurrentUser user, Formats formats, JsonMapper json) {
		this.search = search;
		this.views = views;
		this.user = user;
		this.formats = formats;
		this.json = json;
	}

	@GetMapping("/dashboard")
	String dashboard(@RequestParam MultiValueMap<String, String> parameters, Model model, HttpServletResponse response)
			throws IOException {
		PageState state = PageState.of(PageState.Page.DASHBOARD, parameters);
		if (state.isEmpty()) {
			return "redirect:" + state.with("view", this.views.defaultViewId(this.user));
		}
		List<ViewChoice> choices = this.views.choices(this.user);
		ViewChoice currentView = choices.stream()
			.filter((choice) -> choice.id().equals(state.view()))
			.findFirst()
			.orElse(null);
		model.addAttribute("state", state);
		model.addAttribute("views", choices);
		model.addAttribute("currentView", currentView);
		model.addAttribute("statuses", Status.values());
		model.addAttribute("platforms", Platform.values());
		model.addAttribute("directions", Direction.values());
		model.addAttribute("environments", Environment.values());
		model.addAttribute("flagSources", FlagSource.values());
		model.addAttribute("speakers", SenderType.values());
		model.addAttribute("filterNames", String.join(",", new TreeSet<>(FilterParameters.NAMES)));
		model.addAttribute("activeFilters", state.activeFilters());
		model.addAttribute("facets", Facets.NONE);
		model.addAttribute("intervals", PageState.INTERVALS);
		model.addAttribute("splits", splits(Facets.NONE, state.value("split")));
		model.addAttribute("labels", this.json.writeValueAsString(labels(Facets.NONE)));
		model.addAttribute("modified", false);
		try {
			state.checkNames();
			SavedView view = (state.view() != null) ? this.views.find(this.user, state.view()) : null;
			model.addAttribute("viewFiltered", view != null && !view.filter().equals(Filter.ALL));
			PageState shown = state;
			if (view != null && !state.hasFilter()) {
				// The view's own filter, in the panel, in every link and in the charts'
				// requests.
				shown = state.withFilter(FilterParameters.of(view.filter()));
				model.addAttribute("state", shown);
				model.addAttribute("activeFilters", shown.activeFilters());
			}
			Filter filter = shown.filter();
			// The panel's counts, as the table shows them: one search, one row (the least
			// it takes).
			SearchPage page = this.search.search(this.user.id(), filter, SearchSort.DEFAULT, 1, null);
			Facets facets = new Facets(page.facets());
			model.addAttribute("facets", facets);
			model.addAttribute("splits", splits(facets, shown.value("split")));
			model.addAttribute("labels", this.json.writeValueAsString(labels(facets)));
			model.addAttribute("modified", view != null
					&& !ConversationsPage.comparable(filter).equals(ConversationsPage.comparable(view.filter())));
			model.addAttribute("analytics", shown.analyticsQuery());
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
		return "dashboard";
	}

	/**
	 * What the volume can be split by: the fixed choices, a choice per tag key the
	 * conversations have, and the one asked for.
	 */
	private List<Choice> splits(Facets facets, @Nullable String current) {
		List<Choice> splits = new ArrayList<>();
		splits.add(new Choice("", "Nothing"));
		for (String split : PageState.SPLITS) {
			splits.add(new Choice(split, switch (split) {
				case "liveAgent" -> "Live-agent handled";
				case "environment" -> "Used For";
				default -> this.formats.label(split);
			}));
		}
		for (FacetValue key : facets.options("tagKeys", List.of())) {
			splits.add(new Choice("tag:" + key.value(), "Tag: " + key.value()));
		}
		if (current != null && splits.stream().noneMatch((choice) -> choice.value().equals(current))) {
			splits.add(new Choice(current,
					current.startsWith("tag:") ? "Tag: " + current.substring("tag:".length()) : current));
		}
		return splits;
	}

	/**
	 * How the page names the values the figures give: statuses, platforms and the like as
	 * the table names them, flows by their names.
	 */
	private Map<String, Map<String, String>> labels(Facets facets) {
		Map<String, Map<String, String>> labels = this.formats.labels();
		Map<String, String> flows = new LinkedHashMap<>();
		for (FacetValue flow : facets.options("flow", List.of())) {
			if (flow.label() != null) {
				flows.put(flow.value(), flow.label());
			}
		}
		labels.put("flow", flows);
		labels.put("liveAgent", Map.of("true", "Handled by a live agent", "false", "AI only"));
		return labels;
	}

	/**
	 * A choice of a select.
	 *
	 * @param value its value in the URL (empty for none)
	 * @param label what it says
	 */
	record Choice(String value, String label) {
	}

}
