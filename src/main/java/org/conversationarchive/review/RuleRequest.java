package org.conversationarchive.review;

import java.util.Locale;
import java.util.Set;

import org.conversationarchive.search.Filter;
import org.conversationarchive.system.InvalidInputException;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST} and {@code PUT /api/v1/rules}: a rule to save. A new rule is
 * off until switched on ({@code "enabled": true}): the point is to backtest it first.
 *
 * @param name 1 to 200 characters
 * @param filter the JSON form of the filter model, with at least one condition
 * @param actions what it does; {@code flag} is always done (its reason defaults to the
 * name, its severity to {@code medium}), {@code tag} and {@code notify} when given
 * @param enabled whether it runs on writes; {@code false} when left out on create, kept
 * on update
 */
record RuleRequest(@Nullable String name, @Nullable Filter filter, @Nullable ActionsRequest actions,
		@Nullable Boolean enabled) {

	static final String EXAMPLE = "{\"name\": \"Angry voice callers\", \"filter\": {\"platforms\": [\"voice\"], "
			+ "\"content\": {\"query\": \"manager\", \"speaker\": \"customer\"}}, "
			+ "\"actions\": {\"flag\": {\"reason\": \"Asked for a manager\", \"severity\": \"high\"}, \"notify\": true}}";

	static final int MAX_NAME = 200;

	static final int MAX_TEXT = 500;

	static final Set<String> SEVERITIES = Set.of("low", "medium", "high");

	/**
	 * The actions as sent.
	 */
	record ActionsRequest(@Nullable FlagRequest flag, @Nullable TagRequest tag,
			@JsonProperty("notify") @Nullable Boolean notifies) {
	}

	record FlagRequest(@Nullable String reason, @Nullable String severity) {
	}

	record TagRequest(@Nullable String key, @Nullable String value) {
	}

	/**
	 * A rule's name, filter and actions, checked.
	 */
	record Valid(String name, Filter filter, Rule.Actions actions, @Nullable Boolean enabled) {
	}

	/**
	 * Checks the request.
	 * @return its parts, checked
	 * @throws InvalidInputException naming the field and what is wrong
	 */
	Valid validated() {
		String trimmed = (this.name != null) ? this.name.trim() : "";
		if (trimmed.isEmpty()) {
			throw new InvalidInputException("name: is required (1 to " + MAX_NAME + " characters)");
		}
		if (trimmed.length() > MAX_NAME) {
			throw new InvalidInputException(
					"name: is " + trimmed.length() + " characters long; at most " + MAX_NAME + " are allowed");
		}
		return new Valid(trimmed, validFilter(this.filter), actions(trimmed), this.enabled);
	}

	/**
	 * Checks a rule's filter: it must narrow something, since a rule without a condition
	 * would flag every conversation.
	 * @param filter the filter sent
	 * @return the filter, checked
	 */
	static Filter validFilter(@Nullable Filter filter) {
		if (filter == null) {
			throw new InvalidInputException("filter: is required: the conversations the rule flags, e.g. "
					+ "{\"platforms\": [\"voice\"], \"flagged\": false}");
		}
		Filter checked;
		try {
			checked = filter.validated();
		}
		catch (InvalidInputException ex) {
			throw new InvalidInputException("filter: " + ex.getMessage());
		}
		if (checked.equals(Filter.ALL)) {
			throw new InvalidInputException(
					"filter: has no condition, so the rule would flag every conversation; give at least one");
		}
		return checked;
	}

	private Rule.Actions actions(String name) {
		ActionsRequest sent = (this.actions != null) ? this.actions : new ActionsRequest(null, null, null);
		FlagRequest flag = (sent.flag() != null) ? sent.flag() : new FlagRequest(null, null);
		String reason = (flag.reason() != null && !flag.reason().isBlank()) ? flag.reason().trim() : name;
		text("actions.flag.reason", reason);
		String severity = (flag.severity() != null) ? flag.severity().trim().toLowerCase(Locale.ROOT) : "medium";
		if (!SEVERITIES.contains(severity)) {
			throw new InvalidInputException(
					"actions.flag.severity: '" + flag.severity() + "' is not one of low, medium, high");
		}
		Rule.TagAction tag = null;
		if (sent.tag() != null) {
			String key = required("actions.tag.key", sent.tag().key());
			if (key.startsWith(".") || key.endsWith(".") || key.contains("..")) {
				throw new InvalidInputException(
						"actions.tag.key: '" + key + "' must not start or end with '.' or " + "contain '..'");
			}
			tag = new Rule.TagAction(key, required("actions.tag.value", sent.tag().value()));
		}
		return new Rule.Actions(new Rule.FlagAction(reason, severity), tag, Boolean.TRUE.equals(sent.notifies()));
	}

	private static String required(String path, @Nullable String value) {
		if (value == null || value.isBlank()) {
			throw new InvalidInputException(path + ": is required and must not be blank");
		}
		return text(path, value.trim());
	}

	private static String text(String path, String value) {
		if (value.length() > MAX_TEXT) {
			throw new InvalidInputException(
					path + ": is " + value.length() + " characters long; at most " + MAX_TEXT + " are allowed");
		}
		if (value.chars().anyMatch(Character::isISOControl)) {
			throw new InvalidInputException(path + ": must not contain control characters");
		}
		return value;
	}

}
