package org.conversationarchive.search;

import java.util.List;

import org.conversationarchive.search.ContentQuery.AllOf;
import org.conversationarchive.search.ContentQuery.AnyOf;
import org.conversationarchive.search.ContentQuery.Clause;
import org.conversationarchive.search.ContentQuery.Fuzzy;
import org.conversationarchive.search.ContentQuery.Node;
import org.conversationarchive.search.ContentQuery.Phrase;
import org.conversationarchive.search.ContentQuery.Prefix;
import org.conversationarchive.search.ContentQuery.Word;
import org.conversationarchive.system.InvalidInputException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The content search syntax (SPEC, Content syntax): what each form parses to, and the
 * exact detail of a query that cannot be read (the text of its 400 problem).
 */
class ContentQueryTests {

	@Test
	void wordsAreClausesThatMustAllHold() {
		assertThat(parse("refund invoice")).containsExactly(must(new Word("refund")), must(new Word("invoice")));
	}

	@Test
	void anyWhitespaceSeparatesWords() {
		assertThat(parse("  refund\tinvoice\n plan  ")).containsExactly(must(new Word("refund")),
				must(new Word("invoice")), must(new Word("plan")));
	}

	@Test
	void wordsKeepTheirCaseAndPunctuationForTheAnalyzer() {
		// The analyzer lower-cases and splits; Word is matched as a phrase of its parts.
		assertThat(parse("REFUND e-mail don't café")).containsExactly(must(new Word("REFUND")),
				must(new Word("e-mail")), must(new Word("don't")), must(new Word("café")));
	}

	@Test
	void phraseStaysOneNode() {
		assertThat(parse("\"refund for my order\"")).containsExactly(must(new Phrase("refund for my order", 0)));
	}

	@Test
	void phraseIsTrimmedInsideItsQuotes() {
		assertThat(parse("\"  refund order \"")).containsExactly(must(new Phrase("refund order", 0)));
	}

	@Test
	void quotesEndAWordAndStartAPhrase() {
		assertThat(parse("refund\"my order\"now")).containsExactly(must(new Word("refund")),
				must(new Phrase("my order", 0)), must(new Word("now")));
	}

	@Test
	void wordsNearTakeTheirDistanceAfterATilde() {
		assertThat(parse("\"words near\"~5")).containsExactly(must(new Phrase("words near", 5)));
		assertThat(parse("\"words near\"~050")).containsExactly(must(new Phrase("words near", 50)));
		assertThat(parse("\"words near\"~0 refund")).containsExactly(must(new Phrase("words near", 0)),
				must(new Word("refund")));
	}

	@Test
	void aTildeAfterAWordFindsItWithTypos() {
		assertThat(parse("refnd~ refnd~0 refnd~2")).containsExactly(must(new Fuzzy("refnd", null)),
				must(new Fuzzy("refnd", 0)), must(new Fuzzy("refnd", 2)));
		assertRefused("refund~3", "has 'refund~3'; a word finds words at most 2 edits away,"
				+ " e.g. refnd~1 (or refnd~ to let its length decide)");
		assertRefused("~", "has '~'; ~ follows a word to find it with typos, e.g. refnd~ or refnd~1");
		assertRefused("ref*~", "has 'ref*~'; ~ follows a word to find it with typos, e.g. refnd~ or refnd~1");
		// A run the analysis splits would be a fuzzy query of each of its parts.
		assertRefused("e-mail~",
				"has 'e-mail~'; ~ finds typos of one word of letters and digits (at most 50)," + " e.g. refnd~");
		assertRefused("a".repeat(51) + "~", "has '" + "a".repeat(51) + "~'; ~ finds typos of one word of letters"
				+ " and digits (at most 50), e.g. refnd~");
		assertThat(parse("reembolsó~1")).containsExactly(must(new Fuzzy("reembolsó", 1)));
	}

	@Test
	void distanceIsAtMostFifty() {
		assertThat(parse("\"a b\"~" + ContentQuery.MAX_SLOP)).containsExactly(must(new Phrase("a b", 50)));
		assertRefused("\"a b\"~51", "asks for words up to 51 apart; at most 50 is allowed");
		assertRefused("\"a b\"~0050", "asks for words up to 0050 apart; at most 50 is allowed");
		// Read no further than the limit needs: a number too long for an int is refused,
		// not
		// a NumberFormatException.
		assertRefused("\"a b\"~99999999999", "asks for words up to 99999999999 apart; at most 50 is allowed");
	}

	@Test
	void aTildeAfterAPhraseNeedsANumber() {
		assertRefused("\"refund order\"~", "has ~ after a phrase without a number, e.g. \"refund order\"~3");
		assertRefused("\"refund order\"~x", "has ~ after a phrase without a number, e.g. \"refund order\"~3");
	}

