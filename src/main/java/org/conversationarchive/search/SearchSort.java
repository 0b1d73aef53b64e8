package org.conversationarchive.search;

import java.util.Locale;

import co.elastic.clients.elasticsearch._types.SortOrder;
import org.conversationarchive.system.InvalidInputException;

/**
 * The order of the table: {@code date} (start), {@code lastMessage}, {@code duration} or
 * {@code relevance}, each {@code :asc} or {@code :desc} (the default). Ties are broken by
 * conversation id, so that a cursor walks every row exactly once.
 *
 * @param key what to sort by
 * @param order which way
 */
public record SearchSort(Key key, SortOrder order) {

	public static final SearchSort DEFAULT = new SearchSort(Key.DATE, SortOrder.Desc);

	/**
	 * What rows can be sorted by.
	 */
	public enum Key {

		DATE("date", "startedAt"), LAST_MESSAGE("lastMessage", "lastMessageAt"),
		DURATION("duration", "durationSeconds"), RELEVANCE("relevance", "_score");

		final String name;

		final String field;

		Key(String name, String field) {
			this.name = name;
			this.field = field;
		}

	}

	/**
	 * Reads {@code key[:asc|:desc]}.
	 * @param text the parameter
	 * @return the sort
	 */
	public static SearchSort parse(String text) {
		String[] parts = text.trim().split(":", 2);
		Key key = null;
		for (Key candidate : Key.values()) {
			if (candidate.name.equalsIgnoreCase(parts[0]) || candidate.field.equalsIgnoreCase(parts[0])) {
				key = candidate;
			}
		}
		if (key == null) {
			throw new InvalidInputException("parameter sort: unknown sort '" + parts[0]
					+ "'; expected date, lastMessage, duration or relevance, optionally with :asc or :desc");
		}
		SortOrder order = SortOrder.Desc;
		if (parts.length == 2) {
			order = switch (parts[1].toLowerCase(Locale.ROOT)) {
				case "asc" -> SortOrder.Asc;
				case "desc" -> SortOrder.Desc;
				default -> throw new InvalidInputException(
						"parameter sort: unknown direction '" + parts[1] + "'; expected asc or desc");
			};
		}
		return new SearchSort(key, order);
	}

	@Override
	public String toString() {
		return this.key.name + ":" + this.order.jsonValue();
	}

}
