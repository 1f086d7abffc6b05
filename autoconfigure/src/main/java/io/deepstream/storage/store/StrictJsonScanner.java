package io.deepstream.storage.store;

import tools.jackson.core.StreamReadConstraints;

/**
 * Tells quickly, without allocating, that JSON text is strict JSON (RFC 8259: one value, nothing
 * non-standard) within a parser's {@link StreamReadConstraints}, so that {@link JsonCodec} need not
 * read a value back with Jackson to know that Jackson can. Only a {@code true} answer means
 * something: {@code false} says "not known", and the caller asks Jackson, whose answer decides.
 * Jackson reads all strict JSON, and every limit is compared with a length at least as large as the
 * one Jackson checks (a string's or number's text, escapes included), so whatever this accepts,
 * Jackson accepts too.
 * <p>
 * For a jsonb column it also answers {@code false} for a value with a number that is not an integer,
 * or with an escaped surrogate: what PostgreSQL makes of those is for {@link JsonCodec} to check.
 */
final class StrictJsonScanner {

	/** Containers are tracked in the bits of a long: deeper values are left to Jackson. */
	private static final int MAX_TRACKED_DEPTH = 64;

	private final int maxDepth;

	private final long maxNumberLength;

	private final long maxStringLength;

	private final long maxNameLength;

	private final long maxDocumentLength;

	private final boolean jsonb;

	/**
	 * @param constraints the limits of the parser that would read the text
	 * @param jsonb whether the text goes to a jsonb column
	 */
	StrictJsonScanner(StreamReadConstraints constraints, boolean jsonb) {
		this.maxDepth = Math.min(constraints.getMaxNestingDepth(), MAX_TRACKED_DEPTH);
		this.maxNumberLength = constraints.getMaxNumberLength();
		this.maxStringLength = constraints.getMaxStringLength();
		this.maxNameLength = constraints.getMaxNameLength();
		long document = constraints.getMaxDocumentLength();
		this.maxDocumentLength = (document > 0) ? document : Long.MAX_VALUE;
		this.jsonb = jsonb;
	}

	/**
	 * Whether the text is known to be strict JSON within the limits.
	 * @param json the text
	 * @return {@code true} if it is; {@code false} if it is not, or may not be
	 */
	boolean accepts(String json) {
		int length = json.length();
		if (length > this.maxDocumentLength) {
			return false;
		}
		long objects = 0; // bit d set: the container at depth d is an object
		int depth = 0;
		int at = skipWhitespace(json, 0);
		while (true) {
			// a value starts at `at`
			if (at >= length) {
				return false;
			}
			char c = json.charAt(at);
			if (c == '{' || c == '[') {
				if (depth >= this.maxDepth) {
					return false;
				}
				boolean object = c == '{';
				if (object) {
					objects |= 1L << depth;
				}
				depth++;
				at = skipWhitespace(json, at + 1);
				if (at < length && json.charAt(at) == (object ? '}' : ']')) {
					depth--;
					objects &= ~(1L << depth);
					at++;
				}
				else {
					if (object) {
						at = nameAndColon(json, at);
						if (at < 0) {
							return false;
						}
					}
					continue;
				}
			}
			else {
				at = scalar(json, at, c);
				if (at < 0) {
					return false;
				}
			}
			// after a value: a comma and the next one, the end of containers, or the end of the text
			while (true) {
				at = skipWhitespace(json, at);
				if (depth == 0) {
					return at == length;
				}
				if (at >= length) {
					return false;
				}
				boolean inObject = (objects & (1L << (depth - 1))) != 0;
				c = json.charAt(at);
				if (c == ',') {
					at = skipWhitespace(json, at + 1);
					if (inObject) {
						at = nameAndColon(json, at);
						if (at < 0) {
							return false;
						}
					}
					break;
				}
				if (c != (inObject ? '}' : ']')) {
					return false;
				}
				depth--;
				objects &= ~(1L << depth);
				at++;
			}
		}
	}

