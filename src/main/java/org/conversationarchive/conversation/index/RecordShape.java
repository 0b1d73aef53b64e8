package org.conversationarchive.conversation.index;

import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.conversationarchive.conversation.JsonEnum;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;

/**
 * A record's fields as the codec reads and writes them, taken from the record's
 * declaration: its components in order (the JSON's order, as binding writes it), each
 * with its kind, its accessor and its name encoded once; and its canonical constructor.
 * So a field added to a record is read and written by the codec with nothing else to
 * change, and a type the codec cannot handle fails at startup, not on a document.
 *
 * @param <R> the record
 */
final class RecordShape<R extends Record> {

	private static final Map<Class<?>, RecordShape<?>> SHAPES = new ConcurrentHashMap<>();

	private final Class<R> type;

	private final Field[] fields;

	/** The canonical constructor, taking the values in an {@code Object[]}. */
	private final MethodHandle constructor;

	private RecordShape(Class<R> type) {
		this.type = type;
		RecordComponent[] components = type.getRecordComponents();
		this.fields = new Field[components.length];
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			for (int i = 0; i < components.length; i++) {
				RecordComponent component = components[i];
				this.fields[i] = new Field(component.getName(), new SerializedString(component.getName()),
						kind(component.getGenericType(), type), accessor(lookup, component));
			}
			Class<?>[] parameters = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
			Constructor<R> canonical = type.getDeclaredConstructor(parameters);
			this.constructor = MethodHandles.publicLookup()
				.unreflectConstructor(canonical)
				.asSpreader(Object[].class, components.length)
				.asType(MethodType.methodType(Object.class, Object[].class));
		}
		catch (IllegalStateException ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IllegalStateException("The codec cannot reach the fields of " + type.getName(), ex);
		}
	}

	/**
	 * A component's accessor as a function: called through an interface, not a method
	 * handle, which the compiler cannot inline when the handle is not a constant.
	 */
	@SuppressWarnings("unchecked")
	private static Function<Object, @Nullable Object> accessor(MethodHandles.Lookup lookup, RecordComponent component)
			throws Throwable {
		MethodHandle accessor = lookup.unreflect(component.getAccessor());
		CallSite site = LambdaMetafactory.metafactory(lookup, "apply", MethodType.methodType(Function.class),
				MethodType.methodType(Object.class, Object.class), accessor, accessor.type());
		return (Function<Object, @Nullable Object>) site.getTarget().invoke();
	}

	/**
	 * The shape of a record.
	 * @param type the record
	 * @param <R> the record
	 * @return its shape, made once
	 */
	@SuppressWarnings("unchecked")
	static <R extends Record> RecordShape<R> of(Class<R> type) {
		// A shape names the records it holds (Kind.Nested) without making their shapes.
		return (RecordShape<R>) SHAPES.computeIfAbsent(type, (key) -> new RecordShape<>(type));
	}

	Class<R> type() {
		return this.type;
	}

	Field[] fields() {
		return this.fields;
	}

	/**
	 * A record of this shape.
	 * @param values its components' values, in order
	 * @return the record
	 */
	R create(@Nullable Object[] values) {
		try {
			return this.type.cast((Object) this.constructor.invokeExact(values));
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Kind kind(Type type, Class<?> owner) {
		if (type instanceof Class<?> raw) {
			if (raw == String.class) {
				return Kind.STRING;
			}
			if (raw == Instant.class) {
				return Kind.INSTANT;
			}
			if (raw == Boolean.class) {
				return Kind.BOOLEAN;
			}
			if (raw == Long.class) {
				return Kind.LONG;
			}
			if (raw == Integer.class) {
				return Kind.INT;
			}
			if (raw == Double.class) {
				return Kind.DOUBLE;
			}
			if (raw == Object.class) {
				return Kind.ANY;
			}
			if (raw.isEnum()) {
				return new Kind.Constant(raw.asSubclass(Enum.class));
			}
			if (raw.isRecord()) {
				return new Kind.Nested(raw.asSubclass(Record.class));
			}
		}
		if (type instanceof ParameterizedType parameterized && parameterized.getRawType() instanceof Class<?> raw) {
			Type[] arguments = parameterized.getActualTypeArguments();
			if (raw == List.class) {
				return new Kind.Array(kind(arguments[0], owner));
			}
			if (raw == Map.class && arguments[0] == String.class) {
				return (arguments[1] == String.class) ? Kind.STRINGS_BY_KEY : Kind.ANY_BY_KEY;
			}
		}
		throw new IllegalStateException("The codec has no JSON form for " + type.getTypeName() + " in "
				+ owner.getName() + ": add one to RecordShape.Kind, DocumentJson and FastConversationReader");
	}

	/**
	 * A field: its name, its name as JSON, its kind and how to read its value.
	 */
	record Field(String name, SerializableString json, Kind kind, Function<Object, @Nullable Object> accessor) {

		@Nullable Object get(Object record) {
			return this.accessor.apply(record);
		}

	}

	/**
	 * What a field holds, as far as its JSON goes.
	 */
	sealed interface Kind {

		Kind STRING = new Simple("string");

		Kind INSTANT = new Simple("instant");

		Kind BOOLEAN = new Simple("boolean");

		Kind LONG = new Simple("long");

		Kind INT = new Simple("int");

		Kind DOUBLE = new Simple("double");

		/** Any JSON, as binding reads it into {@code Object}. */
		Kind ANY = new Simple("any");

		/** An object of string values. */
		Kind STRINGS_BY_KEY = new Simple("strings by key");

		/** An object of any values. */
		Kind ANY_BY_KEY = new Simple("any by key");

		record Simple(String name) implements Kind {
		}

		/**
		 * An enumeration in its JSON spelling ({@link JsonEnum}).
		 */
		record Constant(Class<? extends Enum> type, SerializableString[] names) implements Kind {

			@SuppressWarnings("rawtypes")
			Constant(Class<? extends Enum> type) {
				this(type,
						Arrays.stream(type.getEnumConstants())
							.map((constant) -> new SerializedString(JsonEnum.json((Enum<?>) constant)))
							.toArray(SerializableString[]::new));
			}

		}

		/**
		 * Another record, as an object.
		 */
		record Nested(Class<? extends Record> type) implements Kind {

			RecordShape<?> shape() {
				return RecordShape.of(this.type);
			}

		}

		/**
		 * A list, as an array of the element's kind.
		 */
		record Array(Kind element) implements Kind {
		}

	}

}
