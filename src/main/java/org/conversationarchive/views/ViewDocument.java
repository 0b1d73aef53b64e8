package org.conversationarchive.views;

import java.time.Instant;
import java.util.List;

import org.conversationarchive.conversation.Column;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A saved view as the views index holds it (document id {@code org:id}, routed by org).
 * The filter is kept as the JSON it was saved as, with the filter model's version then,
 * so that a later model can still read it (see
 * {@link org.conversationarchive.search.FilterVersions}).
 *
 * @param org the org it belongs to
 * @param kind {@code view}
 * @param id the view's id
 * @param name its name
 * @param filter the filter's JSON, in its version
 * @param filterVersion the version of the filter model it was written in (absent: 0)
 * @param columns the columns it shows
 * @param sort the order of its rows
 * @param scope private or org
 * @param owner the user who saved it first
 * @param createdAt when it was saved first
 * @param updatedAt when it was saved last
 * @param updatedBy who saved it last
 */
record ViewDocument(String org, String kind, String id, String name, JsonNode filter, @Nullable Integer filterVersion,
		List<Column> columns, String sort, Scope scope, String owner, Instant createdAt, Instant updatedAt,
		@Nullable String updatedBy) {

	static final String KIND = "view";

	int version() {
		return (this.filterVersion != null) ? this.filterVersion : 0;
	}

}
