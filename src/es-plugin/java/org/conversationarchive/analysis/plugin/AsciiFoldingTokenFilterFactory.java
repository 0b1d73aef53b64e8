package org.conversationarchive.analysis.plugin;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.TokenFilterFactory;

/**
 * Folds letters to their ASCII form (café to cafe), as {@code asciifolding}; in
 * normalizers and multi-term queries too.
 */
@NamedComponent("archive_asciifolding")
public final class AsciiFoldingTokenFilterFactory implements TokenFilterFactory {

	@Override
	public TokenStream create(TokenStream input) {
		return new ASCIIFoldingFilter(input);
	}

	@Override
	public TokenStream normalize(TokenStream input) {
		return new ASCIIFoldingFilter(input);
	}

}
