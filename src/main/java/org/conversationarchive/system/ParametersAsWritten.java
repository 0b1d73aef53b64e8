package org.conversationarchive.system;

import java.beans.PropertyEditorSupport;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;

/**
 * Request parameters and path variables of whole numbers and booleans taken as they are
 * written: whole numbers in ASCII decimal, booleans as {@code true} or {@code false}.
 * Spring's own editors also read {@code 0x10}, {@code #10} and spaces around a number as
 * one, and {@code yes}, {@code on} or {@code 1} as true, which a client never meant. An
 * editor, not a converter: when a converter refuses a value, Spring tries its default
 * editor next. A refused value is a type mismatch, answered 400 naming the parameter.
 */
@ControllerAdvice
class ParametersAsWritten {

	private static final Pattern WHOLE = Pattern.compile("-?[0-9]+");

	private static final Pattern BOOLEAN = Pattern.compile("true|false");

	@InitBinder
	void asWritten(WebDataBinder binder) {
		binder.registerCustomEditor(Integer.class, new Strict(WHOLE, Integer::valueOf));
		binder.registerCustomEditor(int.class, new Strict(WHOLE, Integer::valueOf));
		binder.registerCustomEditor(Long.class, new Strict(WHOLE, Long::valueOf));
		binder.registerCustomEditor(long.class, new Strict(WHOLE, Long::valueOf));
		binder.registerCustomEditor(Boolean.class, new Strict(BOOLEAN, Boolean::valueOf));
		binder.registerCustomEditor(boolean.class, new Strict(BOOLEAN, Boolean::valueOf));
	}

	private static final class Strict extends PropertyEditorSupport {

		private final Pattern form;

		private final Function<String, Object> parse;

		Strict(Pattern form, Function<String, Object> parse) {
			this.form = form;
			this.parse = parse;
		}

		@Override
		public void setAsText(String text) {
			if (text.isEmpty()) {
				setValue(null);
				return;
			}
			if (!this.form.matcher(text).matches()) {
				throw new IllegalArgumentException("'" + text + "' is not written as one");
			}
			// Out of range still fails here (NumberFormatException).
			setValue(this.parse.apply(text));
		}

	}

}
