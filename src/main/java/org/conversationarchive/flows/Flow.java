package org.conversationarchive.flows;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.conversationarchive.system.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * One published version of a flow: its nodes and the edges between them, as the agent
 * platform declared them. Versions never change once published.
 *
 * @param id the flow's id, as conversations name it in {@code flow}
 * @param name what people call it
 * @param version its version, from 1; the latest is the highest
 * @param nodes its nodes, in declaration order
 * @param edges its edges, in declaration order
 * @param publishedAt when this version was first published
 */
public record Flow(String id, String name, int version, List<Node> nodes, List<Edge> edges, Instant publishedAt) {

	/**
	 * A flow's or a node's id, as published and as messages name their nodes: no
	 * {@code >} (a step is indexed as {@code from>to}) and no space.
	 */
	public static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,100}");

	/**
	 * The kinds a node may be, as the agent platform builds them.
	 */
	public static final List<String> KINDS = List.of("start", "message", "question", "condition", "function", "handoff",
			"end");

	public Flow {
		nodes = List.copyOf(nodes);
		edges = List.copyOf(edges);
	}

	/**
	 * A version as a request names it: a positive whole number, or none.
	 * @param version the text, or {@code null}
	 * @param name what the request calls it, for the problem
	 * @return the version, or {@code null} for none
	 * @throws InvalidInputException naming it when it is not a positive integer
	 */
	public static @Nullable Integer version(@Nullable String version, String name) {
		if (version == null) {
			return null;
		}
		try {
			int number = Integer.parseInt(version);
			if (number >= 1) {
				return number;
			}
		}
		catch (NumberFormatException ex) {
			// Told below, as a number out of range is.
		}
		throw new InvalidInputException(name + ": '" + version + "' is not a positive integer");
	}

	/**
	 * The nodes in flow order, for a funnel: breadth-first from the entry nodes (those of
	 * kind {@code start}, then those no edge leads to, each in declaration order), then
	 * any node not reached that way (in a cycle no entry leads to) in declaration order.
	 * @return every node once
	 */
	public List<Node> ordered() {
		Map<String, Node> byId = new LinkedHashMap<>();
		this.nodes.forEach((node) -> byId.put(node.id(), node));
		Map<String, List<String>> next = new LinkedHashMap<>();
		Set<String> entered = new HashSet<>();
		for (Edge edge : this.edges) {
			next.computeIfAbsent(edge.from(), (from) -> new ArrayList<>()).add(edge.to());
			// A retry loop does not make a node any less an entry.
			if (!edge.from().equals(edge.to())) {
				entered.add(edge.to());
			}
		}
		Set<String> entries = new LinkedHashSet<>();
		this.nodes.stream().filter((node) -> "start".equals(node.kind())).forEach((node) -> entries.add(node.id()));
		this.nodes.stream().filter((node) -> !entered.contains(node.id())).forEach((node) -> entries.add(node.id()));
		Set<String> seen = new LinkedHashSet<>(entries);
		Deque<String> queue = new ArrayDeque<>(entries);
		while (!queue.isEmpty()) {
			for (String to : next.getOrDefault(queue.poll(), List.of())) {
				if (byId.containsKey(to) && seen.add(to)) {
					queue.add(to);
				}
			}
		}
		List<Node> ordered = new ArrayList<>(this.nodes.size());
		seen.forEach((id) -> ordered.add(byId.get(id)));
		this.nodes.stream().filter((node) -> !seen.contains(node.id())).forEach(ordered::add);
		return ordered;
	}

	/**
	 * A step of a flow.
	 *
	 * @param id its id in the flow, as conversations name it
	 * @param label what the graph shows
	 * @param kind one of {@link Flow#KINDS}
	 */
	public record Node(String id, String label, String kind) {
	}

	/**
	 * A way from one node to another (or back to itself: a retry).
	 *
	 * @param from the node it leaves
	 * @param to the node it reaches
	 * @param label what the graph shows on it, if anything (a condition's branch)
	 */
	public record Edge(String from, String to, @Nullable String label) {
	}

}
