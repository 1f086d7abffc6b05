package io.deepstream.storage.store;

import java.util.concurrent.atomic.LongAdder;

/**
 * Running totals of one record store, read by metrics and health checks.
 */
public final class StoreStatistics {

	final LongAdder writesAccepted = new LongAdder();

	final LongAdder writesCommitted = new LongAdder();

	final LongAdder writesFailed = new LongAdder();

	final LongAdder writesConflicted = new LongAdder();

	final LongAdder batchesCommitted = new LongAdder();

	final LongAdder batchesFailed = new LongAdder();

	final LongAdder retries = new LongAdder();

	final LongAdder commitsInDoubt = new LongAdder();

	final LongAdder tablesCreated = new LongAdder();

	final LongAdder tablesDropped = new LongAdder();

	private final WriteBuffer buffer;

	StoreStatistics(WriteBuffer buffer) {
		this.buffer = buffer;
	}

	/** @return writes (sets and deletes) accepted into the buffer */
	public long writesAccepted() {
		return this.writesAccepted.sum();
	}

	/** @return writes whose batch committed (superseded writes count once, with their successor) */
	public long writesCommitted() {
		return this.writesCommitted.sum();
	}

	/** @return writes whose future failed */
	public long writesFailed() {
		return this.writesFailed.sum();
	}

	/** @return conditional writes that did not apply because the record had another version */
	public long writesConflicted() {
		return this.writesConflicted.sum();
	}

	/** @return batches committed */
	public long batchesCommitted() {
		return this.batchesCommitted.sum();
	}

	/** @return batches that failed for good */
	public long batchesFailed() {
		return this.batchesFailed.sum();
	}

	/** @return retries after transient failures */
	public long retries() {
		return this.retries.sum();
	}

	/**
	 * @return write transactions whose {@code COMMIT} failed (the connection lost, the server gone)
	 * after their statements had run, so that PostgreSQL was asked whether they committed
	 */
	public long commitsInDoubt() {
		return this.commitsInDoubt.sum();
	}

	/** @return tables this store created */
	public long tablesCreated() {
		return this.tablesCreated.sum();
	}

	/** @return tables this store dropped after their last row was deleted */
	public long tablesDropped() {
		return this.tablesDropped.sum();
	}

	/** @return writes accepted and not yet committed or failed */
	public int buffered() {
		return this.buffer.uncommitted();
	}

}
