package org.conversationarchive.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
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

	/** The least score an emotion ticked in the panel asks for. */
	static final String EMOTION_MIN = "0.5";

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
	 * The emotion filter's choices: each emotion the conversations name (the
	 * {@code emotions} facet) as {@code emotion:min} with the least score the URL gives
	 * it, or {@link #EMOTION_MIN} to tick; each value the URL gives stays a choice,
	 * ticked, in its emotion's place or after the facet's.
	 * @param selected the page's {@code emotion} values
	 * @return the choices
	 */
	public List<EmotionOption> emotions(List<String> selected) {
		Map<String, List<String>> byEmotion = new LinkedHashMap<>();
		for (String value : selected) {
			byEmotion.computeIfAbsent(emotionOf(value), (emotion) -> new ArrayList<>()).add(value);
		}
		List<EmotionOption> options = new ArrayList<>();
		for (FacetValue facet : this.facets.getOrDefault("emotions", List.of())) {
			List<String> values = byEmotion.remove(facet.value());
			if (values == null) {
				options.add(new EmotionOption(facet.value() + ":" + EMOTION_MIN, facet.value(), EMOTION_MIN, false,
						facet.count()));
			}
			else {
				values.forEach((value) -> options.add(EmotionOption.of(value, true, facet.count())));
			}
		}
		byEmotion.values()
			.forEach((values) -> values.forEach((value) -> options.add(EmotionOption.of(value, true, 0))));
		return options;
	}

	private static String emotionOf(String value) {
		int colon = value.lastIndexOf(':');
		return (colon > 0) ? value.substring(0, colon).trim() : value;
	}

	/**
	 * A choice of the emotion filter.
	 *
	 * @param value the parameter's value, {@code emotion:min}
	 * @param emotion the emotion
	 * @param min the least score, as the value gives it
	 * @param checked whether the page filters on it
	 * @param count how many matching conversations name the emotion
	 */
	record EmotionOption(String value, String emotion, String min, boolean checked, long count) {

		static EmotionOption of(String value, boolean checked, long count) {
			int colon = value.lastIndexOf(':');
			return new EmotionOption(value, emotionOf(value), (colon > 0) ? value.substring(colon + 1).trim() : "",
					checked, count);
		}

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
