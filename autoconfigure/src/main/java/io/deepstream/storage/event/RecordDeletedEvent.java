package io.deepstream.storage.event;

import io.deepstream.storage.core.ChangeKind;

/**
 * A record was deleted ({@code DELETE:<table>:<id>}).
 */
public class RecordDeletedEvent extends RecordChangeEvent {

	/**
	 * Creates an event.
	 * @param source the object that published it
	 * @param schema the schema
	 * @param table the table
	 * @param id the record's id
	 */
	public RecordDeletedEvent(Object source, String schema, String table, String id) {
		super(source, schema, table, id);
	}

	@Override
	public ChangeKind getKind() {
		return ChangeKind.DELETE;
	}

}
