package io.deepstream.storage.store;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;
import org.postgresql.util.PGBinaryObject;
import org.postgresql.util.PGobject;

/**
 * A {@code text[]} or {@code int4[]} statement parameter, sent in PostgreSQL's binary array format
 * and written in one pass into one buffer of the exact size. pgjdbc's {@code createArrayOf} sends
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

	private final byte @Nullable [][] texts;

	private final int @Nullable [] ints;

	private final int length;

	private ArrayParameter(String type, byte @Nullable [][] texts, int @Nullable [] ints, int length) {
		this.type = type;
		this.texts = texts;
		this.ints = ints;
		this.length = length;
	}

	/**
	 * A {@code text[]} of the given strings, encoded as UTF-8.
	 * @param values the elements, none null
	 * @return the parameter
	 */
	static ArrayParameter text(String[] values) {
		byte[][] encoded = new byte[values.length][];
		int length = HEADER_BYTES;
		for (int i = 0; i < values.length; i++) {
			encoded[i] = values[i].getBytes(StandardCharsets.UTF_8);
			length += 4 + encoded[i].length;
		}
		return new ArrayParameter("_text", encoded, null, length);
	}

	/**
	 * An {@code int4[]} of the given numbers.
	 * @param values the elements
	 * @return the parameter
	 */
	static ArrayParameter int4(int[] values) {
		return new ArrayParameter("_int4", null, values, HEADER_BYTES + values.length * 8);
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
		if (this.texts != null) {
			for (byte[] text : this.texts) {
				at = putInt(bytes, at, text.length);
				System.arraycopy(text, 0, bytes, at, text.length);
				at += text.length;
			}
		}
		else if (this.ints != null) {
			for (int value : this.ints) {
				at = putInt(bytes, at, 4);
				at = putInt(bytes, at, value);
			}
		}
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
				String element = new String(this.texts[i], StandardCharsets.UTF_8);
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
