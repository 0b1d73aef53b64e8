package org.conversationarchive.system;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Request bodies read strictly: a field the API does not know is refused, naming it, as
 * views, exports and searches refuse it. A misspelt field would otherwise be dropped
 * silently and its default taken.
 */
public final class StrictJson {

	private StrictJson() {
	}

	/**
	 * Reads a request body.
	 * @param <T> the body's type
	 * @param json the application's mapper
	 * @param body the JSON
	 * @param type the body's type
	 * @param example a body to show when none was sent
	 * @return the body
	 * @throws InvalidInputException naming what is missing, unknown or of the wrong type
	 */
	public static <T> T read(JsonMapper json, byte @Nullable [] body, Class<T> type, String example) {
		if (body == null || body.length == 0) {
			throw new InvalidInputException("the request body is missing: send JSON, e.g. " + example);
		}
		T value;
		try {
			value = json.readerFor(type).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(body);
		}
		catch (JacksonException ex) {
			throw new InvalidInputException(JsonProblems.describe(ex));
		}
		if (value == null) {
			throw new InvalidInputException("the request body is null: send a JSON object, e.g. " + example);
		}
		return value;
	}

}
