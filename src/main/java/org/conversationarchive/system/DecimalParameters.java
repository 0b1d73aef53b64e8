package org.conversationarchive.system;

import java.beans.PropertyEditorSupport;
import java.util.function.Function;

import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;

/**
 * Whole numbers of request parameters and path variables as they are written, in decimal:
 * Spring's own editors also read {@code 0x10}, {@code #10} and spaces around a number,
 * which a client never meant. An editor, not a converter: when a converter refuses a
 * value, Spring tries its default editor next.
 */
@ControllerAdvice
class DecimalParameters {

	@InitBinder
	void decimal(WebDataBinder binder) {
		binder.registerCustomEditor(Integer.class, new Decimal(Integer::valueOf));
		binder.registerCustomEditor(int.class, new Decimal(Integer::valueOf));
		binder.registerCustomEditor(Long.class, new Decimal(Long::valueOf));
		binder.registerCustomEditor(long.class, new Decimal(Long::valueOf));
	}

	private static final class Decimal extends PropertyEditorSupport {

		private final Function<String, Number> parse;

		Decimal(Function<String, Number> parse) {
			this.parse = parse;
		}

		@Override
		public void setAsText(String text) {
			// Integer.valueOf takes an optional sign and decimal digits only; a
			// NumberFormatException is a type mismatch, answered 400.
			setValue(text.isEmpty() ? null : this.parse.apply(text));
		}

	}

}
