package org.conversationarchive.ingest;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.conversationarchive.conversation.JsonEnum;
import org.jspecify.annotations.Nullable;

/**
 * The file formats an import reads.
 */
enum ImportFormat {

	/**
	 * One conversation a line, as {@code POST /api/v1/conversations/_bulk} takes them.
	 */
	NDJSON,

	/**
	 * An agent's history: {@code Sender type, Channel type, Sender name, Time in GMT,
	 * Message, Data}, one row per message.
	 */
	HISTORY_CSV;

	@JsonValue
	String json() {
		return JsonEnum.json(this).replace('_', '-');
	}

	@JsonCreator
	static ImportFormat of(String value) {
		for (ImportFormat format : values()) {
			if (format.json().equalsIgnoreCase(value.trim()) || format.name().equalsIgnoreCase(value.trim())) {
				return format;
			}
		}
		throw new IllegalArgumentException("unknown format '" + value + "'; expected ndjson or history-csv");
	}

	/**
	 * The format of a file, from its name, when none is given.
	 * @param fileName the uploaded file's name
	 * @return the format
	 */
	static ImportFormat forFile(@Nullable String fileName) {
		String name = (fileName != null) ? fileName.toLowerCase(Locale.ROOT) : "";
		return name.endsWith(".csv") ? HISTORY_CSV : NDJSON;
	}

}
