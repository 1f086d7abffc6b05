package io.deepstream.storage.store;

import java.util.List;

/**
 * Told about every flush, for metrics and logs. Called on flusher threads: implementations must be
 * quick and thread-safe. Every method does nothing by default.
 */
public interface RecordStoreObserver {

	/** An observer that ignores everything. */
	RecordStoreObserver NONE = new RecordStoreObserver() {
	};

	/**
	 * A batch was committed.
	 * @param table the table
	 * @param writes how many writes it held
	 * @param nanos how long writing it took, retries included
	 */
	default void batchCommitted(String table, int writes, long nanos) {
	}

	/**
	 * The records of a batch were committed: every write of the batch but conditional writes that did
	 * not apply. Called after {@link #batchCommitted} and before the writes' futures complete, so what
	 * an observer does here (such as queueing the names to announce them to a deepstream server) has
	 * happened when a caller sees its write complete.
	 * @param table the table
	 * @param ids the ids of the records written or deleted, each once: a list of this call's own, never
	 * changed afterwards, which the observer may keep (for instance to build names from it on another
	 * thread) instead of copying it
	 */
	default void recordsCommitted(String table, List<String> ids) {
	}

	/**
	 * A batch failed for good; its writes' futures fail.
	 * @param table the table
	 * @param writes how many writes it held
	 * @param cause the last error
	 */
	default void batchFailed(String table, int writes, Throwable cause) {
	}

	/**
	 * A batch is retried after a transient failure.
	 * @param table the table
	 * @param attempt the number of the retry, from 1
	 * @param cause the failure
	 */
	default void batchRetried(String table, int attempt, Throwable cause) {
	}

}
