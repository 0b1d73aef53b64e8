package org.conversationarchive.conversation.index;

import org.jspecify.annotations.Nullable;

/**
 * Copies of a record with one component changed and the others as they are (the same
 * lists and maps, not copies of them), from the record's declaration.
 *
 * @param <R> the record
 */
public final class RecordCopy<R extends Record> {

	private final RecordShape<R> shape;

	private final int changed;

	private RecordCopy(RecordShape<R> shape, int changed) {
		this.shape = shape;
		this.changed = changed;
	}

	/**
	 * Copies that change one component.
	 * @param type the record
	 * @param component the component they change
	 * @param <R> the record
	 * @return the copies
	 * @throws IllegalArgumentException if the record has no such component
	 */
	public static <R extends Record> RecordCopy<R> of(Class<R> type, String component) {
		RecordShape<R> shape = RecordShape.of(type);
		RecordShape.Field[] fields = shape.fields();
		for (int i = 0; i < fields.length; i++) {
			if (fields[i].name().equals(component)) {
				return new RecordCopy<>(shape, i);
			}
		}
		throw new IllegalArgumentException(type.getName() + " has no component '" + component + "'");
	}

	/**
	 * A copy with the component changed.
	 * @param record the record
	 * @param value the component's new value
	 * @return the copy
	 */
	public R with(R record, @Nullable Object value) {
		RecordShape.Field[] fields = this.shape.fields();
		@Nullable Object[] values = new Object[fields.length];
		for (int i = 0; i < fields.length; i++) {
			values[i] = (i != this.changed) ? fields[i].get(record) : value;
		}
		return this.shape.create(values);
	}

}
