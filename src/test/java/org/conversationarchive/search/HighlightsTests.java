package org.conversationarchive.search;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HighlightsTests {

	private static final List<String> FIELDS = List.of("text", "exact", "stems");

	@Test
	void theMarksOfEachAnalysisAreMergedIntoOneText() {
		Map<String, List<String>> byField = Map.of("exact",
				List.of("I was <mark>double</mark> <mark>charged</mark> and refunded"), "stems",
				List.of("I was double charged and <mark>refunded</mark>"));
		assertThat(Highlights.merge(byField, FIELDS))
			.containsExactly("I was <mark>double</mark> <mark>charged</mark> and <mark>refunded</mark>");
	}

	@Test
	void overlappingMarksBecomeOne() {
		Map<String, List<String>> byField = Map.of("text", List.of("<mark>café</mark> au lait"), "stems",
				List.of("<mark>café</mark> <mark>au</mark> lait"));
		assertThat(Highlights.merge(byField, FIELDS)).containsExactly("<mark>café</mark> <mark>au</mark> lait");
	}

	@Test
	void aLongTextIsCutIntoFragmentsAroundTheMarksAtSpaces() {
		String before = "word ".repeat(100);
		String after = " more".repeat(100);
		String marked = before + "the &lt;b&gt; <mark>refund</mark> came" + after + " and a <mark>voucher</mark>"
				+ after;
		List<String> fragments = Highlights.merge(Map.of("text", List.of(marked)), FIELDS);
		assertThat(fragments).hasSize(2);
		assertThat(fragments.get(0)).contains("the &lt;b&gt; <mark>refund</mark> came").startsWith("word");
		assertThat(fragments.get(0).length()).isLessThan(Highlights.FRAGMENT + 40);
		assertThat(fragments.get(1)).contains("<mark>voucher</mark>");
		assertThat(fragments)
			.allSatisfy((fragment) -> assertThat(fragment).doesNotStartWith(" ").doesNotContain("&lt;b<"));
	}

	@Test
	void nothingMarkedIsNoHighlight() {
		assertThat(Highlights.merge(Map.of("text", List.of("no marks")), FIELDS)).isEmpty();
		assertThat(Highlights.merge(null, FIELDS)).isEmpty();
	}

}
