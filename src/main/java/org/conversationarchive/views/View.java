package org.conversationarchive.views;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.conversationarchive.conversation.Column;
import org.conversationarchive.search.Filter;
import org.conversationarchive.search.SavedView;
import org.conversationarchive.search.SearchSort;
import org.jspecify.annotations.Nullable;

/**
 * A view as the API shows it.
 *
 * @param id its id: {@code all}, {@code production}, {@code test} for the built-in ones
 * @param name its name
 * @param filter which conversations, in the JSON form of the filter model
 * @param columns the columns it shows, in order
 * @param sort the order of its rows ({@code date:desc})
 * @param scope its owner only, or the whole org
 * @param builtIn one of the three that every org has, which cannot be changed
 * @param owner who saved it (none for built-in views)
 * @param createdAt when it was saved first
 * @param updatedAt when it was saved last
 * @param isDefault whether it is the org's default view
 */
record View(String id, String name, Filter filter, List<Column> columns, String sort, Scope scope, boolean builtIn,
		@Nullable String owner, @Nullable Instant createdAt, @Nullable Instant updatedAt,
		@JsonProperty("default") boolean isDefault) {

	static View builtIn(String id, String name, Filter filter) {
		return new View(id, name, filter, Column.DEFAULT, SearchSort.DEFAULT.toString(), Scope.ORG, true, null, null,
				null, false);
	}

	View withDefault(boolean isDefault) {
		return new View(this.id, this.name, this.filter, this.columns, this.sort, this.scope, this.builtIn, this.owner,
				this.createdAt, this.updatedAt, isDefault);
	}

	SavedView saved() {
		return new SavedView(this.id, this.name, this.filter, this.columns, SearchSort.parse(this.sort));
	}

}
