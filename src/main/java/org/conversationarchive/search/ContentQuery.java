package org.conversationarchive.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.conversationarchive.system.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * The content search syntax QA analysts type, parsed: words (all must match, in any of
 * their forms and with or without accents), {@code "exact phrase"} (its words as written,
 * up to case), {@code "words near"~5}, {@code prefix*}, {@code typo~} (a word within
 * edits), {@code a OR b}, {@code -excluded}, and parentheses. Case-insensitive. Each
 * positive clause must match some message of the conversation; an excluded one must match
 * none.
 *
 * @param clauses the clauses, all of which must hold
 */
public record ContentQuery(List<Clause> clauses) {

	/**
	 * Longest query accepted, in characters.
	 */
	static final int MAX_LENGTH = 1000;

	/**
	 * Largest distance accepted in {@code "words near"~N}.
	 */
	static final int MAX_SLOP = 50;

	/**
	 * Deepest nesting of parentheses accepted. Each level is a boolean query inside the
	 * one around it (two with an OR), and Elasticsearch refuses queries nested beyond its
	 * own limit: a query that parses must also run.
	 */
	static final int MAX_DEPTH = 10;

	/**
	 * Most edits accepted in {@code word~N}: what Elasticsearch's fuzzy matching takes.
	 */
	static final int MAX_EDITS = 2;

	/** Longest word {@code ~} finds typos of. */
	static final int MAX_FUZZY_LENGTH = 50;

	private static final Pattern FUZZY_WORD = Pattern.compile("[\\p{L}\\p{N}]+");

	/**
	 * A part of the query: a term, alternatives, or a group.
	 */
	public sealed interface Node permits Word, Phrase, Prefix, Fuzzy, AnyOf, AllOf {

	}

	/**
	 * A word (or a run of characters the analyzer splits into several, matched in order).
	 *
	 * @param text the word as typed
	 */
	public record Word(String text) implements Node {
	}

	/**
	 * Words in this order within one message, at most {@code slop} positions apart.
	 *
	 * @param text the phrase
	 * @param slop 0 for an exact phrase
	 */
	public record Phrase(String text, int slop) implements Node {
	}

	/**
	 * Any word that starts with this.
	 *
	 * @param prefix the start, lower-cased
	 */
	public record Prefix(String prefix) implements Node {
	}

	/**
	 * A word or one within a few edits of it ({@code refnd~}, {@code refnd~1}).
	 *
	 * @param text the word as typed
	 * @param edits the most edits, or {@code null} for as many as its length allows (0 up
	 * to 2 letters, 1 up to 5, else 2)
	 */
	public record Fuzzy(String text, @Nullable Integer edits) implements Node {
	}

	/**
	 * Any of these.
	 *
	 * @param nodes the alternatives
	 */
	public record AnyOf(List<Node> nodes) implements Node {
	}

	/**
	 * All of these (a parenthesised group).
	 *
	 * @param clauses the clauses
	 */
	public record AllOf(List<Clause> clauses) implements Node {
	}

	/**
	 * A node that must, or must not, match.
	 *
	 * @param node the node
	 * @param excluded whether it must not match
	 */
	public record Clause(Node node, boolean excluded) {
	}

	/**
	 * Parses a query.
	 * @param text what was typed
	 * @return the query
	 * @throws InvalidInputException naming parameter {@code q} and what is wrong
	 */
	public static ContentQuery parse(String text) {
		if (text.length() > MAX_LENGTH) {
			throw problem("is " + text.length() + " characters long; at most " + MAX_LENGTH + " are allowed");
		}
		Parser parser = new Parser(tokenize(text));
		List<Clause> clauses = parser.clauses(false);
		if (clauses.isEmpty()) {
			throw problem("has nothing to search for");
		}
		if (clauses.stream().allMatch(Clause::excluded)) {
			throw problem("only excludes words; say what to find as well, e.g. refund -voucher");
		}
		return new ContentQuery(clauses);
	}

	private static InvalidInputException problem(String what) {
		return new InvalidInputException("parameter q: the content query " + what);
	}

	private enum Kind {

		WORD, PHRASE, OR, MINUS, OPEN, CLOSE

	}

	private record Token(Kind kind, String text, int slop, int position) {
	}

	private static List<Token> tokenize(String text) {
		List<Token> tokens = new ArrayList<>();
		int i = 0;
		while (i < text.length()) {
			char c = text.charAt(i);
			if (Character.isWhitespace(c)) {
				i++;
			}
			else if (c == '"') {
				int end = text.indexOf('"', i + 1);
				if (end < 0) {
					throw problem("has a \" at position " + (i + 1) + " that is never closed");
				}
				String phrase = text.substring(i + 1, end).trim();
				int slop = 0;
				int next = end + 1;
				if (next < text.length() && text.charAt(next) == '~') {
					int digits = next + 1;
					while (digits < text.length() && Character.isDigit(text.charAt(digits))) {
						digits++;
					}
					if (digits == next + 1) {
						throw problem("has ~ after a phrase without a number, e.g. \"refund order\"~3");
					}
					slop = Integer.parseInt(text.substring(next + 1, Math.min(digits, next + 4)));
					if (digits - next - 1 > 3 || slop > MAX_SLOP) {
						throw problem("asks for words up to " + text.substring(next + 1, digits) + " apart; at most "
								+ MAX_SLOP + " is allowed");
					}
					next = digits;
				}
				if (phrase.isEmpty()) {
					throw problem("has an empty phrase \"\" at position " + (i + 1));
				}
				tokens.add(new Token(Kind.PHRASE, phrase, slop, i + 1));
				i = next;
			}
			else if (c == '(' || c == ')') {
				tokens.add(new Token((c == '(') ? Kind.OPEN : Kind.CLOSE, String.valueOf(c), 0, i + 1));
				i++;
			}
			else if (c == '-' && (i + 1 < text.length()) && !Character.isWhitespace(text.charAt(i + 1))
					&& (i == 0 || Character.isWhitespace(text.charAt(i - 1)) || text.charAt(i - 1) == '(')) {
				tokens.add(new Token(Kind.MINUS, "-", 0, i + 1));
				i++;
			}
			else {
				int start = i;
				while (i < text.length() && !Character.isWhitespace(text.charAt(i)) && text.charAt(i) != '"'
						&& text.charAt(i) != '(' && text.charAt(i) != ')') {
					i++;
				}
				String word = text.substring(start, i);
				if (word.equals("-")) {
					throw problem("has a - at position " + (start + 1) + " with nothing to exclude");
				}
				tokens.add(new Token(word.equals("OR") ? Kind.OR : Kind.WORD, word, 0, start + 1));
			}
		}
		return tokens;
	}

