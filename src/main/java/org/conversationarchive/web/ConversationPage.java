package org.conversationarchive.web;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.conversationarchive.conversation.Conversation;
import org.conversationarchive.conversation.Conversation.Artifact;
import org.conversationarchive.conversation.Conversation.Message;
import org.conversationarchive.conversation.Conversations;
import org.conversationarchive.conversation.LiveConversationsWriting;
import org.conversationarchive.flows.Flow;
import org.conversationarchive.flows.Flows;
import org.conversationarchive.search.ConversationRow.Highlight;
import org.conversationarchive.search.ConversationSearch;
import org.conversationarchive.search.Filter;
import org.conversationarchive.search.FilterParameters;
import org.conversationarchive.search.SearchPage;
import org.conversationarchive.search.SearchSort;
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
 * One conversation: its transcript with function calls and artifacts in place, the
 * recording, the facts panel, and its flags with their history and forms to change them.
 * One read of the conversation renders it all.
 */
@Controller
class ConversationPage {

	private final Conversations conversations;

	private final CurrentUser user;

	private final ConversationSearch search;

	private final JsonMapper json;

	private final Flows flows;

	ConversationPage(Conversations conversations, CurrentUser user, ConversationSearch search, JsonMapper json,
			Flows flows) {
		this.conversations = conversations;
		this.user = user;
		this.search = search;
		this.json = json;
		this.flows = flows;
	}

	@GetMapping("/conversations/{id}")
	String conversation(@PathVariable String id, @RequestParam MultiValueMap<String, String> parameters, Model model)
			throws IOException {
		this.user.require(Role.VIEWER, "read conversations");
		Conversation conversation = this.conversations.toApi(this.conversations.find(this.user.id(), id)
			.orElseThrow(() -> new NotFoundException("no conversation '" + id + "'"))
			.document());
		model.addAttribute("conversation", conversation);
		model.addAttribute("entries", entries(conversation));
		model.addAttribute("severities", Conversation.Flag.SEVERITIES);
		model.addAttribute("live",
				LiveConversationsWriting.live(conversation.status()) && conversation.endedAt() == null);
		model.addAttribute("matches", matches(id, parameters));
		Path path = path(conversation);
		model.addAttribute("path", path);
		model.addAttribute("nodeLabels", (path != null) ? path.labels() : Map.of());
		return "conversation";
	}

	/**
	 * The conversation's way through its flow, where the archive has the flow's graph:
	 * the version it ran, else (none named, or that one not published) the latest.
	 */
	private @Nullable Path path(Conversation conversation) {
		if (conversation.flow() == null || conversation.flow().id() == null) {
			return null;
		}
		String flowId = conversation.flow().id();
		Integer ran = conversation.flowVersion();
		Optional<Flow> flow = (ran != null) ? this.flows.find(this.user.id(), flowId, ran) : Optional.empty();
		if (flow.isEmpty()) {
			flow = this.flows.find(this.user.id(), flowId, null);
		}
		if (flow.isEmpty()) {
			return null;
		}
		Map<String, String> labels = new LinkedHashMap<>();
		flow.get().nodes().forEach((node) -> labels.put(node.id(), node.label()));
		List<Message> messages = (conversation.messages() != null) ? conversation.messages() : List.of();
		List<Step> steps = new ArrayList<>();
		for (int i = 0; i < messages.size(); i++) {
			String node = messages.get(i).flowNode();
			// A run of messages at one node is one step; coming back later is another.
			if (node != null && (steps.isEmpty() || !steps.get(steps.size() - 1).node().equals(node))) {
				steps.add(
						new Step(steps.size() + 1, node, labels.getOrDefault(node, node), labels.containsKey(node), i));
			}
		}
		Map<String, Object> graph = FlowPage.graph(flow.get());
		graph.put("steps", steps);
		graph.put("exitNode", conversation.exitNode());
		return new Path(flow.get(), steps, conversation.exitNode(), labels,
				(ran != null && ran != flow.get().version()) ? ran : null, this.json.writeValueAsString(graph));
	}

	/**
	 * A conversation's way through its flow's graph.
	 *
	 * @param flow the version shown
	 * @param steps the nodes it passed, in order, a run of messages at one node a step
	 * @param exitNode where it left the flow
	 * @param labels each node's label
	 * @param missingVersion the version it ran, when that one is not in the archive
	 * @param json the graph and the path, for conversation.js
	 */
	record Path(Flow flow, List<Step> steps, @Nullable String exitNode, Map<String, String> labels,
			@Nullable Integer missingVersion, String json) {

		public String exitLabel() {
			return (this.exitNode != null) ? this.labels.getOrDefault(this.exitNode, this.exitNode) : "";
		}

	}

