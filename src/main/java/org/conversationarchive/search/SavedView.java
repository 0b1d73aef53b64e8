package org.conversationarchive.search;

import org.conversationarchive.conversation.Column;
import java.util.List;

/**
 * A saved view as a search or an export runs it: its filter, the columns it shows, and
 * its order.
 *
 * @param id the view's id
 * @param name its name
 * @param filter which conversations (validated, in the current filter model)
 * @param columns the columns it shows, in order
 * @param sort the order of its rows
 */
public record SavedView(String id, String name, Filter filter, List<Column> columns, SearchSort sort) {

}
