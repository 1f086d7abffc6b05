package io.deepstream.storage.event;

import io.deepstream.storage.core.ChangeKind;

/**
 * A table was dropped, after its last record was deleted ({@code DESTROY_TABLE:<table>}).
 */
public class TableDestroyedEvent extends StorageChangeEvent {

	/**
	 * Creates an event.
	 * @param source the object that published it
	 * @param schema the schema
	 * @param table the dropped table
	 */
	public TableDestroyedEvent(Object source, String schema, String table) {
		super(source, schema, table);
	}

	@Override
	public ChangeKind getKind() {
		return ChangeKind.DESTROY_TABLE;
	}

}
