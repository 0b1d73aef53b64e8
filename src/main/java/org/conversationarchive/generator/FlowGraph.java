package org.conversationarchive.generator;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One version of a generated flow's graph, as its agent platform would publish it: the
 * nodes generated messages name in {@code flowNode}, and the ways between them.
 * Serialized with Jackson it is the body of {@code PUT /api/v1/flows/{id}} (plus the id,
 * which the path carries).
 *
 * @param id the flow's id, as conversations name it in {@code flow}
 * @param name the flow's name
 * @param version its version, from 1
 * @param nodes its steps, in the order a conversation meets them
 * @param edges the ways between them
 */
public record FlowGraph(String id, String name, int version, List<Node> nodes, List<Edge> edges) {

	public FlowGraph {
		nodes = List.copyOf(nodes);
		edges = List.copyOf(edges);
	}

	/**
	 * @param node a node's id
	 * @return whether the graph has that node
	 */
	public boolean hasNode(String node) {
		return this.nodes.stream().anyMatch((candidate) -> candidate.id().equals(node));
	}

	/**
	 * @param from the node left
	 * @param to the node reached
	 * @return whether the graph has that edge
	 */
	public boolean hasEdge(String from, String to) {
		return this.edges.stream().anyMatch((edge) -> edge.from().equals(from) && edge.to().equals(to));
	}

	/**
	 * A step of the flow.
	 *
	 * @param id its id, as messages name it
	 * @param label what the graph shows
	 * @param kind {@code start}, {@code message}, {@code question}, {@code condition},
	 * {@code function}, {@code handoff} or {@code end}
	 */
	public record Node(String id, String label, String kind) {
	}

	/**
	 * A way from one node to another.
	 *
	 * @param from the node it leaves
	 * @param to the node it reaches
	 * @param label the branch it is, if any
	 */
	public record Edge(String from, String to, @Nullable String label) {
	}

}
