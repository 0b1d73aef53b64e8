package org.conversationarchive.analysis.plugin;

import java.util.List;

import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.util.ElisionFilter;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.TokenFilterFactory;

/**
 * Removes the elided articles and pronouns of French, Italian and Catalan (l'avion to
 * avion, dell'anno to anno), in any case.
 */
@NamedComponent("archive_elision")
public final class ElisionTokenFilterFactory implements TokenFilterFactory {

	/**
	 * French, then Italian, then Catalan; the same list the service gives the built-in
	 * {@code elision} filter.
	 */
	public static final List<String> ARTICLES = List.of("l", "m", "t", "qu", "n", "s", "j", "d", "c", "v", "jusqu",
			"quoiqu", "lorsqu", "puisqu", "un", "all", "dall", "dell", "nell", "sull", "coll", "pell", "gl", "agl",
			"dagl", "degl", "negl", "sugl");

	private static final CharArraySet ARTICLE_SET = new CharArraySet(ARTICLES, true);

	@Override
	public TokenStream create(TokenStream input) {
		return new ElisionFilter(input, ARTICLE_SET);
	}

	@Override
	public TokenStream normalize(TokenStream input) {
		return new ElisionFilter(input, ARTICLE_SET);
	}

}
