package org.conversationarchive.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.conversationarchive.search.SearchPage.FacetValue;
import org.jspecify.annotations.Nullable;

/**
 * The facet counts of a search, as the filter panel shows them next to each value: each
 * value counted as if its own facet's values were not ticked, on every page.
 *
 * @param facets facet name to its values
 */
record Facets(Map<String, List<FacetValue>> facets) {

	static final Facets NONE = new Facets(Map.of());

	public boolean known() {
		return !this.facets.isEmpty();
	}

	/**
	 * How many matching conversations have a value.
	 * @param facet the facet ({@code status}, {@code platform}, …)
	 * @param value the value as its filter parameter takes it
	 * @return the count (0 when the facet does not list it), or {@code null} when the
	 * page has no facets
	 */
	public @Nullable Long count(String facet, String value) {
		if (!known()) {
			return null;
		}
		return this.facets.getOrDefault(facet, List.of())
			.stream()
			.filter((candidate) -> candidate.value().equalsIgnoreCase(value))
			.findFirst()
			.map(FacetValue::count)
			.orElse(0L);
	}

	/**
	 * A facet's values, followed by the given values it does not list (those the page
	 * filters on, so they stay visible and can be switched off).
	 * @param facet the facet
	 * @param selected the values the page filters on
	 * @return the options
	 */
	public List<FacetValue> options(String facet, List<String> selected) {
		List<FacetValue> options = new ArrayList<>(this.facets.getOrDefault(facet, List.of()));
		for (String value : selected) {
			if (options.stream().noneMatch((option) -> option.value().equals(value))) {
				options.add(new FacetValue(value, null, 0));
			}
		}
		return options;
	}

}