	@Test
	void unbalancedQuoteIsNamedByItsPosition() {
		assertRefused("refund \"my order", "has a \" at position 8 that is never closed");
		assertRefused("\"a\" \"b\" \"", "has a \" at position 9 that is never closed");
	}

	@Test
	void emptyPhraseIsRefused() {
		assertRefused("refund \"\"", "has an empty phrase \"\" at position 8");
		assertRefused("\"   \"", "has an empty phrase \"\" at position 1");
	}

	@Test
	void prefixIsLowerCased() {
		assertThat(parse("refu* ReFuN*")).containsExactly(must(new Prefix("refu")), must(new Prefix("refun")));
	}

	@Test
	void prefixNeedsTwoCharactersBeforeTheStar() {
		assertThat(parse("re*")).containsExactly(must(new Prefix("re")));
		assertRefused("r*", "has 'r*'; a prefix needs at least 2 characters before *");
		assertRefused("*", "has '*'; a prefix needs at least 2 characters before *");
	}

	@Test
	void prefixCountsCharactersNotUtf16Units() {
		// One emoji is two chars in Java but one character for the user.
		assertRefused("\uD83D\uDE00*", "has '\uD83D\uDE00*'; a prefix needs at least 2 characters before *");
		assertThat(parse("éa*")).containsExactly(must(new Prefix("éa")));
	}

	@Test
	void starIsOnlyAllowedAtTheEndOfAWord() {
		assertRefused("re*und", "has 're*und'; * is only allowed at the end of a word");
		assertRefused("*fund", "has '*fund'; * is only allowed at the end of a word");
		assertRefused("ref**", "has 'ref**'; * is only allowed at the end of a word");
	}

	@Test
	void starInsideAPhraseIsText() {
		assertThat(parse("\"re* und\"")).containsExactly(must(new Phrase("re* und", 0)));
	}

	@Test
	void orJoinsAlternativesIntoOneClause() {
		assertThat(parse("refund OR voucher OR \"money back\"")).containsExactly(
				must(new AnyOf(List.of(new Word("refund"), new Word("voucher"), new Phrase("money back", 0)))));
	}

	@Test
	void orBindsTighterThanTheWordsAroundIt() {
		assertThat(parse("invoice refund OR voucher late")).containsExactly(must(new Word("invoice")),
				must(new AnyOf(List.of(new Word("refund"), new Word("voucher")))), must(new Word("late")));
	}

	@Test
	void onlyUpperCaseOrIsAnOperator() {
		assertThat(parse("refund or voucher Or x")).containsExactly(must(new Word("refund")), must(new Word("or")),
				must(new Word("voucher")), must(new Word("Or")), must(new Word("x")));
		assertThat(parse("\"refund OR voucher\"")).containsExactly(must(new Phrase("refund OR voucher", 0)));
	}

	@Test
	void orNeedsSomethingOnBothSides() {
		assertRefused("OR refund", "has an OR at position 1 with nothing before it");
		assertRefused("refund OR", "has an OR at position 8 with nothing after it");
		assertRefused("refund OR OR voucher", "has an OR at position 8 with nothing after it");
		assertRefused("(refund OR) voucher", "has an OR at position 9 with nothing after it");
		assertRefused("(OR refund)", "has an OR at position 2 with nothing before it");
	}

	@Test
	void minusExcludesTheClauseThatFollows() {
		assertThat(parse("refund -voucher -\"money back\"")).containsExactly(must(new Word("refund")),
				not(new Word("voucher")), not(new Phrase("money back", 0)));
	}

	@Test
	void minusExcludesAllItsAlternatives() {
		assertThat(parse("refund -voucher OR coupon")).containsExactly(must(new Word("refund")),
				not(new AnyOf(List.of(new Word("voucher"), new Word("coupon")))));
	}

	@Test
	void aMinusInsideAWordIsPartOfIt() {
		assertThat(parse("e-mail refund-voucher")).containsExactly(must(new Word("e-mail")),
				must(new Word("refund-voucher")));
	}

	@Test
	void aMinusWithNothingToExcludeIsRefused() {
		assertRefused("refund - voucher", "has a - at position 8 with nothing to exclude");
		assertRefused("refund -", "has a - at position 8 with nothing to exclude");
	}

	@Test
	void aMinusCannotStartAnAlternative() {
		assertRefused("refund OR -voucher", "has a - at position 11 inside an OR");
	}

	@Test
	void onlyExcludingIsRefused() {
		assertRefused("-voucher", "only excludes words; say what to find as well, e.g. refund -voucher");
		assertRefused("-voucher -coupon", "only excludes words; say what to find as well, e.g. refund -voucher");
	}

	@Test
	void parenthesesGroupClausesThatHoldTogether() {
		assertThat(parse("(refund -voucher) invoice")).containsExactly(
				must(new AllOf(List.of(must(new Word("refund")), not(new Word("voucher"))))),
				must(new Word("invoice")));
	}

