package io.deepstream.storage.store;

import java.util.concurrent.CompletableFuture;

import io.deepstream.storage.core.RecordName;

/**
 * Who checks a conditional write ({@link PostgresRecordStore#compareAndSet compareAndSet} and
 * {@link PostgresRecordStore#update update}): whether the record still has the version the writer
 * read, and, only then, writes it.
 * <p>
 * By default PostgreSQL checks, in the statement of the write's batch, so that no other writer of the
 * schema can come in between. When deepstream clients write the same records through a running
 * deepstream server, the server is the one that must check: it checks its clients' writes against its
 * cache, not against PostgreSQL, so only a write checked by the same server is exact against theirs
 * ({@code io.deepstream.storage.announce.ServerCheckedWrites}).
 */
public interface ConditionalWrites {

	/**
	 * Reads the record as the checker sees it: what a conditional write is checked against.
	 * @param name the record name as the caller gave it
	 * @param recordName the record name parsed
	 * @return a future of the record ({@link StoredRecord#MISSING} if there is none)
	 */
	CompletableFuture<StoredRecord> read(String name, RecordName recordName);

	/**
	 * The version a write on top of {@code current} must have.
	 * @param current the record as read
	 * @return the next version
	 */
	int nextVersion(StoredRecord current);

	/**
	 * Writes the value if the record's version is {@code expectedVersion} when the checker checks.
	 * @param name the record name as the caller gave it
	 * @param recordName the record name parsed
	 * @param expectedVersion the version the record must have ({@code -1}: it must not exist)
	 * @param version the version to write
	 * @param json the value as JSON text
	 * @return a future that completes once the write is committed, or fails with
	 * {@link VersionConflictException} when the version was another
	 * @throws io.deepstream.storage.core.InvalidRecordException when the versions break the checker's
	 * rule (nothing is written)
	 */
	CompletableFuture<Void> compareAndSet(String name, RecordName recordName, int expectedVersion, int version, String json);

	/**
	 * The record to try again on after a conflict: by default the one the conflict carried.
	 * @param recordName the record name parsed
	 * @param conflict the conflict
	 * @return the record as it is now
	 */
	default StoredRecord afterConflict(RecordName recordName, VersionConflictException conflict) {
		return conflict.getCurrent();
	}

}
