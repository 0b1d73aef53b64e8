package org.conversationarchive.analysis.plugin;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.TokenFilterFactory;

/**
 * Removes the English possessive 's (customer's to customer), as the {@code stemmer}
 * filter with {@code possessive_english}.
 */
@NamedComponent("archive_possessive")
public final class PossessiveTokenFilterFactory implements TokenFilterFactory {

	@Override
	public TokenStream create(TokenStream input) {
		return new EnglishPossessiveFilter(input);
	}

}
