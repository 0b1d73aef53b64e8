package org.conversationarchive.flows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.conversationarchive.system.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code PUT /api/v1/flows/{id}}: one version of a flow as the agent platform
 * publishes it.
 *
 * @param name 1 to 200 characters
 * @param version a positive integer
 * @param nodes 1 to 500 nodes
 * @param edges up to 2,000 edges between them ({@code []} for none)
 */
record FlowRequest(@Nullable String name, @Nullable Integer version, @Nullable List<@Nullable NodeRequest> nodes,
		@Nullable List<@Nullable EdgeRequest> edges) {

	static final String EXAMPLE = "{\"name\": \"Returns\", \"version\": 1, \"nodes\": [{\"id\": \"greet\", "
			+ "\"label\": \"Greeting\", \"kind\": \"start\"}, {\"id\": \"bye\", \"label\": \"Goodbye\", "
			+ "\"kind\": \"end\"}], \"edges\": [{\"from\": \"greet\", \"to\": \"bye\"}]}";

	static final int MAX_TEXT = 200;

	static final int MAX_ID = 100;

	static final int MAX_NODES = 500;

	static final int MAX_EDGES = 2000;

	/**
	 * No {@code >}, no whitespace: conversations index the edges they took as
	 * {@code from>to}.
	 */
	static final Pattern ID = Flow.ID;

	record NodeRequest(@Nullable String id, @Nullable String label, @Nullable String kind) {
	}

	record EdgeRequest(@Nullable String from, @Nullable String to, @Nullable String label) {
	}

	/**
	 * A version checked, not yet published.
	 */
	record Valid(String id, String name, int version, List<Flow.Node> nodes, List<Flow.Edge> edges) {
	}

	/**
	 * Checks the request.
	 * @param id the flow's id, from the path
	 * @return the version, checked
	 * @throws InvalidInputException naming the field and what is wrong
	 */
	Valid validated(String id) {
		checkId("id", id);
		String name = text("name", this.name);
		if (this.version == null) {
			throw new InvalidInputException("version: is required: a positive integer");
		}
		if (this.version < 1) {
			throw new InvalidInputException("version: " + this.version + " is not a positive integer");
		}
		List<Flow.Node> nodes = validNodes();
		return new Valid(id, name, this.version, nodes, validEdges(nodes));
	}

	static @Nullable Integer version(@Nullable String version) {
		return Flow.version(version, "version");
	}

	private List<Flow.Node> validNodes() {
		if (this.nodes == null) {
			throw new InvalidInputException("nodes: is required: the flow's nodes, e.g. "
					+ "[{\"id\": \"greet\", \"label\": \"Greeting\", \"kind\": \"start\"}]");
		}
		if (this.nodes.isEmpty()) {
			throw new InvalidInputException("nodes: the flow has no nodes; give at least one");
		}
		if (this.nodes.size() > MAX_NODES) {
			throw new InvalidInputException(
					"nodes: the flow has " + this.nodes.size() + " nodes; at most " + MAX_NODES + " are allowed");
		}
		List<Flow.Node> nodes = new ArrayList<>(this.nodes.size());
		Map<String, Integer> positions = new HashMap<>();
		for (int i = 0; i < this.nodes.size(); i++) {
			String path = "nodes[" + i + "]";
			NodeRequest node = this.nodes.get(i);
			if (node == null) {
				throw new InvalidInputException(path + ": is null; give a node {\"id\", \"label\", \"kind\"}");
			}
			String id = checkId(path + ".id", node.id());
			Integer first = positions.putIfAbsent(id, i);
			if (first != null) {
				throw new InvalidInputException(
						path + ".id: '" + id + "' is the id of nodes[" + first + "] too; node ids must be unique");
			}
			String label = text(path + ".label", node.label());
			if (node.kind() == null) {
				throw new InvalidInputException(path + ".kind: is required: one of " + String.join(", ", Flow.KINDS));
			}
			if (!Flow.KINDS.contains(node.kind())) {
				throw new InvalidInputException(
						path + ".kind: '" + node.kind() + "' is not one of " + String.join(", ", Flow.KINDS));
			}
			nodes.add(new Flow.Node(id, label, node.kind()));
		}
		return nodes;
	}

	private List<Flow.Edge> validEdges(List<Flow.Node> nodes) {
		if (this.edges == null) {
			throw new InvalidInputException(
					"edges: is required: the flow's edges, e.g. [{\"from\": \"greet\", \"to\": \"bye\"}], or []");
		}
		if (this.edges.size() > MAX_EDGES) {
			throw new InvalidInputException(
					"edges: the flow has " + this.edges.size() + " edges; at most " + MAX_EDGES + " are allowed");
		}
		Set<String> ids = nodes.stream().map(Flow.Node::id).collect(Collectors.toSet());
		List<Flow.Edge> edges = new ArrayList<>(this.edges.size());
		Map<String, Integer> positions = new HashMap<>();
		for (int i = 0; i < this.edges.size(); i++) {
			String path = "edges[" + i + "]";
			EdgeRequest edge = this.edges.get(i);
			if (edge == null) {
				throw new InvalidInputException(path + ": is null; give an edge {\"from\", \"to\", \"label\"}");
			}
			String from = endpoint(path + ".from", edge.from());
			String to = endpoint(path + ".to", edge.to());
			if (!ids.contains(from)) {
				throw new InvalidInputException(
						path + ".from: edge " + i + " comes from '" + from + "', which is not a node");
			}
			if (!ids.contains(to)) {
				throw new InvalidInputException(path + ".to: edge " + i + " goes to '" + to + "', which is not a node");
			}
			Integer first = positions.putIfAbsent(from + ">" + to, i);
			if (first != null) {
				throw new InvalidInputException(path + ": edge " + i + " from '" + from + "' to '" + to
						+ "' repeats edge " + first + "; give each edge once");
			}
			// Optional: a blank one is as good as none.
			String label = (edge.label() == null || edge.label().isBlank()) ? null
					: text(path + ".label", edge.label());
			edges.add(new Flow.Edge(from, to, label));
		}
		return edges;
	}

	private static String endpoint(String path, @Nullable String id) {
		if (id == null) {
			throw new InvalidInputException(path + ": is required: a node's id");
		}
		return id;
	}

	private static String checkId(String path, @Nullable String id) {
		if (id == null) {
			throw new InvalidInputException(path + ": is required: 1 to " + MAX_ID + " of A-Z a-z 0-9 _ . : -");
		}
		if (!ID.matcher(id).matches()) {
			throw new InvalidInputException(path + ": '" + shown(id) + "' is not 1 to " + MAX_ID
					+ " of A-Z a-z 0-9 _ . : - (no spaces, no '>')");
		}
		return id;
	}

	private static String text(String path, @Nullable String value) {
		if (value == null || value.isBlank()) {
			throw new InvalidInputException(path + ": is required (1 to " + MAX_TEXT + " characters)");
		}
		String trimmed = value.trim();
		if (trimmed.length() > MAX_TEXT) {
			throw new InvalidInputException(
					path + ": is " + trimmed.length() + " characters long; at most " + MAX_TEXT + " are allowed");
		}
		if (trimmed.chars().anyMatch(Character::isISOControl)) {
			throw new InvalidInputException(path + ": must not contain control characters");
		}
		return trimmed;
	}

	/**
	 * An id as the message shows it: a long one cut.
	 */
	private static String shown(String id) {
		return (id.length() > MAX_ID + 20) ? id.substring(0, MAX_ID) + "…" : id;
	}

}
