package org.conversationarchive.analytics;

import java.util.List;

import org.conversationarchive.system.InvalidInputException;

/**
 * What the volume's buckets are split by: a field of the conversations, named as the
 * table's filters name it.
 *
 * @param name the split as asked ({@code status}, {@code tag:Call Reason})
 * @param field the field its values are counted on
 */
record Split(String name, String field) {

	/**
	 * The splits there are besides {@code tag:<key>}, with their fields.
	 */
	private static final List<Split> FIELDS = List.of(new Split("status", "status"), new Split("platform", "platform"),
			new Split("flow", "flow.id"), new Split("direction", "direction"), new Split("environment", "environment"),
			new Split("agent", "agent.id"), new Split("liveAgent", "liveAgentHandled"));

	private static final String TAG = "tag:";

	/**
	 * Reads the {@code split} parameter.
	 * @param value its value
	 * @return the split
	 * @throws InvalidInputException naming the parameter
	 */
	static Split of(String value) {
		for (Split split : FIELDS) {
			if (split.name.equals(value)) {
				return split;
			}
		}
		if (value.startsWith(TAG) && !value.substring(TAG.length()).isBlank()) {
			String key = value.substring(TAG.length()).trim();
			return new Split(TAG + key, "tags." + key);
		}
		throw new InvalidInputException("parameter split: '" + value
				+ "' is not one of status, platform, flow, direction, environment, agent, liveAgent, tag:<key>");
	}

}
