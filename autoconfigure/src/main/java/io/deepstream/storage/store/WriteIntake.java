package io.deepstream.storage.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.deepstream.storage.core.InvalidRecordException;
import io.deepstream.storage.core.RecordName;

/**
 * Takes the writes of {@link PostgresRecordStore} in, on the caller's thread: checks the record name
 * and the value (an {@link InvalidRecordException} at once, nothing buffered), serialises the value
 * and hands the write to the {@link WriteBuffer}, or a conditional write to whoever checks it
 * ({@link ConditionalWrites}). The caller gets the write's future.
 */
final class WriteIntake {

	/**
	 * The store's lifecycle, asked before a write enters the buffer: it starts a store that was not
	 * started yet, and refuses writes to a closed one with an {@link IllegalStateException}.
	 */
	@FunctionalInterface
	interface Admission {

		void admit();

	}

	private final WriteBuffer buffer;

	private final StoreStatistics statistics;

	private final JsonCodec json;

	private final String defaultTable;

	private final Admission admission;

	WriteIntake(WriteBuffer buffer, StoreStatistics statistics, JsonCodec json, String defaultTable,
			Admission admission) {
		this.buffer = buffer;
		this.statistics = statistics;
		this.json = json;
		this.defaultTable = defaultTable;
		this.admission = admission;
	}

	/** Buffers a write; see {@link PostgresRecordStore#set}. */
	CompletableFuture<Void> set(String name, int version, Object value) {
		RecordName recordName = RecordName.parse(name, this.defaultTable);
		String text = this.json.write(name, value);
		return accept(recordName, PendingWrite.upsert(recordName.id(), version, text));
	}

	/** Hands a conditional write to its checker; see {@link PostgresRecordStore#compareAndSet}. */
	CompletableFuture<Void> compareAndSet(ConditionalWrites checker, String name, int expectedVersion, int version,
			Object value) {
		RecordName recordName = RecordName.parse(name, this.defaultTable);
		if (expectedVersion < -1) {
			throw new InvalidRecordException("Expected version of record '" + name + "' must be -1 (no record) or more, not "
					+ expectedVersion);
		}
		String text = this.json.write(name, value);
		return checker.compareAndSet(name, recordName, expectedVersion, version, text);
	}

	/** Buffers the deletion of a record; see {@link PostgresRecordStore#delete}. */
	CompletableFuture<Void> delete(String name) {
		RecordName recordName = RecordName.parse(name, this.defaultTable);
		return accept(recordName, PendingWrite.delete(recordName.id()));
	}

	/**
	 * Buffers the deletion of records, all or none: every name is checked first, and the buffer takes
	 * them at once; see {@link PostgresRecordStore#deleteBulk}.
	 */
	CompletableFuture<Void> deleteBulk(Collection<String> names) {
		List<RecordName> parsed = names.stream().map((name) -> RecordName.parse(name, this.defaultTable)).toList();
		List<PendingWrite> deletes = new ArrayList<>(parsed.size());
		for (RecordName recordName : parsed) {
			deletes.add(PendingWrite.delete(recordName.id()));
		}
		this.admission.admit();
		try {
			List<CompletableFuture<Void>> futures = this.buffer.addAll(parsed, deletes);
			this.statistics.writesAccepted.add(futures.size());
			return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new BufferFullException("Interrupted while waiting for room in the write buffer; no delete was buffered");
		}
	}

	/**
	 * Puts a checked write into the buffer.
	 * @return the write's future
	 * @throws IllegalStateException if the store is closed
	 * @throws BufferFullException if the buffer has no room
	 */
	CompletableFuture<Void> accept(RecordName recordName, PendingWrite write) {
		this.admission.admit();
		try {
			CompletableFuture<Void> future = this.buffer.add(recordName, write);
			this.statistics.writesAccepted.increment();
			return future;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new BufferFullException("Interrupted while waiting for room in the write buffer");
		}
	}

}
