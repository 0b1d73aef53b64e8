package org.conversationarchive.analytics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * A flow's traffic for a filter: how many of its conversations passed each node and each
 * edge, and where they left it. Counts are of conversations.
 *
 * @param flow the version the graph is laid along, or {@code null} when the flow was
 * never published (then nodes are ordered by the data alone)
 * @param total the conversations of the flow that match
 * @param unmarked of those, how many name no node at all
 * @param nodes the graph's nodes in funnel order, then nodes seen only in the data, most
 * passed first
 * @param edges the graph's edges, then steps seen only in the data, most passed first
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
record Funnel(@Nullable Version flow, long total, long unmarked, List<Node> nodes, List<Edge> edges) {

	/**
	 * The published version counted along.
	 */
	record Version(String id, String name, int version) {
	}

	/**
	 * A node and its conversations.
	 *
	 * @param id its id, as messages name it
	 * @param label what the graph shows (its id when the graph lacks it)
	 * @param kind its kind, or {@code null} when the graph lacks it
	 * @param passed conversations that reached it
	 * @param exited conversations whose last node it is
	 * @param continued conversations that reached it and went on
	 */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	record Node(String id, String label, @Nullable String kind, long passed, long exited, long continued) {
	}

	/**
	 * A step from one node to the next and the conversations that took it.
	 */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	record Edge(String from, String to, @Nullable String label, long passed) {
	}

	/**
	 * The nodes as a table for BI tools, as the figures' CSV are.
	 * @return the CSV
	 */
	String csv() {
		List<List<?>> rows = new ArrayList<>(this.nodes.size() + 1);
		rows.add(List.of("Node", "Label", "Kind", "Passed", "Exited", "Continued"));
		for (Node node : this.nodes) {
			rows.add(Arrays.asList(node.id(), node.label(), node.kind(), node.passed(), node.exited(),
					node.continued()));
		}
		return Figure.print(rows);
	}

}
