package io.deepstream.storage.core;

/**
 * A record name split as the reference splits it: at the first {@code /} into table and id; a name
 * without {@code /} lives in the default table.
 *
 * @param table the table (validated)
 * @param id the id inside the table (anything but NUL)
 */
public record RecordKey(String table, String id) {

	/**
	 * PostgreSQL rejects a NOTIFY payload of 8000 bytes or more; the longest record payload is
	 * {@code UPDATE:<table>:<id>}.
	 */
	public static final int MAX_PAYLOAD_BYTES = 7999;

	private static final int PAYLOAD_OVERHEAD = "UPDATE::".length();

	/**
	 * Parses and validates a record name.
	 * @param key the record name, such as {@code cars/bmw}
	 * @param defaultTable the table for names without {@code /}
	 * @return the key
	 * @throws IllegalArgumentException if the name, its table or its id breaks a rule
	 */
	public static RecordKey parse(String key, String defaultTable) {
		if (key == null) {
			throw new IllegalArgumentException("Record name must not be null");
		}
		int slash = key.indexOf('/');
		String table = (slash < 0) ? defaultTable : key.substring(0, slash);
		String id = (slash < 0) ? key : key.substring(slash + 1);
		Identifiers.requireValidTable(table, key);
		if (id.isEmpty()) {
			throw new IllegalArgumentException("Invalid record name '" + Identifiers.printable(key) + "': the id must not be empty");
		}
		if (id.indexOf('\0') >= 0) {
			throw new IllegalArgumentException("Invalid record name '" + Identifiers.printable(key) + "': the id must not contain NUL");
		}
		int payload = PAYLOAD_OVERHEAD + Identifiers.utf8Length(table) + Identifiers.utf8Length(id);
		if (payload > MAX_PAYLOAD_BYTES) {
			throw new IllegalArgumentException("Invalid record name '" + Identifiers.printable(key) + "': its notification payload would be "
					+ payload + " bytes, PostgreSQL allows at most " + MAX_PAYLOAD_BYTES + " (shorten the id)");
		}
		return new RecordKey(table, id);
	}

	/**
	 * The full record name, {@code table/id}.
	 * @return the record name
	 */
	public String name() {
		return this.table + '/' + this.id;
	}

}
