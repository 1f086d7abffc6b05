package io.deepstream.storage.core;

/**
 * A record name split into table and id.
 *
 * @param table the table (validated)
 * @param id the id inside the table
 * @deprecated since 0.1.0 for removal: deepstream's word is the record name; use {@link RecordName}
 */
@Deprecated(since = "0.1.0", forRemoval = true)
public record RecordKey(String table, String id) {

	/** @deprecated since 0.1.0 for removal: use {@link RecordName#MAX_PAYLOAD_BYTES} */
	@Deprecated(since = "0.1.0", forRemoval = true)
	public static final int MAX_PAYLOAD_BYTES = RecordName.MAX_PAYLOAD_BYTES;

	/** @deprecated since 0.1.0 for removal: use {@link RecordName#MAX_ID_BYTES} */
	@Deprecated(since = "0.1.0", forRemoval = true)
	public static final int MAX_ID_BYTES = RecordName.MAX_ID_BYTES;

	/**
	 * Parses and validates a record name.
	 * @param key the record name, such as {@code cars/bmw}
	 * @param defaultTable the table for names without {@code /}
	 * @return the table and id
	 * @throws InvalidRecordException if the name, its table or its id breaks a rule
	 * @deprecated since 0.1.0 for removal: use {@link RecordName#parse}
	 */
	@Deprecated(since = "0.1.0", forRemoval = true)
	public static RecordKey parse(String key, String defaultTable) {
		RecordName name = RecordName.parse(key, defaultTable);
		return new RecordKey(name.table(), name.id());
	}

	/**
	 * The full record name, {@code table/id}.
	 * @return the record name
	 * @deprecated since 0.1.0 for removal: use {@link RecordName#name()}
	 */
	@Deprecated(since = "0.1.0", forRemoval = true)
	public String name() {
		return this.table + '/' + this.id;
	}

}