	private static final class Parser {

		private final List<Token> tokens;

		private int next;

		private int depth;

		Parser(List<Token> tokens) {
			this.tokens = tokens;
		}

		List<Clause> clauses(boolean inGroup) {
			List<Clause> clauses = new ArrayList<>();
			while (this.next < this.tokens.size()) {
				Token token = this.tokens.get(this.next);
				if (token.kind() == Kind.CLOSE) {
					if (!inGroup) {
						throw problem("has a ) at position " + token.position() + " that closes nothing");
					}
					return clauses;
				}
				clauses.add(clause());
			}
			if (inGroup) {
				throw problem("has a ( that is never closed");
			}
			return clauses;
		}

		private Clause clause() {
			boolean excluded = false;
			if (peek(Kind.MINUS)) {
				this.next++;
				excluded = true;
			}
			List<Node> alternatives = new ArrayList<>();
			alternatives.add(node());
			while (peek(Kind.OR)) {
				Token or = this.tokens.get(this.next++);
				if (this.next >= this.tokens.size() || peek(Kind.CLOSE) || peek(Kind.OR)) {
					throw problem("has an OR at position " + or.position() + " with nothing after it");
				}
				alternatives.add(node());
			}
			Node node = (alternatives.size() == 1) ? alternatives.get(0) : new AnyOf(List.copyOf(alternatives));
			return new Clause(node, excluded);
		}

		private Node node() {
			if (this.next >= this.tokens.size()) {
				throw problem("ends where a word was expected");
			}
			Token token = this.tokens.get(this.next++);
			return switch (token.kind()) {
				case PHRASE -> new Phrase(token.text(), token.slop());
				case WORD -> word(token);
				case OPEN -> {
					if (++this.depth > MAX_DEPTH) {
						throw problem("nests parentheses more than " + MAX_DEPTH + " deep (at position "
								+ token.position() + "); at most " + MAX_DEPTH + " levels are allowed");
					}
					List<Clause> group = clauses(true);
					this.next++;
					this.depth--;
					if (group.isEmpty()) {
						throw problem("has empty parentheses at position " + token.position());
					}
					if (group.stream().allMatch(Clause::excluded)) {
						// (-a) finds what -a would: everything but a few words.
						throw problem("has parentheses at position " + token.position()
								+ " that only exclude words; say what to find in them as well, e.g. (refund -voucher)");
					}
					yield new AllOf(List.copyOf(group));
				}
				case OR -> throw problem("has an OR at position " + token.position() + " with nothing before it");
				case MINUS -> throw problem("has a - at position " + token.position() + " inside an OR");
				case CLOSE -> throw problem("has a ) at position " + token.position() + " where a word was expected");
			};
		}

		private static Node word(Token token) {
			String text = token.text();
			int tilde = text.lastIndexOf('~');
			if (tilde >= 0) {
				return fuzzy(text, tilde);
			}
			if (text.endsWith("*")) {
				String prefix = text.substring(0, text.length() - 1);
				if (prefix.contains("*")) {
					throw problem("has '" + text + "'; * is only allowed at the end of a word");
				}
				if (prefix.codePointCount(0, prefix.length()) < 2) {
					throw problem("has '" + text + "'; a prefix needs at least 2 characters before *");
				}
				return new Prefix(prefix.toLowerCase(Locale.ROOT));
			}
			if (text.contains("*")) {
				throw problem("has '" + text + "'; * is only allowed at the end of a word");
			}
			return new Word(text);
		}

		private static Node fuzzy(String text, int tilde) {
			String word = text.substring(0, tilde);
			String edits = text.substring(tilde + 1);
			if (word.isEmpty() || word.contains("~") || word.contains("*")) {
				throw problem("has '" + text + "'; ~ follows a word to find it with typos, e.g. refnd~ or refnd~1");
			}
			if (word.length() > MAX_FUZZY_LENGTH || !FUZZY_WORD.matcher(word).matches()) {
				// A run the analysis splits would be a fuzzy query of each part.
				throw problem("has '" + text + "'; ~ finds typos of one word of letters and digits (at most "
						+ MAX_FUZZY_LENGTH + "), e.g. refnd~");
			}
			if (!edits.isEmpty() && !edits.matches("[0-" + MAX_EDITS + "]")) {
				throw problem("has '" + text + "'; a word finds words at most " + MAX_EDITS
						+ " edits away, e.g. refnd~1 (or refnd~ to let its length decide)");
			}
			return new Fuzzy(word, edits.isEmpty() ? null : Integer.valueOf(edits));
		}

		private boolean peek(Kind kind) {
			return this.next < this.tokens.size() && this.tokens.get(this.next).kind() == kind;
		}

	}

}
