package org.conversationarchive.review;

import java.time.Instant;

import org.conversationarchive.search.Filter;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * A review rule of an org: the conversations its filter finds are flagged (and tagged,
 * and notified) as they are written.
 *
 * @param id its id
 * @param name what people call it
 * @param filter the conversations it flags, as the table would find them
 * @param actions what it does to each
 * @param enabled whether it runs on writes
 * @param enabledAt when it was last switched on: it flags what is written from then on
 * @param owner who made it (notified in the app)
 * @param createdAt when it was made
 * @param updatedAt when it was last changed
 */
record Rule(String id, String name, Filter filter, Actions actions, boolean enabled, @Nullable Instant enabledAt,
		String owner, Instant createdAt, Instant updatedAt) {

	/**
	 * What a rule does to a conversation it finds.
	 *
	 * @param flag the flag it sets
	 * @param tag a tag it adds, if any
	 * @param notifies whether it notifies its owner (in the app and by webhook)
	 */
	record Actions(FlagAction flag, @Nullable TagAction tag, @JsonProperty("notify") boolean notifies) {
	}

	/**
	 * The flag a rule sets.
	 *
	 * @param reason why, as the table and the detail page show it
	 * @param severity {@code low}, {@code medium} or {@code high}
	 */
	record FlagAction(String reason, String severity) {
	}

	/**
	 * A tag a rule adds.
	 *
	 * @param key the key
	 * @param value the value
	 */
	record TagAction(String key, String value) {
	}

}
