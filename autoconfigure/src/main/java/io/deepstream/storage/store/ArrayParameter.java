package io.deepstream.storage.store;

import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;

import io.deepstream.storage.core.Identifiers;
import org.jspecify.annotations.Nullable;
import org.postgresql.util.PGBinaryObject;
import org.postgresql.util.PGobject;

/**
 * A {@code text[]} or {@code int4[]} statement parameter, sent in PostgreSQL's binary array format
 * and written in one pass into one buffer of the exact size (strings are encoded into it directly). pgjdbc's {@code createArrayOf} sends
 * the same bytes, but builds them in a growing stream and copies them twice more: for a batch of
 * 5,000 values that was about half of what the flush threads allocated.
 * <p>
 * pgjdbc sends it in binary whenever the connection sends {@code text[]} and {@code int4[]} in
 * binary (its default); with {@code binaryTransfer=false} it sends {@link #getValue()}, the same
 * array as text. Elements are never null.
 */
final class ArrayParameter extends PGobject implements PGBinaryObject {

	private static final long serialVersionUID = 1L;

	private static final int TEXT_OID = 25;

	private static final int INT4_OID = 23;

	/** ndim, has-null flag, element type, then length and lower bound of the one dimension. */
	private static final int HEADER_BYTES = 20;

	private final String @Nullable [] texts;

	/** The length of each text in UTF-8, counted when the parameter is made, encoded only in {@link #toBytes}. */
	private final int @Nullable [] textBytes;

	private final int @Nullable [] ints;

	private final int length;

	private ArrayParameter(String type, String @Nullable [] texts, int @Nullable [] textBytes, int @Nullable [] ints,
			int length) {
		this.type = type;
		this.texts = texts;
		this.textBytes = textBytes;
		this.ints = ints;
		this.length = length;
	}

	/**
	 * A {@code text[]} of the given strings, encoded as UTF-8.
	 * @param values the elements, none null
	 * @return the parameter
	 */
	static ArrayParameter text(String[] values) {
		int[] bytes = new int[values.length];
		int length = HEADER_BYTES;
		for (int i = 0; i < values.length; i++) {
			bytes[i] = Identifiers.utf8Length(values[i]);
			length += 4 + bytes[i];
		}
		return new ArrayParameter("_text", values, bytes, null, length);
	}

	/**
	 * A {@code text[]} of a property of each item.
	 * @param items the items
	 * @param property the string of an item, not null
	 * @return the parameter
	 */
	static <T> ArrayParameter text(List<T> items, Function<T, String> property) {
		String[] values = new String[items.size()];
		for (int i = 0; i < values.length; i++) {
			values[i] = property.apply(items.get(i));
		}
		return text(values);
	}

	/**
	 * An {@code int4[]} of a property of each item.
	 * @param items the items
	 * @param property the number of an item
	 * @return the parameter
	 */
	static <T> ArrayParameter int4(List<T> items, ToIntFunction<T> property) {
		int[] values = new int[items.size()];
		for (int i = 0; i < values.length; i++) {
			values[i] = property.applyAsInt(items.get(i));
		}
		return new ArrayParameter("_int4", null, null, values, HEADER_BYTES + values.length * 8);
	}

	private int size() {
		return (this.texts != null) ? this.texts.length : (this.ints != null) ? this.ints.length : 0;
	}

	@Override
	public int lengthInBytes() {
		// an empty array has no dimension: ndim 0, no flag, the element type
		return (size() == 0) ? 12 : this.length;
	}

	@Override
	public void toBytes(byte[] bytes, int offset) {
		int n = size();
		int at = offset;
		at = putInt(bytes, at, (n == 0) ? 0 : 1);
		at = putInt(bytes, at, 0);
		at = putInt(bytes, at, (this.texts != null) ? TEXT_OID : INT4_OID);
		if (n == 0) {
			return;
		}
		at = putInt(bytes, at, n);
		at = putInt(bytes, at, 1);
		if (this.texts != null && this.textBytes != null) {
			for (int i = 0; i < n; i++) {
				at = putInt(bytes, at, this.textBytes[i]);
				at = putUtf8(bytes, at, this.texts[i]);
			}
		}
		else if (this.ints != null) {
			for (int value : this.ints) {
				at = putInt(bytes, at, 4);
				at = putInt(bytes, at, value);
			}
		}
	}

	/**
	 * Writes a string in UTF-8 straight into the buffer (no copy of its own, unlike
	 * {@code getBytes}), as {@code getBytes(UTF_8)} would: an unpaired surrogate becomes {@code '?'}.
	 */
	private static int putUtf8(byte[] bytes, int at, String text) {
		int i = at;
		int length = text.length();
		for (int c = 0; c < length; c++) {
			char ch = text.charAt(c);
			if (ch < 0x80) {
				bytes[i++] = (byte) ch;
			}
			else if (ch < 0x800) {
				bytes[i++] = (byte) (0xC0 | (ch >> 6));
				bytes[i++] = (byte) (0x80 | (ch & 0x3F));
			}
			else if (Character.isHighSurrogate(ch) && c + 1 < length && Character.isLowSurrogate(text.charAt(c + 1))) {
				int cp = Character.toCodePoint(ch, text.charAt(++c));
				bytes[i++] = (byte) (0xF0 | (cp >> 18));
				bytes[i++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
				bytes[i++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
				bytes[i++] = (byte) (0x80 | (cp & 0x3F));
			}
			else if (Character.isSurrogate(ch)) {
				bytes[i++] = '?';
			}
			else {
				bytes[i++] = (byte) (0xE0 | (ch >> 12));
				bytes[i++] = (byte) (0x80 | ((ch >> 6) & 0x3F));
				bytes[i++] = (byte) (0x80 | (ch & 0x3F));
			}
		}
		return i;
	}

	private static int putInt(byte[] bytes, int at, int value) {
		bytes[at] = (byte) (value >>> 24);
		bytes[at + 1] = (byte) (value >>> 16);
		bytes[at + 2] = (byte) (value >>> 8);
		bytes[at + 3] = (byte) value;
		return at + 4;
	}

	@Override
	public void setByteValue(byte[] value, int offset) {
		throw new UnsupportedOperationException("A statement parameter is never read back");
	}

	/** The array as PostgreSQL reads it in text: every element quoted, with {@code "} and {@code \} escaped. */
	@Override
	public String getValue() {
		StringBuilder text = new StringBuilder(this.length + 2 * size() + 2).append('{');
		if (this.texts != null) {
			for (int i = 0; i < this.texts.length; i++) {
				String element = this.texts[i];
				text.append((i == 0) ? "\"" : ",\"");
				for (int c = 0; c < element.length(); c++) {
					char ch = element.charAt(c);
					if (ch == '"' || ch == '\\') {
						text.append('\\');
					}
					text.append(ch);
				}
				text.append('"');
			}
		}
		else if (this.ints != null) {
			for (int i = 0; i < this.ints.length; i++) {
				text.append((i == 0) ? "" : ",").append(this.ints[i]);
			}
		}
		return text.append('}').toString();
	}

	@Override
	public void setValue(@Nullable String value) {
		throw new UnsupportedOperationException("The array's elements are given when it is made");
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return this == other;
	}

	@Override
	public int hashCode() {
		return System.identityHashCode(this);
	}

	@Override
	public ArrayParameter clone() {
		return this;
	}

}
