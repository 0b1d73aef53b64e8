package org.conversationarchive.web;

import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What went wrong, in plain words, and what to do about it. The detail is the API's
 * (which names the value), with the parameter called by the name the page gives it.
 *
 * @param status the HTTP status
 * @param title what went wrong, in a few words
 * @param detail what exactly, naming the value
 * @param advice what to do about it
 */
record Problem(int status, String title, String detail, String advice) {

	/** The page's names of the parameters the API's messages name. */
	private static final Map<String, String> LABELS = Map.ofEntries(Map.entry("id", "ID"),
			Map.entry("status", "Status"), Map.entry("from", "Date (from)"), Map.entry("to", "Date (to)"),
			Map.entry("platform", "Platform"), Map.entry("flow", "Flow"), Map.entry("direction", "Direction"),
			Map.entry("env", "Used For"), Map.entry("flagged", "Flagged"), Map.entry("repeatMin", "Repeat contacts"),
			Map.entry("repeatMax", "Repeat contacts"), Map.entry("contact", "Contact"), Map.entry("q", "Search"),
			Map.entry("speaker", "Content said by"), Map.entry("function", "Function"), Map.entry("tag", "Tags"),
			Map.entry("tagMatch", "Tags"), Map.entry("param", "Parameters"), Map.entry("agent", "Agent"),
			Map.entry("liveAgent", "Live-agent handled"), Map.entry("flagSource", "Flagged by"),
			Map.entry("emotion", "Emotions"), Map.entry("turnsMin", "Turns"), Map.entry("turnsMax", "Turns"),
			Map.entry("silenceMin", "Longest silence"), Map.entry("silenceMax", "Longest silence"),
			Map.entry("functionFailed", "Failed function calls"), Map.entry("failedFunction", "Failed function calls"),
			Map.entry("customerRepeated", "Customer repeated themselves"),
			Map.entry("dailyRankMin", "Contact's conversations that day"),
			Map.entry("dailyRankMax", "Contact's conversations that day"), Map.entry("flowNode", "Passed node"),
			Map.entry("exitNode", "Exit node"), Map.entry("version", "Version"), Map.entry("sort", "Sort order"),
			Map.entry("size", "Rows per page"), Map.entry("cursor", "Page link"), Map.entry("columns", "Columns"),
			Map.entry("view", "View"), Map.entry("unfiltered", "Clear all filters"), Map.entry("tz", "Time zone"),
			Map.entry("interval", "Interval"), Map.entry("split", "Split by"));

	/** The parameters that are settings of the page rather than filters. */
	private static final Set<String> PAGE_SETTINGS = Set.of("sort", "size", "cursor", "columns", "view", "unfiltered");

	/** The dashboard's settings, which it shows as fields of its own. */
	private static final Set<String> DASHBOARD_SETTINGS = Set.of("tz", "interval", "split");

	private static final Pattern PARAMETER = Pattern.compile("^parameter (\\w+): ");

	private static final Pattern UNKNOWN = Pattern.compile("^unknown parameter '([^']*)'$");

	static Problem invalid(String detail) {
		Matcher unknown = UNKNOWN.matcher(detail);
		if (unknown.matches()) {
			return new Problem(400, "This address has a setting the archive does not know",
					"“" + unknown.group(1) + "” is not a filter or a setting of this page.",
					"Remove it from the address, or clear the filters and choose them again.");
		}
		Matcher parameter = PARAMETER.matcher(detail);
		if (parameter.find()) {
			String label = LABELS.getOrDefault(parameter.group(1), parameter.group(1));
			String what = label + ": " + detail.substring(parameter.end());
			if (DASHBOARD_SETTINGS.contains(parameter.group(1))) {
				return new Problem(400, "This page's address cannot be shown as it is", what, "Choose another "
						+ label.toLowerCase(java.util.Locale.ROOT) + " above the charts; the charts follow at once.");
			}
			if (PAGE_SETTINGS.contains(parameter.group(1))) {
				return new Problem(400, "This page's address cannot be shown as it is", what,
						"The link may be out of date: open the view again, or go back to the first page.");
			}
			return new Problem(400, "The " + label + " filter cannot be used as it is", what,
					"Change the value or switch the " + label + " filter off; the page follows at once.");
		}
		return new Problem(400, "These filters cannot be used as they are", detail,
				"Change the value it names, or clear the filters.");
	}

	static Problem notFound(String detail) {
		return new Problem(404, "Not found", detail,
				"It may have been deleted or never existed. Go back to the conversations and search for it.");
	}

	static Problem forbidden(String detail) {
		return new Problem(403, "Your role does not allow this", detail,
				"Ask an admin of your org for the role it needs.");
	}

	static Problem unavailable() {
		return new Problem(503, "The archive's storage cannot be reached", "Elasticsearch is not answering right now.",
				"Reload the page in a moment; if it lasts, tell whoever runs the archive.");
	}

}
