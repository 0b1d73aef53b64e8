package org.conversationarchive.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.conversationarchive.flows.Flow;
import org.conversationarchive.flows.Flows;
import org.conversationarchive.search.FilterParameters;
import org.conversationarchive.security.CurrentUser;
import org.conversationarchive.security.Role;
import org.conversationarchive.system.InvalidInputException;
import org.conversationarchive.system.NotFoundException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * A flow's graph with how the conversations of a filter (the table's, in the query
 * string) went through it. The page renders the graph and the funnel's rows; flow.js asks
 * the flows analytics for the counts, so that the page still shows the graph when they
 * cannot be had.
 */
@Controller
class FlowPage {

	private final Flows flows;

	private final CurrentUser user;

	private final JsonMapper json;

	FlowPage(Flows flows, CurrentUser user, JsonMapper json) {
		this.flows = flows;
		this.user = user;
		this.json = json;
	}

	@GetMapping("/flows/{id}")
	String flow(@PathVariable String id, @RequestParam MultiValueMap<String, String> parameters, Model model) {
		this.user.require(Role.VIEWER, "read flows");
		MultiValueMap<String, String> filter = new LinkedMultiValueMap<>();
		parameters.forEach((name, values) -> {
			if (name.equals("version")) {
				return;
			}
			if (!FilterParameters.NAMES.contains(name)) {
				throw new InvalidInputException("unknown parameter '" + name + "'");
			}
			values.stream().filter((value) -> !value.isBlank()).forEach((value) -> filter.add(name, value.trim()));
		});
		// Refused here in the page's words, before the script asks the API.
		FilterParameters.parse(filter);
		Integer version = version(FilterParameters.single(parameters, "version"));
		Flow flow = this.flows.find(this.user.id(), id, version)
			.orElseThrow(() -> new NotFoundException(
					"no flow '" + id + "'" + ((version != null) ? " of version " + version : "") + " in the archive"));
		String filterQuery = PageState.of(filter).flowPage(id);
		filterQuery = filterQuery.contains("?") ? filterQuery.substring(filterQuery.indexOf('?') + 1) : "";
		MultiValueMap<String, String> table = new LinkedMultiValueMap<>(filter);
		if (!table.containsKey("flow")) {
			table.add("flow", id);
		}
		model.addAttribute("flow", flow);
		// Without a version asked for, every conversation of the flow is counted.
		model.addAttribute("versionChosen", version != null);
		model.addAttribute("nodes", flow.ordered());
		model.addAttribute("versions", this.flows.versions(this.user.id(), id));
		model.addAttribute("graph", this.json.writeValueAsString(graph(flow)));
		model.addAttribute("filterQuery", filterQuery);
		model.addAttribute("filterCount", PageState.of(filter).activeFilters());
		model.addAttribute("filterFields", fields(filter));
		model.addAttribute("tableLink", PageState.of(table).url());
		return "flow";
	}

	private static @Nullable Integer version(@Nullable String version) {
		return (version == null || version.isBlank()) ? null : Flow.version(version.trim(), "parameter version");
	}

	/** The filter as hidden fields of the version form, which keeps it. */
	private static List<Map.Entry<String, String>> fields(MultiValueMap<String, String> filter) {
		List<Map.Entry<String, String>> fields = new ArrayList<>();
		filter.forEach((name, values) -> values.forEach((value) -> fields.add(Map.entry(name, value))));
		return fields;
	}

	/**
	 * A flow's graph as the pages' scripts draw it.
	 * @param flow the flow
	 * @return its nodes and edges
	 */
	static Map<String, Object> graph(Flow flow) {
		Map<String, Object> graph = new LinkedHashMap<>();
		graph.put("id", flow.id());
		graph.put("name", flow.name());
		graph.put("version", flow.version());
		graph.put("nodes", flow.nodes());
		graph.put("edges", flow.edges());
		return graph;
	}

}
