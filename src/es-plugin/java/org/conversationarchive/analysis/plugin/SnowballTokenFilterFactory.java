package org.conversationarchive.analysis.plugin;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.elasticsearch.plugin.Inject;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.TokenFilterFactory;
import org.elasticsearch.plugin.settings.AnalysisSettings;
import org.elasticsearch.plugin.settings.StringSetting;
import org.tartarus.snowball.SnowballStemmer;
import org.tartarus.snowball.ext.CatalanStemmer;
import org.tartarus.snowball.ext.DanishStemmer;
import org.tartarus.snowball.ext.DutchStemmer;
import org.tartarus.snowball.ext.EnglishStemmer;
import org.tartarus.snowball.ext.FinnishStemmer;
import org.tartarus.snowball.ext.FrenchStemmer;
import org.tartarus.snowball.ext.GermanStemmer;
import org.tartarus.snowball.ext.ItalianStemmer;
import org.tartarus.snowball.ext.NorwegianStemmer;
import org.tartarus.snowball.ext.PortugueseStemmer;
import org.tartarus.snowball.ext.RussianStemmer;
import org.tartarus.snowball.ext.SpanishStemmer;
import org.tartarus.snowball.ext.SwedishStemmer;

/**
 * Snowball stemming in the language of the {@code language} setting (English unless
 * set), as the {@code snowball} filter of Elasticsearch's {@code analysis-common} module.
 * The stemmers are built directly, not looked up by name, so nothing depends on
 * reflection across the plugin's class loader.
 */
@NamedComponent("archive_snowball")
public final class SnowballTokenFilterFactory implements TokenFilterFactory {

	static final Map<String, Supplier<SnowballStemmer>> STEMMERS = stemmers();

	private final Supplier<SnowballStemmer> stemmer;

	@Inject
	public SnowballTokenFilterFactory(Settings settings) {
		String language = settings.language().trim();
		Supplier<SnowballStemmer> found = STEMMERS.get(language.toLowerCase(Locale.ROOT));
		if (found == null) {
			throw new IllegalArgumentException("archive_snowball does not support the language [" + language
					+ "]; supported languages are " + STEMMERS.keySet());
		}
		this.stemmer = found;
	}

	@Override
	public TokenStream create(TokenStream input) {
		return new SnowballFilter(input, this.stemmer.get());
	}

	private static Map<String, Supplier<SnowballStemmer>> stemmers() {
		Map<String, Supplier<SnowballStemmer>> stemmers = new TreeMap<>();
		stemmers.put("catalan", CatalanStemmer::new);
		stemmers.put("danish", DanishStemmer::new);
		stemmers.put("dutch", DutchStemmer::new);
		stemmers.put("english", EnglishStemmer::new);
		stemmers.put("finnish", FinnishStemmer::new);
		stemmers.put("french", FrenchStemmer::new);
		stemmers.put("german", GermanStemmer::new);
		stemmers.put("italian", ItalianStemmer::new);
		stemmers.put("norwegian", NorwegianStemmer::new);
		stemmers.put("portuguese", PortugueseStemmer::new);
		stemmers.put("russian", RussianStemmer::new);
		stemmers.put("spanish", SpanishStemmer::new);
		stemmers.put("swedish", SwedishStemmer::new);
		return java.util.Collections.unmodifiableMap(stemmers);
	}

	/**
	 * The filter's settings in the index's analysis.
	 */
	@AnalysisSettings
	public interface Settings {

		@StringSetting(path = "language", defaultValue = "English")
		String language();

	}

}
