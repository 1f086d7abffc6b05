package io.deepstream.storage.event;

import io.deepstream.storage.core.ChangeKind;

/**
 * A record was updated ({@code UPDATE:<table>:<id>}).
 */
public class RecordUpdatedEvent extends RecordChangeEvent {

	/**
	 * Creates an event.
	 * @param source the object that published it
	 * @param schema the schema
	 * @param table the table
	 * @param id the record's id
	 */
	public RecordUpdatedEvent(Object source, String schema, String table, String id) {
		super(source, schema, table, id);
	}

	@Override
	public ChangeKind getKind() {
		return ChangeKind.UPDATE;
	}

}
