package org.conversationarchive.search;

import org.conversationarchive.conversation.Column;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A page of search results.
 *
 * @param total how many conversations match, exactly
 * @param offset how many rows come before this page's first ({@code 0} on the first page)
 * @param items this page's rows, as JSON
 * @param facets for each facet, its values and how many matching conversations have each,
 * on every page; a facet a filter selects values of is counted without that selection
 * (with every other), so that its other values keep their counts
 * @param nextCursor pass as {@code cursor} for the next page; {@code null} on the last
 * @param previousCursor pass as {@code cursor} for the page before; {@code null} on the
 * first
 * @param view the view the search ran ({@code view=ID}), or {@code null}
 */
public record SearchPage(long total, long offset, List<SearchRow> items, Map<String, List<FacetValue>> facets,
		@Nullable String nextCursor, @Nullable String previousCursor, @Nullable View view) {

	/**
	 * The same page, saying which view it ran.
	 * @param view the view
	 * @return a copy with the view
	 */
	public SearchPage withView(SavedView view) {
		return new SearchPage(this.total, this.offset, this.items, this.facets, this.nextCursor, this.previousCursor,
				new View(view.id(), view.name(), view.columns()));
	}

	/**
	 * The view a search ran, so that a page can show its name and columns.
	 *
	 * @param id the view's id
	 * @param name its name
	 * @param columns the columns it shows, in order
	 */
	public record View(String id, String name, List<Column> columns) {
	}

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
