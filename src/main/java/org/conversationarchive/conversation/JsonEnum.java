package org.conversationarchive.conversation;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The JSON form of the archive's enumerations: lower-case snake case
 * ({@code human_handoff}), with an error that names the field and lists what is allowed.
 */
public final class JsonEnum {

	private JsonEnum() {
	}

	public static String json(Enum<?> value) {
		return value.name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Reads a value in its JSON spelling only (another case, or spaces around it, is not
	 * read as it: the API takes each value as it is given).
	 * @param type the enumeration
	 * @param value the JSON value
	 * @param field the field, for the error
	 * @param <E> the enumeration
	 * @return the constant
	 * @throws IllegalArgumentException naming the field, the value and what is allowed
	 */
	public static <E extends Enum<E>> E parse(Class<E> type, String value, String field) {
		for (E constant : type.getEnumConstants()) {
			if (json(constant).equals(value)) {
				return constant;
			}
		}
		throw new IllegalArgumentException("unknown " + field + " '" + value + "'; expected one of " + allowed(type));
	}

	public static String allowed(Class<? extends Enum<?>> type) {
		return Arrays.stream(type.getEnumConstants()).map(JsonEnum::json).collect(Collectors.joining(", "));
	}

}
