package org.conversationarchive.web;

import java.time.Instant;

import jakarta.servlet.http.HttpServletResponse;
import org.conversationarchive.search.Filter;
import org.conversationarchive.search.FilterParameters;
import org.conversationarchive.system.InvalidInputException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The review rules: their list, and the editor of one. The server renders the frame; the
 * page's script reads and writes the rules through the rules API with the session, so the
 * pages offer exactly what the API does (and the API refuses a reader's change anyway). A
 * rule's filter is built where filters are built, the conversations table: its "Create
 * rule…" opens the editor with the table's filters in the query string, read here as the
 * table reads them.
 */
@Controller
class RulesPage {

	private final Formats formats;

	private final JsonMapper json;

	RulesPage(Formats formats, JsonMapper json) {
		this.formats = formats;
		this.json = json;
	}

	@GetMapping("/rules")
	String rules(Model model) {
		model.addAttribute("labels", this.json.writeValueAsString(this.formats.labels()));
		return "rules";
	}

	@GetMapping("/rules/new")
	String create(@RequestParam MultiValueMap<String, String> parameters, Model model, HttpServletResponse response) {
		return editor(null, parameters, model, response);
	}

	/**
	 * A saved rule, with its filter as saved, or with the filters of the query string in
	 * its place (back from "Change filters"); the script loads the rule.
	 */
	@GetMapping("/rules/{id}")
	String edit(@PathVariable String id, @RequestParam MultiValueMap<String, String> parameters, Model model,
			HttpServletResponse response) {
		return editor(id, parameters, model, response);
	}

	private String editor(@Nullable String id, MultiValueMap<String, String> parameters, Model model,
			HttpServletResponse response) {
		model.addAttribute("ruleId", id);
		model.addAttribute("title", (id != null) ? "Rule" : "New rule");
		model.addAttribute("labels", this.json.writeValueAsString(this.formats.labels()));
		try {
			for (String name : parameters.keySet()) {
				if (!FilterParameters.NAMES.contains(name)) {
					throw new InvalidInputException("unknown parameter '" + name + "'");
				}
			}
			// A rule looks at each conversation as it is written: a range of start times
			// would stop it one day. The range is the backtest's window instead, and a
			// range alone leaves a saved rule's filter as it is.
			Filter filter = PageState.of(parameters).filter();
			Filter undated = filter.between(null, null);
			if (!undated.equals(Filter.ALL)) {
				model.addAttribute("filter", this.json.writeValueAsString(undated));
			}
			model.addAttribute("windowFrom", instant(filter.from()));
			model.addAttribute("windowTo", instant(filter.to()));
		}
		catch (InvalidInputException ex) {
			response.setStatus(400);
			model.addAttribute("problem", Problem.invalid(ex.getMessage()));
		}
		return "rule";
	}

	private static @Nullable String instant(@Nullable Instant instant) {
		return (instant != null) ? instant.toString() : null;
	}

}
