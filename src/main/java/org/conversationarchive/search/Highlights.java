package org.conversationarchive.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A message's highlights: the same text marked by each of its analyses (folded words,
 * exact words, stems), merged into one text with every match marked, then cut into
 * fragments around the marks. Elasticsearch highlights each field on its own, so a query
 * of a stem and a quoted phrase would otherwise show one or the other.
 * <p>
 * The texts are HTML-escaped with {@code <mark>} around matches; the escaped text is the
 * same in every field (one source), so marks are merged by their offsets in it.
 */
final class Highlights {

	private static final String OPEN = "<mark>";

	private static final String CLOSE = "</mark>";

	/** About how long a fragment is, in characters of escaped text. */
	static final int FRAGMENT = 160;

	/** How many fragments a message shows at most. */
	static final int FRAGMENTS = 2;

	/** How much of the text before a match a fragment shows. */
	private static final int BEFORE = 60;

	private Highlights() {
	}

	/**
	 * The merged fragments of a message.
	 * @param byField each field's whole text, marked (Elasticsearch's highlight with no
	 * fragments)
	 * @param fields the fields to merge
	 * @return the fragments, empty when nothing is marked
	 */
	static List<String> merge(@Nullable Map<String, List<String>> byField, List<String> fields) {
		if (byField == null) {
			return List.of();
		}
		String text = null;
		List<int[]> marks = new ArrayList<>();
		for (String field : fields) {
			List<String> highlighted = byField.get(field);
			if (highlighted == null || highlighted.isEmpty()) {
				continue;
			}
			StringBuilder plain = new StringBuilder();
			List<int[]> fieldMarks = new ArrayList<>();
			for (String part : highlighted) {
				// Several values of one field (not expected for a message) join with a
				// space.
				if (!plain.isEmpty()) {
					plain.append(' ');
				}
				unmark(part, plain, fieldMarks);
			}
			if (text == null) {
				text = plain.toString();
			}
			else if (!text.contentEquals(plain)) {
				// Not the same text (a message written before its stems were): its
				// marks would land elsewhere.
				continue;
			}
			marks.addAll(fieldMarks);
		}
		if (text == null || marks.isEmpty()) {
			return List.of();
		}
		List<int[]> merged = union(marks);
		return fragments(text, merged);
	}

	/**
	 * Appends the text without its marks and records where the marks were.
	 */
	private static void unmark(String marked, StringBuilder plain, List<int[]> marks) {
		int i = 0;
		int start = -1;
		while (i < marked.length()) {
			if (marked.startsWith(OPEN, i)) {
				start = plain.length();
				i += OPEN.length();
			}
			else if (marked.startsWith(CLOSE, i)) {
				if (start >= 0) {
					marks.add(new int[] { start, plain.length() });
				}
				start = -1;
				i += CLOSE.length();
			}
			else {
				plain.append(marked.charAt(i++));
			}
		}
	}

	private static List<int[]> union(List<int[]> marks) {
		marks.sort((a, b) -> (a[0] != b[0]) ? Integer.compare(a[0], b[0]) : Integer.compare(a[1], b[1]));
		List<int[]> merged = new ArrayList<>();
		for (int[] mark : marks) {
			int[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
			if (last != null && mark[0] <= last[1]) {
				last[1] = Math.max(last[1], mark[1]);
			}
			else {
				merged.add(new int[] { mark[0], mark[1] });
			}
		}
		return merged;
	}

	/**
	 * The whole text when it is short; else up to {@link #FRAGMENTS} windows of about
	 * {@link #FRAGMENT} characters, each starting a little before a match, cut at spaces
	 * (never inside an escaped character or a mark).
	 */
	private static List<String> fragments(String text, List<int[]> marks) {
		if (text.length() <= FRAGMENT * FRAGMENTS) {
			return List.of(render(text, marks, 0, text.length()));
		}
		List<String> fragments = new ArrayList<>();
		int covered = 0;
		for (int[] mark : marks) {
			if (fragments.size() == FRAGMENTS) {
				break;
			}
			if (mark[0] < covered) {
				continue;
			}
			int start = Math.max(covered, mark[0] - BEFORE);
			if (start > 0) {
				int space = text.indexOf(' ', start);
				start = (space >= 0 && space < mark[0]) ? space + 1 : mark[0];
			}
			int end = Math.min(text.length(), Math.max(start + FRAGMENT, mark[1]));
			if (end < text.length()) {
				int space = text.lastIndexOf(' ', end);
				end = (space > mark[1]) ? space : mark[1];
				for (int[] other : marks) {
					if (other[0] < end && other[1] > end) {
						end = other[1];
					}
				}
			}
			fragments.add(render(text, marks, start, end));
			covered = end;
		}
		return fragments;
	}

	private static String render(String text, List<int[]> marks, int start, int end) {
		StringBuilder out = new StringBuilder(end - start + 32);
		int at = start;
		for (int[] mark : marks) {
			if (mark[1] <= start || mark[0] >= end) {
				continue;
			}
			int from = Math.max(mark[0], start);
			int to = Math.min(mark[1], end);
			out.append(text, at, from).append(OPEN).append(text, from, to).append(CLOSE);
			at = to;
		}
		return out.append(text, at, end).toString();
	}

}
