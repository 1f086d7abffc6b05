package io.deepstream.storage.announce;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON body of a record {@code notify} request, written straight to UTF-8 bytes:
 * {@code {<credentials>,"body":[{"topic":"record","action":"notify","recordNames":[...]}]}}. The
 * credentials ({@code authData}, {@code token}) are serialised once, by Jackson; the names, which are
 * all that changes between requests, are escaped here as JSON requires (quotation mark, reverse
 * solidus and control characters; a lone surrogate as its {@code \\u} escape, so that the server reads
 * the very string the name was).
 */
final class NotifyBody {

	private static final byte[] MESSAGE = "\"body\":[{\"topic\":\"record\",\"action\":\"notify\",\"recordNames\":["
		.getBytes(StandardCharsets.US_ASCII);

	private static final byte[] END = "]}]}".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

	/** {@code {} and the credentials' members, each followed by a comma. */
	private final byte[] prefix;

	NotifyBody(JsonMapper mapper, Map<String, Object> credentials) {
		byte[] start = { '{' };
		if (!credentials.isEmpty()) {
			byte[] object = mapper.writeValueAsBytes(credentials);
			// {"authData":{...},"token":"..."} without its closing brace, and a comma
			start = Arrays.copyOf(object, object.length);
			start[start.length - 1] = ',';
		}
		this.prefix = new byte[start.length + MESSAGE.length];
		System.arraycopy(start, 0, this.prefix, 0, start.length);
		System.arraycopy(MESSAGE, 0, this.prefix, start.length, MESSAGE.length);
	}

	/**
	 * @param names the record names
	 * @return the request body
	 */
	byte[] encode(Collection<String> names) {
		int estimate = this.prefix.length + END.length;
		for (String name : names) {
			estimate += name.length() + 3;
		}
		Writer out = new Writer(estimate);
		out.write(this.prefix);
		boolean first = true;
		for (String name : names) {
			if (!first) {
				out.write((byte) ',');
			}
			first = false;
			out.string(name);
		}
		out.write(END);
		return out.toByteArray();
	}

	/** A growable byte buffer that writes JSON strings. */
	private static final class Writer {

		private byte[] bytes;

		private int length;

		Writer(int capacity) {
			this.bytes = new byte[capacity];
		}

		void write(byte b) {
			ensure(1);
			this.bytes[this.length++] = b;
		}

		void write(byte[] b) {
			ensure(b.length);
			System.arraycopy(b, 0, this.bytes, this.length, b.length);
			this.length += b.length;
		}

		void string(String s) {
			int length = s.length();
			// one byte per char and the quotes: exact for the usual names, so the body is never copied
			ensure(length + 2);
			byte[] b = this.bytes;
			int n = this.length;
			b[n++] = '"';
			for (int i = 0; i < length; i++) {
				char c = s.charAt(i);
				if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
					b[n++] = (byte) c;
					continue;
				}
				// up to 6 bytes for this char, then one for each char left and the closing quote
				if (n + 6 + (length - i) > b.length) {
					this.length = n;
					ensure(6 + (length - i));
					b = this.bytes;
				}
				if (c == '"' || c == '\\') {
					b[n++] = '\\';
					b[n++] = (byte) c;
				}
				else if (c < 0x20) {
					n = escape(b, n, c);
				}
				else if (c < 0x800) {
					b[n++] = (byte) (0xc0 | (c >> 6));
					b[n++] = (byte) (0x80 | (c & 0x3f));
				}
				else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
					int cp = Character.toCodePoint(c, s.charAt(++i));
					b[n++] = (byte) (0xf0 | (cp >> 18));
					b[n++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
					b[n++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
					b[n++] = (byte) (0x80 | (cp & 0x3f));
				}
				else if (Character.isSurrogate(c)) {
					// a lone surrogate has no UTF-8 form; JSON's escape keeps it
					n = escape(b, n, c);
				}
				else {
					b[n++] = (byte) (0xe0 | (c >> 12));
					b[n++] = (byte) (0x80 | ((c >> 6) & 0x3f));
					b[n++] = (byte) (0x80 | (c & 0x3f));
				}
			}
			b[n++] = '"';
			this.length = n;
		}

		private static int escape(byte[] b, int n, char c) {
			b[n++] = '\\';
			b[n++] = 'u';
			b[n++] = HEX[(c >> 12) & 0xf];
			b[n++] = HEX[(c >> 8) & 0xf];
			b[n++] = HEX[(c >> 4) & 0xf];
			b[n++] = HEX[c & 0xf];
			return n;
		}

		private void ensure(int more) {
			if (this.length + more > this.bytes.length) {
				this.bytes = Arrays.copyOf(this.bytes, Math.max(this.bytes.length * 2, this.length + more));
			}
		}

		byte[] toByteArray() {
			return (this.length == this.bytes.length) ? this.bytes : Arrays.copyOf(this.bytes, this.length);
		}

	}

}
