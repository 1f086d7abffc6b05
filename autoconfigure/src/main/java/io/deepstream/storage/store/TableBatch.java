package io.deepstream.storage.store;

import java.util.List;

/**
 * The writes to one table taken out of the buffer for one flush. At most one batch per table is in
 * flight at a time, so batches of a table commit in the order they were taken.
 *
 * @param table the table
 * @param writes at most one write per id
 */
record TableBatch(String table, List<PendingWrite> writes) {

	int size() {
		return this.writes.size();
	}

}
