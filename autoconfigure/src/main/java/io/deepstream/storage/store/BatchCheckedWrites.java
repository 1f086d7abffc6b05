package io.deepstream.storage.store;

import java.util.concurrent.CompletableFuture;

import io.deepstream.storage.core.RecordName;

/**
 * Conditional writes checked by PostgreSQL in the statement of the write's batch: the store's
 * {@link ConditionalWrites} unless another checker is set.
 */
final class BatchCheckedWrites implements ConditionalWrites {

	private final RecordReader reader;

	private final WriteIntake intake;

	BatchCheckedWrites(RecordReader reader, WriteIntake intake) {
		this.reader = reader;
		this.intake = intake;
	}

	@Override
	public CompletableFuture<StoredRecord> read(String name, RecordName recordName) {
		// Read on the caller's thread, which gets a failure to read as an exception, as before.
		return CompletableFuture.completedFuture(this.reader.get(name));
	}

	@Override
	public int nextVersion(StoredRecord current) {
		return current.version() + 1;
	}

	@Override
	public CompletableFuture<Void> compareAndSet(String name, RecordName recordName, int expectedVersion, int version,
			String json) {
		return this.intake.accept(recordName, PendingWrite.conditional(recordName.id(), expectedVersion, version, json));
	}

	@Override
	public StoredRecord afterConflict(RecordName recordName, VersionConflictException conflict) {
		// A write of the record still buffered is what the next attempt must build on.
		StoredRecord buffered = this.reader.buffered(recordName);
		return (buffered != null) ? buffered : conflict.getCurrent();
	}

}
