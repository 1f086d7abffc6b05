package io.deepstream.storage.core;

/**
 * The five kinds of change the reference connector announces, named as in its payloads and its
 * {@code notifications} option.
 */
public enum ChangeKind {

	/** A table was created: payload {@code CREATE_TABLE:<table>}. */
	CREATE_TABLE,

	/** A table was dropped after its last row was deleted: payload {@code DESTROY_TABLE:<table>}. */
	DESTROY_TABLE,

	/** A record was inserted: payload {@code INSERT:<table>:<id>}. */
	INSERT,

	/** A record was updated: payload {@code UPDATE:<table>:<id>}. */
	UPDATE,

	/** A record was deleted: payload {@code DELETE:<table>:<id>}. */
	DELETE;

	/**
	 * Whether notifications of this kind name a record (and so carry an id).
	 * @return true for INSERT, UPDATE and DELETE
	 */
	public boolean isRecordChange() {
		return this == INSERT || this == UPDATE || this == DELETE;
	}

}
