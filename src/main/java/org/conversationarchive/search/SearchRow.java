package org.conversationarchive.search;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.annotation.JsonSerialize;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * One row of a search page as the API sends it: a {@link ConversationRow} in JSON. Its
 * fields are the document's row fields exactly as Elasticsearch sent them (the search
 * asks for those fields and no others, and the documents were written from the same
 * records), with the highlights added for a content search: a page's rows go out without
 * being bound to objects and written again. A page on the server reads them with
 * {@link #read}.
 *
 * @param json the row, a JSON object
 */
@JsonSerialize(using = SearchRow.Writer.class)
public record SearchRow(String json) {

	/**
	 * A row from a hit's source and, for a content search, its highlights.
	 * @param source the source, a JSON object
	 * @param highlights the highlights as a JSON array, or {@code null} when the search
	 * has no content query
	 * @return the row
	 */
	static SearchRow of(String source, @Nullable String highlights) {
		if (highlights == null) {
			return new SearchRow(source);
		}
		int end = source.lastIndexOf('}');
		int last = end - 1;
		while (last >= 0 && Character.isWhitespace(source.charAt(last))) {
			last--;
		}
		boolean empty = last >= 0 && source.charAt(last) == '{';
		return new SearchRow(source.substring(0, end) + (empty ? "" : ",") + "\"highlights\":" + highlights + "}");
	}

	/**
	 * The row as an object.
	 * @param mapper the application's mapper
	 * @return the row
	 */
	public ConversationRow read(JsonMapper mapper) {
		return mapper.readValue(this.json, ConversationRow.class);
	}

	static final class Writer extends StdSerializer<SearchRow> {

		Writer() {
			super(SearchRow.class);
		}

		@Override
		public void serialize(SearchRow row, JsonGenerator generator, SerializationContext context) {
			generator.writeRawValue(row.json);
		}

	}

}
