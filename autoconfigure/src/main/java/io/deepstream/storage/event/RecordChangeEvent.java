package io.deepstream.storage.event;

/**
 * A record was inserted, updated or deleted. Carries the id and the full record name
 * ({@code table/id}), as deepstream knows the record.
 */
public abstract class RecordChangeEvent extends StorageChangeEvent {

	private final String id;

	/**
	 * Creates an event.
	 * @param source the object that published it
	 * @param schema the schema
	 * @param table the table
	 * @param id the record's id in the table (may contain {@code :} and {@code /})
	 */
	protected RecordChangeEvent(Object source, String schema, String table, String id) {
		super(source, schema, table);
		this.id = id;
	}

	/**
	 * The record's id in its table.
	 * @return the id
	 */
	public String getId() {
		return this.id;
	}

	/**
	 * The full record name, what deepstream calls {@code recordName}.
	 * @return {@code table/id}
	 */
	public String getRecordName() {
		return getTable() + '/' + this.id;
	}

	/**
	 * The full record name.
	 * @return {@code table/id}
	 * @deprecated since 0.1.0 for removal: deepstream's word is the record name; use {@link #getRecordName()}
	 */
	@Deprecated(since = "0.1.0", forRemoval = true)
	public String getKey() {
		return getRecordName();
	}

	@Override
	public String toString() {
		// "key=" as before: logs and tests that read it keep working.
		return getClass().getSimpleName() + "[schema=" + getSchema() + ", key=" + getRecordName() + "]";
	}

}
