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
	 * The full record name.
	 * @return {@code table/id}
	 */
	public String getKey() {
		return getTable() + '/' + this.id;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[schema=" + getSchema() + ", key=" + getKey() + "]";
	}

}