	/**
	 * A step of a conversation's path.
	 *
	 * @param number its place in the path, from 1
	 * @param node the flow node
	 * @param label the node's label
	 * @param inGraph whether the version shown has the node
	 * @param message the index of its first message
	 */
	record Step(int number, String node, String label, boolean inGraph, int message) {
	}

	/**
	 * What the content query the page was opened with ({@code q}, with {@code speaker}
	 * and {@code within}, as the table links here) found in this conversation: each
	 * matching message marked, with its offset for the recording.
	 */
	private @Nullable Matches matches(String id, MultiValueMap<String, String> parameters) throws IOException {
		String query = FilterParameters.single(parameters, "q");
		if (query == null) {
			return null;
		}
		MultiValueMap<String, String> content = new LinkedMultiValueMap<>();
		for (String name : List.of("q", "speaker", "within")) {
			if (parameters.containsKey(name)) {
				content.put(name, parameters.get(name));
			}
		}
		content.add("id", id);
		Filter filter;
		try {
			filter = FilterParameters.parse(content);
		}
		catch (InvalidInputException ex) {
			return new Matches(query, List.of(), ex.getMessage());
		}
		SearchPage page = this.search.search(this.user.id(), filter, SearchSort.DEFAULT, 1, null);
		List<Highlight> highlights = page.items().isEmpty() ? List.of()
				: page.items().get(0).read(this.json).highlights();
		return new Matches(query, (highlights != null) ? highlights : List.of(), null);
	}

	/**
	 * The messages a content query found here.
	 *
	 * @param query the query
	 * @param highlights the best-matching messages, in the transcript's order
	 * @param problem what is wrong with the query, if it cannot be read
	 */
	record Matches(String query, List<Highlight> highlights, @Nullable String problem) {
	}

	/**
	 * The transcript in order, each message with the artifacts that belong to it; the
	 * artifacts of no (or an unknown) message come last.
	 */
	private static List<Entry> entries(Conversation conversation) {
		List<Message> messages = (conversation.messages() != null) ? conversation.messages() : List.of();
		List<Artifact> artifacts = (conversation.artifacts() != null) ? conversation.artifacts() : List.of();
		List<Entry> entries = new ArrayList<>();
		for (int i = 0; i < messages.size(); i++) {
			int index = i;
			Message message = messages.get(i);
			entries.add(new Entry(message,
					artifacts.stream()
						.filter((artifact) -> artifact.messageIndex() != null && artifact.messageIndex() == index)
						.map(Shown::of)
						.toList(),
					(message.at() != null && conversation.startedAt() != null)
							? Math.max(0, Duration.between(conversation.startedAt(), message.at()).toSeconds())
							: null));
		}
		List<Shown> rest = artifacts.stream()
			.filter((artifact) -> artifact.messageIndex() == null || artifact.messageIndex() < 0
					|| artifact.messageIndex() >= messages.size())
			.map(Shown::of)
			.toList();
		if (!rest.isEmpty()) {
			entries.add(new Entry(null, rest, null));
		}
		return entries;
	}

	/**
	 * A message of the transcript (or none, for the artifacts after it) and its
	 * artifacts.
	 *
	 * @param message the message
	 * @param artifacts its artifacts
	 */
	record Entry(@Nullable Message message, List<Shown> artifacts, @Nullable Long offsetSeconds) {

		public String senderClass() {
			return (this.message != null && this.message.senderType() != null)
					? this.message.senderType().json().replace('_', '-') : "unknown";
		}

	}

	/**
	 * An artifact and how the page shows it: images inline, everything else as a link
	 * (the archive serves artifacts inert, so a PDF cannot run in a frame anyway).
	 *
	 * @param artifact the artifact
	 * @param image whether it is a PNG or JPEG
	 */
	record Shown(Artifact artifact, boolean image) {

		static Shown of(Artifact artifact) {
			String type = (artifact.contentType() != null) ? artifact.contentType().toLowerCase(Locale.ROOT) : "";
			return new Shown(artifact, type.equals("image/png") || type.equals("image/jpeg"));
		}

		public String kind() {
			String type = (this.artifact.contentType() != null) ? this.artifact.contentType() : "";
			return switch (type) {
				case "application/pdf" -> "PDF";
				case "text/csv" -> "CSV";
				case "image/png" -> "PNG";
				case "image/jpeg" -> "JPEG";
				case "image/svg+xml" -> "SVG";
				default -> "File";
			};
		}

	}

}
