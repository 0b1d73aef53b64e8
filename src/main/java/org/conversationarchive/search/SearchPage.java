package org.conversationarchive.search;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A page of search results.
 *
 * @param total how many conversations match, exactly
 * @param items this page's rows
 * @param facets for each facet, its values and how many matching conversations have each
 * (first page only)
 * @param nextCursor pass as {@code cursor} for the next page; {@code null} on the last
 */
public record SearchPage(long total, List<ConversationRow> items, Map<String, List<FacetValue>> facets,
		@Nullable String nextCursor) {

	/**
	 * A facet value.
	 *
	 * @param value the value, as the matching filter parameter takes it
	 * @param label a display name, where the value is an id (flows)
	 * @param count matching conversations with this value
	 */
	public record FacetValue(String value, @Nullable String label, long count) {
	}

}
