package org.conversationarchive.export;

import java.util.List;

import org.conversationarchive.conversation.Column;
import org.conversationarchive.search.Filter;
import org.jspecify.annotations.Nullable;

/**
 * An export as its job reads it, resolved when it was asked for: a view's filter is
 * copied in, so that editing the view later does not change an export under way.
 *
 * @param filters the filters, all of which rows must match
 * @param columns the table export's columns, in order
 * @param agentId the agent of a history export
 * @param year the calendar year (UTC) of a history export
 * @param destination a scheduled export's folder, relative to the org's folder of
 * scheduled exports ({@link ExportFolders})
 * @param baseUrl the service's address as the client saw it, for download links
 */
record ExportPlan(List<Filter> filters, List<Column> columns, @Nullable String agentId, @Nullable Integer year,
		@Nullable String destination, String baseUrl) {
}
