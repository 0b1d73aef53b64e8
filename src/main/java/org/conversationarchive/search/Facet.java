package org.conversationarchive.search;

import co.elastic.clients.elasticsearch._types.aggregations.Aggregation;

/**
 * The facets a search page counts, in the order it lists them: each the values of one
 * field. A facet that a filter selects values of is counted without that selection
 * ({@link ConversationQueries#faceted}), so that its other values keep their counts.
 */
enum Facet {

	STATUS("status", "status", 20), PLATFORM("platform", "platform", 20),
	// Labelled with the flows' names afterwards (FlowNames), not by a sub-aggregation.
	FLOW("flow", "flow.id", 50), DIRECTION("direction", "direction", 5), ENVIRONMENT("environment", "environment", 5),
	FLAGGED("flagged", "flagged", 2), FUNCTIONS("functions", "functions", 50), TAG_KEYS("tagKeys", "tagKeys", 50),
	TAGS("tags", "tagPairs", 100),
	// Conversations per emotion their sentiment names (the emotion filter's scores are
	// another matter: it narrows the query, and these count what it leaves).
	EMOTIONS("emotions", "sentiment.emotion", 50),
	// The conversation's language: its Language tag's, or detected from its words.
	LANGUAGE("language", "language", 50),
	// Where conversations left their flows (node ids; a flow's graph labels them).
	EXIT_NODE("exitNode", "exitNode", 50);

	/** Its name in a page's {@code facets}. */
	final String name;

	private final String field;

	private final int size;

	Facet(String name, String field, int size) {
		this.name = name;
		this.field = field;
		this.size = size;
	}

	/**
	 * The aggregation that counts its values.
	 * @return a terms aggregation
	 */
	Aggregation counts() {
		if (this == FLAGGED) {
			// Not set counts as false, as the flagged filter reads it.
			return Aggregation
				.of((agg) -> agg.terms((terms) -> terms.field(this.field).size(this.size).missing(false)));
		}
		return Aggregation.of((agg) -> agg.terms((terms) -> terms.field(this.field).size(this.size)));
	}

}
