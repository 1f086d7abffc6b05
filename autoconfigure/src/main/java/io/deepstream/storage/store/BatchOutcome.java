package io.deepstream.storage.store;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;

/**
 * How a batch ended: committed, except for the conditional writes that found another version than
 * they expected, or failed as a whole.
 *
 * @param failure the failure of the whole batch, or null if it committed
 * @param conflicts the conditional writes that did not apply, each with the record as it was found
 * (empty when the batch failed)
 */
record BatchOutcome(@Nullable DataAccessException failure, Map<PendingWrite, StoredRecord> conflicts) {

	/**
	 * Settles every write of the batch: a conflicted conditional write fails with a
	 * {@link VersionConflictException}, the others complete, or all fail with the batch's failure.
	 * @param batch the batch this is the outcome of
	 */
	void settle(TableBatch batch) {
		DataAccessException batchFailure = this.failure;
		for (PendingWrite write : batch.writes()) {
			if (batchFailure != null) {
				write.fail(batchFailure);
				continue;
			}
			StoredRecord current = this.conflicts.get(write);
			if (current == null) {
				write.complete();
			}
			else {
				write.fail(new VersionConflictException(write.recordName(batch.table()), write.expected(), current));
			}
		}
	}

}
