package org.conversationarchive.search;

import java.util.ArrayList;
import java.util.List;

import org.conversationarchive.conversation.Column;
import org.jspecify.annotations.Nullable;

/**
 * What a search, the conversations page and an export run when a request names a saved
 * view: the view's filter AND the request's, the request's sort and columns where it
 * gives them, else the view's, else the defaults.
 *
 * @param filters the filters, all of which rows must match (the view's first)
 * @param sort the order of the rows
 * @param columns the columns, in order
 */
public record AppliedView(List<Filter> filters, SearchSort sort, List<Column> columns) {

	/**
	 * Applies a view to a request.
	 * @param view the view the request names, or {@code null}
	 * @param filter the request's filter, or {@code null} when it gives none (an export's
	 * request without one adds no filter to the view's)
	 * @param sort the request's sort, or {@code null} for the view's
	 * @param columns the request's columns, or {@code null} or empty for the view's
	 * @return what runs
	 */
	public static AppliedView of(@Nullable SavedView view, @Nullable Filter filter, @Nullable SearchSort sort,
			@Nullable List<Column> columns) {
		List<Filter> filters = new ArrayList<>(2);
		if (view != null) {
			filters.add(view.filter());
		}
		if (filter != null) {
			filters.add(filter);
		}
		if (filters.isEmpty()) {
			filters.add(Filter.ALL);
		}
		SearchSort order = (sort != null) ? sort : (view != null) ? view.sort() : SearchSort.DEFAULT;
		List<Column> shown = (columns != null && !columns.isEmpty()) ? columns
				: (view != null) ? view.columns() : Column.DEFAULT;
		return new AppliedView(List.copyOf(filters), order, shown);
	}

}
