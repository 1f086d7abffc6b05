package io.deepstream.storage.store;

import io.deepstream.storage.core.RecordName;
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

	/**
	 * Creates the exception.
	 * @param recordName the record
	 * @param expectedVersion the version the write expected
	 * @param current the record as it was found
	 */
	public VersionConflictException(RecordName recordName, int expectedVersion, StoredRecord current) {
		super("Record " + recordName.table() + "/" + recordName.id() + " is at version " + current.version()
				+ ", not at the expected " + expectedVersion + "; the conditional write was not applied");
		this.table = recordName.table();
		this.id = recordName.id();
		this.expectedVersion = expectedVersion;
		this.current = current;
	}

	/**
	 * Creates the exception.
	 * @param key the record
	 * @param expectedVersion the version the write expected
	 * @param current the record as it was found
	 * @deprecated since 0.1.0 for removal: use {@link #VersionConflictException(RecordName, int, StoredRecord)}
	 */
	@Deprecated(since = "0.1.0", forRemoval = true)
	@SuppressWarnings("removal")
	public VersionConflictException(io.deepstream.storage.core.RecordKey key, int expectedVersion, StoredRecord current) {
		this(new RecordName(key.table(), key.id()), expectedVersion, current);
	}

	/** @return the table of the record */
	public String getTable() {
		return this.table;
	}

	/** @return the id of the record in its table */
	public String getId() {
		return this.id;
	}

	/** @return the record name, {@code table/id} */
	public String getRecordName() {
		return this.table + '/' + this.id;
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
