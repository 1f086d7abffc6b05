package io.deepstream.storage.event;

import io.deepstream.storage.core.ChangeKind;

/**
 * A table was created, on the first write of a record to it ({@code CREATE_TABLE:<table>}).
 */
public class TableCreatedEvent extends StorageChangeEvent {

	/**
	 * Creates an event.
	 * @param source the object that published it
	 * @param schema the schema
	 * @param table the new table
	 */
	public TableCreatedEvent(Object source, String schema, String table) {
		super(source, schema, table);
	}

	@Override
	public ChangeKind getKind() {
		return ChangeKind.CREATE_TABLE;
	}

}
