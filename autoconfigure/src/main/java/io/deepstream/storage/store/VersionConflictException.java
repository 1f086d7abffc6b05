package io.deepstream.storage.store;

import io.deepstream.storage.core.RecordKey;
import org.springframework.dao.OptimisticLockingFailureException;

/**
 * Completes the future of a conditional write that did not apply because the record's stored version
 * was not the expected one when its batch ran: another writer (a deepstream server, another process,
 * or an earlier write of this one) got there first. Nothing of the write was stored. It carries the
 * record as PostgreSQL had it, read in the same transaction, so that the caller can merge and try
 * again (as {@link PostgresRecordStore#update} does) without another read.
 */
public class VersionConflictException extends OptimisticLockingFailureException {

	private final String table;

	private final String id;

	private final int expectedVersion;

	private final StoredRecord current;

	public VersionConflictException(RecordKey key, int expectedVersion, StoredRecord current) {
		super("Record " + key.table() + "/" + key.id() + " is at version " + current.version() + ", not at the expected "
				+ expectedVersion + "; the conditional write was not applied");
		this.table = key.table();
		this.id = key.id();
		this.expectedVersion = expectedVersion;
		this.current = current;
	}

	/** @return the table of the record */
	public String getTable() {
		return this.table;
	}

	/** @return the id of the record in its table */
	public String getId() {
		return this.id;
	}

	/** @return the version the write expected ({@code -1}: that the record did not exist) */
	public int getExpectedVersion() {
		return this.expectedVersion;
	}

	/** @return the record as it was found: its version ({@code -1} if it does not exist) and value */
	public StoredRecord getCurrent() {
		return this.current;
	}

}