	/** A property name, the colon and the whitespace after it: the index of the value, or -1. */
	private int nameAndColon(String json, int at) {
		if (at >= json.length() || json.charAt(at) != '"') {
			return -1;
		}
		int end = string(json, at, this.maxNameLength);
		if (end < 0) {
			return -1;
		}
		end = skipWhitespace(json, end);
		if (end >= json.length() || json.charAt(end) != ':') {
			return -1;
		}
		return skipWhitespace(json, end + 1);
	}

	/** A string, literal or number starting with {@code c} at {@code at}: the index after it, or -1. */
	private int scalar(String json, int at, char c) {
		if (c == '"') {
			return string(json, at, this.maxStringLength);
		}
		if (c == 't') {
			return literal(json, at, "true");
		}
		if (c == 'f') {
			return literal(json, at, "false");
		}
		if (c == 'n') {
			return literal(json, at, "null");
		}
		return number(json, at);
	}

	private static int literal(String json, int at, String literal) {
		return json.startsWith(literal, at) ? at + literal.length() : -1;
	}

	/**
	 * A string from its opening quote: the index after the closing one, or -1 if it is not strict JSON,
	 * its text is longer than the limit or (jsonb) it has an escaped surrogate.
	 */
	private int string(String json, int at, long maxLength) {
		int length = json.length();
		int i = at + 1;
		while (i < length) {
			char c = json.charAt(i);
			if (c == '"') {
				return (i - at - 1 <= maxLength) ? i + 1 : -1;
			}
			if (c < 0x20) {
				return -1;
			}
			if (c == '\\') {
				if (i + 1 >= length) {
					return -1;
				}
				char escaped = json.charAt(i + 1);
				if (escaped == 'u') {
					if (i + 5 >= length || !isHex(json.charAt(i + 2)) || !isHex(json.charAt(i + 3))
							|| !isHex(json.charAt(i + 4)) || !isHex(json.charAt(i + 5))) {
						return -1;
					}
					if (this.jsonb && (json.charAt(i + 2) == 'd' || json.charAt(i + 2) == 'D')
							&& "89abcdefABCDEF".indexOf(json.charAt(i + 3)) >= 0) {
						return -1;
					}
					i += 6;
				}
				else if ("\"\\/bfnrt".indexOf(escaped) >= 0) {
					i += 2;
				}
				else {
					return -1;
				}
			}
			else {
				i++;
			}
		}
		return -1;
	}

	/**
	 * A number: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}; the index after it, or -1 if
	 * there is none, its text is longer than the limit or (jsonb) it is not an integer.
	 */
	private int number(String json, int at) {
		int length = json.length();
		int i = at;
		if (i < length && json.charAt(i) == '-') {
			i++;
		}
		if (i >= length) {
			return -1;
		}
		if (json.charAt(i) == '0') {
			i++;
		}
		else if (isDigit(json.charAt(i))) {
			i = digits(json, i);
		}
		else {
			return -1;
		}
		boolean integer = true;
		if (i < length && json.charAt(i) == '.') {
			integer = false;
			if (i + 1 >= length || !isDigit(json.charAt(i + 1))) {
				return -1;
			}
			i = digits(json, i + 1);
		}
		if (i < length && (json.charAt(i) == 'e' || json.charAt(i) == 'E')) {
			integer = false;
			i++;
			if (i < length && (json.charAt(i) == '+' || json.charAt(i) == '-')) {
				i++;
			}
			if (i >= length || !isDigit(json.charAt(i))) {
				return -1;
			}
			i = digits(json, i);
		}
		if (i - at > this.maxNumberLength || (this.jsonb && !integer)) {
			return -1;
		}
		return i;
	}

	private static int digits(String json, int at) {
		int i = at;
		while (i < json.length() && isDigit(json.charAt(i))) {
			i++;
		}
		return i;
	}

	private static int skipWhitespace(String json, int at) {
		int i = at;
		while (i < json.length()) {
			char c = json.charAt(i);
			if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
				break;
			}
			i++;
		}
		return i;
	}

	private static boolean isDigit(char c) {
		return c >= '0' && c <= '9';
	}

	private static boolean isHex(char c) {
		return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
	}

}
