package org.conversationarchive.flows;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A flow's nodes in funnel order.
 */
class FlowGraphTests {

	@Test
	void breadthFirstFromTheStartInEdgeOrder() {
		Flow flow = flow(
				List.of(node("bye", "end"), node("ask", "question"), node("greet", "start"), node("refund", "function"),
						node("human", "handoff")),
				List.of(edge("greet", "ask"), edge("ask", "refund"), edge("ask", "human"), edge("refund", "bye"),
						edge("human", "bye")));
		assertThat(ids(flow)).containsExactly("greet", "ask", "refund", "human", "bye");
	}

	@Test
	void startNodesComeFirstThenNodesNothingLeadsToInDeclarationOrder() {
		Flow flow = flow(
				List.of(node("sms", "message"), node("a", "message"), node("voice", "start"), node("b", "end")),
				List.of(edge("sms", "b"), edge("voice", "a"), edge("a", "b")));
		assertThat(ids(flow)).containsExactly("voice", "sms", "a", "b");
	}

	@Test
	void cyclesAreFollowedOnceAndARetryLoopKeepsAnEntry() {
		Flow flow = flow(
				List.of(node("ask", "question"), node("check", "condition"), node("done", "end"),
						node("greet", "start"), node("intro", "message")),
				List.of(edge("greet", "ask"), edge("intro", "intro"), edge("intro", "ask"), edge("ask", "ask"),
						edge("ask", "check"), edge("check", "ask"), edge("check", "done")));
		assertThat(ids(flow)).containsExactly("greet", "intro", "ask", "check", "done");
	}

	@Test
	void nodesNoEntryReachesComeLastInDeclarationOrder() {
		Flow flow = flow(
				List.of(node("loop2", "message"), node("greet", "start"), node("loop1", "message"), node("bye", "end")),
				List.of(edge("greet", "bye"), edge("loop1", "loop2"), edge("loop2", "loop1")));
		assertThat(ids(flow)).containsExactly("greet", "bye", "loop2", "loop1");
	}

	@Test
	void aFlowThatIsOneCycleKeepsItsDeclarationOrder() {
		Flow flow = flow(List.of(node("c", "message"), node("a", "message"), node("b", "message")),
				List.of(edge("a", "b"), edge("b", "c"), edge("c", "a")));
		assertThat(ids(flow)).containsExactly("c", "a", "b");
	}

	@Test
	void aSingleNodeIsItsOwnOrder() {
		assertThat(ids(flow(List.of(node("only", "message")), List.of()))).containsExactly("only");
	}

	private static List<String> ids(Flow flow) {
		return flow.ordered().stream().map(Flow.Node::id).toList();
	}

	private static Flow flow(List<Flow.Node> nodes, List<Flow.Edge> edges) {
		return new Flow("f", "F", 1, nodes, edges, Instant.EPOCH);
	}

	private static Flow.Node node(String id, String kind) {
		return new Flow.Node(id, id.toUpperCase(java.util.Locale.ROOT), kind);
	}

	private static Flow.Edge edge(String from, String to) {
		return new Flow.Edge(from, to, null);
	}

}
