package org.conversationarchive.elasticsearch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The analyzers of the conversations index, the same names whichever of the cluster's
 * analysis serves them: the {@code analysis-common} module (the default distribution) or
 * the archive's own plugin ({@code archive-analysis}, which the embedded engine
 * installs).
 * <ul>
 * <li>{@code transcript} and {@code archive_exact}: standard tokens, lowercased;</li>
 * <li>{@code archive_words}: also without elided articles (l'avion), English possessives
 * and accents (café), but not stemmed;</li>
 * <li>{@code archive_stem_<language>}: stemmed by Snowball in a language of
 * {@link #LANGUAGES}, then folded.</li>
 * </ul>
 * The normalizer {@code lowercase} lowercases keywords.
 */
public final class Analysis {

	/**
	 * The languages with a stemming analyzer ({@link #stemmed(String)}), as ISO 639-1
	 * codes.
	 */
	public static final List<String> LANGUAGES = List.of("en", "es", "fr", "de", "pt", "it", "nl");

	/**
	 * Lowercased standard tokens, accents kept.
	 */
	public static final String EXACT = "archive_exact";

	/**
	 * Lowercased, folded standard tokens without elided articles or possessives; not
	 * stemmed.
	 */
	public static final String WORDS = "archive_words";

	/**
	 * The elided articles and pronouns of French, Italian and Catalan that
	 * {@code archive_words} and the French and Italian analyzers drop (case-insensitive);
	 * the plugin's {@code archive_elision} drops the same.
	 */
	static final List<String> ELIDED = List.of("l", "m", "t", "qu", "n", "s", "j", "d", "c", "v", "jusqu", "quoiqu",
			"lorsqu", "puisqu", "un", "all", "dall", "dell", "nell", "sull", "coll", "pell", "gl", "agl", "dagl",
			"degl", "negl", "sugl");

	private static final Map<String, String> SNOWBALL = Map.of("en", "English", "es", "Spanish", "fr", "French", "de",
			"German", "pt", "Portuguese", "it", "Italian", "nl", "Dutch");

	private static final String ELISION = "archive_elided_articles";

	private static final String POSSESSIVE = "archive_english_possessive";

	private static final String FOLDING = "archive_folding";

	private Analysis() {
	}

	/**
	 * The stemming analyzer of a language.
	 * @param language a code of {@link #LANGUAGES}
	 * @return its analyzer's name, e.g. {@code archive_stem_en}
	 */
	public static String stemmed(String language) {
		if (!LANGUAGES.contains(language)) {
			throw new IllegalArgumentException("No stemming analyzer for " + language + "; there are " + LANGUAGES);
		}
		return "archive_stem_" + language;
	}

	/**
	 * Where the cluster's stemming, folding and elision come from.
	 */
	enum Variant {

		/**
		 * The archive's plugin, {@code archive-analysis}.
		 */
		PLUGIN("plugin"),

		/**
		 * Elasticsearch's {@code analysis-common} module.
		 */
		ANALYSIS_COMMON("analysis-common");

		private final String id;

		Variant(String id) {
			this.id = id;
		}

		/**
		 * How the installed template's {@code _meta.analysis} names it.
		 * @return the id
		 */
		String id() {
			return this.id;
		}

	}

	/**
	 * The {@code analysis} settings of an index for a variant.
	 * @param variant where the filters come from
	 * @return the settings, as JSON objects
	 */
	static Map<String, Object> settings(Variant variant) {
		Map<String, Object> filters = new LinkedHashMap<>();
		if (variant == Variant.PLUGIN) {
			filters.put(ELISION, Map.of("type", "archive_elision"));
			filters.put(POSSESSIVE, Map.of("type", "archive_possessive"));
			filters.put(FOLDING, Map.of("type", "archive_asciifolding"));
		}
		else {
			filters.put(ELISION, Map.of("type", "elision", "articles", ELIDED, "articles_case", true));
			filters.put(POSSESSIVE, Map.of("type", "stemmer", "language", "possessive_english"));
			filters.put(FOLDING, Map.of("type", "asciifolding"));
		}
		for (String language : LANGUAGES) {
			filters.put(snowball(language), Map.of("type",
					(variant == Variant.PLUGIN) ? "archive_snowball" : "snowball", "language", SNOWBALL.get(language)));
		}
		Map<String, Object> analyzers = new LinkedHashMap<>();
		analyzers.put("transcript", analyzer(List.of("lowercase")));
		analyzers.put(EXACT, analyzer(List.of("lowercase")));
		analyzers.put(WORDS, analyzer(List.of(ELISION, POSSESSIVE, "lowercase", FOLDING)));
		for (String language : LANGUAGES) {
			List<String> chain = new ArrayList<>();
			if (language.equals("fr") || language.equals("it")) {
				chain.add(ELISION);
			}
			if (language.equals("en")) {
				chain.add(POSSESSIVE);
			}
			// Stemmed, then folded: Snowball's suffixes have their accents (Spanish
			// -ación), so folding first would leave such words unstemmed. Unaccented
			// typing still finds the words as written through archive_words.
			chain.addAll(List.of("lowercase", snowball(language), FOLDING));
			analyzers.put(stemmed(language), analyzer(chain));
		}
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("filter", filters);
		settings.put("analyzer", analyzers);
		settings.put("normalizer", Map.of("lowercase", Map.of("type", "custom", "filter", List.of("lowercase"))));
		return settings;
	}

	private static String snowball(String language) {
		return "archive_snowball_" + language;
	}

	private static Map<String, Object> analyzer(List<String> filters) {
		return Map.of("type", "custom", "tokenizer", "standard", "filter", List.copyOf(filters));
	}

}
