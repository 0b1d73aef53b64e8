package org.conversationarchive.conversation;

import java.util.IdentityHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;

/**
 * Strings with the JSON they were read from: the bytes between their quotes, escapes as
 * sent. A document is written with those bytes instead of encoding the string again (a
 * message's text is most of a conversation, and escaping it character by character was
 * the largest part of writing a document). Looked up by identity, so only the very string
 * a parser made of those bytes is written as them: a string changed or made anew on the
 * way is encoded as usual. Filled by one thread, then read by others once handed over.
 */
public final class EncodedStrings {

	private final Map<String, Slice> slices = new IdentityHashMap<>();

	/**
	 * Notes what a string was read from.
	 * @param value the string a parser read
	 * @param json the JSON it was read from, which must not change afterwards
	 * @param offset where its bytes start, after the opening quote
	 * @param length how many bytes, up to the closing quote
	 */
	public void put(String value, byte[] json, int offset, int length) {
		this.slices.put(value, new Slice(json, offset, length));
	}

	/**
	 * Writes a string as the JSON it was read from, if it was noted.
	 * @return whether it was
	 */
	boolean write(JsonGenerator out, String value) {
		Slice slice = this.slices.get(value);
		if (slice == null) {
			return false;
		}
		out.writeRawUTF8String(slice.json(), slice.offset(), slice.length());
		return true;
	}

	static boolean write(@Nullable EncodedStrings encoded, JsonGenerator out, String value) {
		return encoded != null && encoded.write(out, value);
	}

	private record Slice(byte[] json, int offset, int length) {
	}

}