	@Test
	void groupsCanBeAlternativesAndBeExcluded() {
		assertThat(parse("(refund invoice) OR voucher -(coupon code)")).containsExactly(
				must(new AnyOf(List.of(new AllOf(List.of(must(new Word("refund")), must(new Word("invoice")))),
						new Word("voucher")))),
				not(new AllOf(List.of(must(new Word("coupon")), must(new Word("code"))))));
	}

	@Test
	void aMinusRightAfterAnOpeningParenthesisExcludes() {
		assertThat(parse("(refund (-voucher refund))")).containsExactly(must(new AllOf(List.of(must(new Word("refund")),
				must(new AllOf(List.of(not(new Word("voucher")), must(new Word("refund")))))))));
	}

	@Test
	void parenthesesMustBalance() {
		assertRefused("(refund", "has a ( that is never closed");
		assertRefused("((refund) voucher", "has a ( that is never closed");
		assertRefused("refund)", "has a ) at position 7 that closes nothing");
		assertRefused("(refund)) voucher", "has a ) at position 9 that closes nothing");
		assertRefused("-)", "has a ) at position 2 where a word was expected");
	}

	@Test
	void emptyParenthesesAreRefused() {
		assertRefused("refund ()", "has empty parentheses at position 8");
		assertRefused("refund (  )", "has empty parentheses at position 8");
	}

	@Test
	void parenthesesThatOnlyExcludeAreRefused() {
		assertRefused("refund (-voucher)", "has parentheses at position 8 that only exclude words; say what to find"
				+ " in them as well, e.g. (refund -voucher)");
	}

	@Test
	void parenthesesNestAtMostTenDeep() {
		String tenDeep = "(".repeat(ContentQuery.MAX_DEPTH) + "refund" + ")".repeat(ContentQuery.MAX_DEPTH);
		Node node = parse(tenDeep).get(0).node();
		for (int level = 1; level < ContentQuery.MAX_DEPTH; level++) {
			node = ((AllOf) node).clauses().get(0).node();
		}
		assertThat(node).isEqualTo(new AllOf(List.of(must(new Word("refund")))));
		assertRefused("refund (" + tenDeep + ")",
				"nests parentheses more than 10 deep (at position 18); at most" + " 10 levels are allowed");
	}

	@Test
	void depthIsCountedPerNestingNotPerGroup() {
		String manyGroups = "(a) ".repeat(ContentQuery.MAX_DEPTH + 5);
		assertThat(parse(manyGroups)).hasSize(ContentQuery.MAX_DEPTH + 5);
	}

	@Test
	void emptyOrBlankQueryHasNothingToSearchFor() {
		assertRefused("", "has nothing to search for");
		assertRefused(" \t\n ", "has nothing to search for");
	}

	@Test
	void queryIsAtMostOneThousandCharacters() {
		// 500 one-letter words: the length is what bounds the number of clauses.
		String longest = "a ".repeat(ContentQuery.MAX_LENGTH / 2 - 1) + "ab";
		assertThat(longest).hasSize(ContentQuery.MAX_LENGTH);
		assertThat(parse(longest)).hasSize(ContentQuery.MAX_LENGTH / 2);
		assertRefused(longest + " ", "is 1001 characters long; at most 1000 are allowed");
	}

	@Test
	void lengthIsCheckedBeforeTheSyntax() {
		assertRefused("\"".repeat(1001), "is 1001 characters long; at most 1000 are allowed");
	}

	@Test
	void oddCharactersAreWordsNotSyntax() {
		assertThat(parse("+refund & | ! {x} [y] \\ ^ : / ? 100%")).map(Clause::node)
			.containsExactly(new Word("+refund"), new Word("&"), new Word("|"), new Word("!"), new Word("{x}"),
					new Word("[y]"), new Word("\\"), new Word("^"), new Word(":"), new Word("/"), new Word("?"),
					new Word("100%"));
	}

	@Test
	void grammarProblemsAreNamedFromTheLeft() {
		assertRefused("r* re*und", "has 'r*'; a prefix needs at least 2 characters before *");
		assertRefused("refund) (", "has a ) at position 7 that closes nothing");
	}

	@Test
	void aQuoteLeftOpenIsNamedBeforeAnyGrammarProblem() {
		// The whole query is split into words and phrases before it is parsed.
		assertRefused("refund) \"open", "has a \" at position 9 that is never closed");
	}

	private static List<Clause> parse(String text) {
		return ContentQuery.parse(text).clauses();
	}

	private static Clause must(Node node) {
		return new Clause(node, false);
	}

	private static Clause not(Node node) {
		return new Clause(node, true);
	}

	private static void assertRefused(String text, String problem) {
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> ContentQuery.parse(text))
			.withMessage("parameter q: the content query " + problem);
	}

}
