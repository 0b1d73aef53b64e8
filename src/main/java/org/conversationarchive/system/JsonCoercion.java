package org.conversationarchive.system;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.MapperBuilder;
import tools.jackson.databind.type.LogicalType;

/**
 * The application's JSON takes each value only in its own JSON type: a number where a
 * string is declared ({@code "id": 123}, a parameter's value), a string where a number or
 * a boolean is ({@code "flagged": "true"}), a fraction where a whole number is
 * ({@code "year": 2024.5}) or an empty string for a number is refused, naming the field,
 * never silently turned into something the client did not send. A whole number where a
 * fraction is declared ({@code "score": 1}) is still a number.
 */
public final class JsonCoercion {

	private JsonCoercion() {
	}

	/**
	 * Configures a mapper to refuse coercion.
	 * @param <B> the builder's type
	 * @param builder the builder
	 * @return the builder
	 */
	public static <B extends MapperBuilder<?, B>> B refuse(B builder) {
		return builder.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
			.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
			.withCoercionConfig(LogicalType.Textual,
					(strings) -> strings.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
	}

}
