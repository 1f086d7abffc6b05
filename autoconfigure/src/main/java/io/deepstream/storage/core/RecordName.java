package io.deepstream.storage.core;

/**
 * A record name, what deepstream calls {@code recordName}: {@code table/id}, split as the reference
 * splits it, at the first {@code /} into table and id; a name without {@code /} lives in the default
 * table.
 *
 * @param table the table (validated)
 * @param id the id inside the table (any valid Unicode but NUL, at most {@link #MAX_ID_BYTES} bytes of UTF-8)
 */
public record RecordName(String table, String id) {

	/**
	 * PostgreSQL rejects a NOTIFY payload of 8000 bytes or more; the longest record payload is
	 * {@code UPDATE:<table>:<id>}.
	 */
	public static final int MAX_PAYLOAD_BYTES = 7999;

	/**
	 * The longest id, in bytes of UTF-8, that the primary key can always hold: a B-tree entry may take
	 * at most 2704 bytes (a third of a page), of which an entry header and a text header take 12.
	 * PostgreSQL compresses longer values and accepts those that then fit, so whether a longer id can
	 * be written would depend on its content; it is rejected instead, before it fails a whole batch.
	 * With a table name of at most 63 bytes, this also keeps every notification payload far below
	 * {@link #MAX_PAYLOAD_BYTES}.
	 */
	public static final int MAX_ID_BYTES = 2692;

	/**
	 * Parses and validates a record name.
	 * @param name the record name, such as {@code cars/bmw}
	 * @param defaultTable the table for names without {@code /}
	 * @return the record name's table and id
	 * @throws InvalidRecordException if the name, its table or its id breaks a rule
	 */
	public static RecordName parse(String name, String defaultTable) {
		if (name == null) {
			throw new InvalidRecordException("Record name must not be null");
		}
		int slash = name.indexOf('/');
		String table = (slash < 0) ? defaultTable : name.substring(0, slash);
		String id = (slash < 0) ? name : name.substring(slash + 1);
		Identifiers.requireValidTable(table, name);
		if (id.isEmpty()) {
			throw new InvalidRecordException("Invalid record name '" + Identifiers.printable(name) + "': the id must not be empty");
		}
		if (id.indexOf('\0') >= 0) {
			throw new InvalidRecordException("Invalid record name '" + Identifiers.printable(name) + "': the id must not contain NUL");
		}
		int surrogate = Identifiers.unpairedSurrogate(id);
		if (surrogate >= 0) {
			throw new InvalidRecordException("Invalid record name '" + Identifiers.printable(name) + "': the id "
					+ Identifiers.unpairedSurrogateProblem(id, surrogate));
		}
		// a char takes at most 3 bytes of UTF-8 (a surrogate pair 4 for its 2): most ids need no count
		int idBytes = (id.length() <= MAX_ID_BYTES / 3) ? 0 : Identifiers.utf8Length(id);
		if (idBytes > MAX_ID_BYTES) {
			throw new InvalidRecordException("Invalid record name '" + Identifiers.printable(name) + "': the id is "
					+ idBytes + " bytes of UTF-8, PostgreSQL's primary key holds at most " + MAX_ID_BYTES + " (shorten the id)");
		}
		return new RecordName(table, id);
	}

	/**
	 * The full record name, {@code table/id}.
	 * @return the record name
	 */
	public String name() {
		return this.table + '/' + this.id;
	}

}
