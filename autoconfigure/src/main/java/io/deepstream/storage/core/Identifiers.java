package io.deepstream.storage.core;


import org.jspecify.annotations.Nullable;

/**
 * The one place where SQL identifiers (schema, table, role and trigger names) are validated and
 * quoted. Table names come from record names at run time, so nothing else in this project pastes an
 * identifier into SQL: values always travel as bind parameters, names always go through here.
 */
public final class Identifiers {

	/** The reference connector's default schema: the store's and the listener's default. */
	public static final String DEFAULT_SCHEMA = "ds";

	/** PostgreSQL truncates longer identifiers silently (NAMEDATALEN - 1). */
	public static final int MAX_BYTES = 63;

	private Identifiers() {
	}

	/**
	 * Checks a table name: not empty, valid Unicode, at most 63 bytes of UTF-8, no {@code :} (it would
	 * make the notification payload {@code INSERT:<table>:<id>} ambiguous) and no NUL.
	 * @param table the table name
	 * @param recordName the record name it came from, named in the error
	 * @return the table name
	 * @throws InvalidRecordException naming the record name and the rule that was broken
	 */
	public static String requireValidTable(String table, String recordName) {
		String problem = problem(table);
		if (problem == null && table.indexOf(':') >= 0) {
			problem = "must not contain ':'";
		}
		if (problem != null) {
			throw new InvalidRecordException(
					"Invalid table name '" + printable(table) + "' in record name '" + printable(recordName) + "': " + problem);
		}
		return table;
	}

	/**
	 * Checks a schema name: the table rules, and not starting with {@code pg_} (reserved by PostgreSQL).
	 * @param schema the schema name
	 * @return the schema name
	 * @throws IllegalArgumentException naming the schema and the rule that was broken
	 */
	public static String requireValidSchema(String schema) {
		String problem = problem(schema);
		if (problem == null && schema.indexOf(':') >= 0) {
			problem = "must not contain ':'";
		}
		if (problem == null && schema.startsWith("pg_")) {
			problem = "must not start with 'pg_' (reserved by PostgreSQL)";
		}
		if (problem != null) {
			throw new IllegalArgumentException("Invalid schema name '" + printable(schema) + "': " + problem);
		}
		return schema;
	}

	/**
	 * Checks a role name: not empty, valid Unicode, at most 63 bytes of UTF-8, no NUL.
	 * @param role the role name
	 * @return the role name
	 */
	public static String requireValidRole(String role) {
		String problem = problem(role);
		if (problem != null) {
			throw new IllegalArgumentException("Invalid role name '" + printable(role) + "': " + problem);
		}
		return role;
	}

	/**
	 * Quotes a validated identifier: wraps it in double quotes and doubles any double quote inside.
	 * @param identifier a name that passed one of the {@code requireValid...} checks
	 * @return the quoted identifier
	 */
	public static String quote(String identifier) {
		if (problem(identifier) != null) {
			throw new IllegalArgumentException("Refusing to quote invalid identifier '" + printable(identifier) + "'");
		}
		return '"' + identifier.replace("\"", "\"\"") + '"';
	}

	/**
	 * Quotes a schema-qualified name.
	 * @param schema the schema
	 * @param name the object inside it
	 * @return {@code "schema"."name"}
	 */
	public static String qualify(String schema, String name) {
		return quote(schema) + '.' + quote(name);
	}

	/**
	 * Cuts a derived name (such as the reference's trigger name {@code broadcast_update_<schema>_<table>})
	 * to 63 bytes at a character boundary, exactly as PostgreSQL would, so that the name we create is
	 * the name PostgreSQL stores.
	 * @param name the derived name
	 * @return the name, at most 63 bytes long
	 */
	public static String truncate(String name) {
		if (utf8Length(name) <= MAX_BYTES) {
			return name;
		}
		StringBuilder out = new StringBuilder();
		int bytes = 0;
		for (int i = 0; i < name.length();) {
			int cp = name.codePointAt(i);
			int len = utf8Length(new String(Character.toChars(cp)));
			if (bytes + len > MAX_BYTES) {
				break;
			}
			out.appendCodePoint(cp);
			bytes += len;
			i += Character.charCount(cp);
		}
		return out.toString();
	}

	/**
	 * Counts the UTF-8 bytes of a string.
	 * @param value the string
	 * @return its length in UTF-8
	 */
	public static int utf8Length(String value) {
		// counted as String.getBytes(UTF_8) encodes, without the copy: an unpaired surrogate becomes '?'
		int bytes = 0;
		int length = value.length();
		for (int i = 0; i < length; i++) {
			char c = value.charAt(i);
			if (c < 0x80) {
				bytes++;
			}
			else if (c < 0x800) {
				bytes += 2;
			}
			else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
				bytes += 4;
				i++;
			}
			else if (Character.isSurrogate(c)) {
				bytes++;
			}
			else {
				bytes += 3;
			}
		}
		return bytes;
	}

	/** The rule the identifier breaks, or null if it is valid. */
	private static @Nullable String problem(String identifier) {
		if (identifier.isEmpty()) {
			return "must not be empty";
		}
		if (identifier.indexOf('\0') >= 0) {
			return "must not contain NUL";
		}
		int surrogate = unpairedSurrogate(identifier);
		if (surrogate >= 0) {
			return unpairedSurrogateProblem(identifier, surrogate);
		}
		int bytes = utf8Length(identifier);
		if (bytes > MAX_BYTES) {
			return "is " + bytes + " bytes of UTF-8, at most " + MAX_BYTES + " are allowed (PostgreSQL would truncate it)";
		}
		return null;
	}

	/**
	 * Finds a UTF-16 surrogate without its partner. Such a string is not valid Unicode: it has no UTF-8
	 * form, and the driver would send a {@code ?} in its place, so that two different names would
	 * land on the same row.
	 * @param value the string
	 * @return the index of the first unpaired surrogate, or -1
	 */
	public static int unpairedSurrogate(String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				return i;
			}
		}
		return -1;
	}

	/**
	 * Describes an unpaired surrogate for an error message.
	 * @param value the string
	 * @param index where {@link #unpairedSurrogate} found it
	 * @return the problem, as "must not ..."
	 */
	public static String unpairedSurrogateProblem(String value, int index) {
		return "must be valid Unicode, but has an unpaired surrogate U+%04X at index %d".formatted((int) value.charAt(index),
				index);
	}

	static String printable(String value) {
		String shown = value.replace("\0", "\\0");
		return (shown.length() > 100) ? shown.substring(0, 100) + "..." : shown;
	}

}
