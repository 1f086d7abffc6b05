package io.deepstream.storage.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import io.deepstream.storage.core.Identifiers;
import io.deepstream.storage.core.SqlStates;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one {@link TableBatch} in one transaction: all upserts in one statement (ids, versions and
 * values as three array parameters, expanded by {@code unnest}) and all deletes in another. A missing
 * table is created and the batch retried; transient failures are retried with capped exponential
 * backoff; only then do the writes' futures fail. Futures complete only after commit.
 */
final class BatchWriter {

	private static final Logger logger = LoggerFactory.getLogger(BatchWriter.class);

	/** A table dropped again between our create and our retry, repeatedly, is given up on after this. */
	private static final int MAX_TABLE_CREATIONS = 10;

	private final DataSource dataSource;

	private final RecordStoreOptions options;

	private final TableManager tables;

	private final StoreStatistics statistics;

	private final RecordStoreObserver observer;

	BatchWriter(DataSource dataSource, RecordStoreOptions options, TableManager tables, StoreStatistics statistics,
			RecordStoreObserver observer) {
		this.dataSource = dataSource;
		this.options = options;
		this.tables = tables;
		this.statistics = statistics;
		this.observer = observer;
	}

	/**
	 * Writes the batch, retrying as needed. Does not settle the futures: the caller does, after it has
	 * released the batch from the buffer.
	 * @return null if the batch committed, otherwise the failure to complete its futures with
	 */
	@Nullable RecordWriteException write(TableBatch batch) {
		long start = System.nanoTime();
		int retries = 0;
		int creations = 0;
		while (true) {
			Exception failure;
			try {
				boolean mayBeEmpty = execute(batch);
				this.statistics.batchesCommitted.increment();
				this.statistics.writesCommitted.add(countWaiters(batch));
				this.observer.batchCommitted(batch.table(), batch.size(), System.nanoTime() - start);
				if (mayBeEmpty) {
					dropIfEmpty(batch.table());
				}
				return null;
			}
			catch (SQLException | RuntimeException ex) {
				failure = ex;
			}
			if (SqlStates.hasState(failure, SqlStates.UNDEFINED_TABLE) && creations < MAX_TABLE_CREATIONS) {
				creations++;
				try {
					this.tables.ensureTable(batch.table());
					continue;
				}
				catch (SQLException ex) {
					ex.addSuppressed(failure);
					failure = ex;
				}
			}
			if (SqlStates.isTransient(failure) && retries < this.options.maxRetries()) {
				retries++;
				this.statistics.retries.increment();
				this.observer.batchRetried(batch.table(), retries, failure);
				logger.debug("Retrying batch of {} writes to {} after transient failure (attempt {}): {}",
						batch.size(), batch.table(), retries, failure.getMessage());
				if (pause(retries)) {
					continue;
				}
			}
			return fail(batch, failure);
		}
	}

	private void dropIfEmpty(String table) {
		try {
			this.tables.dropIfEmpty(table);
		}
		catch (SQLException ex) {
			// The deletes are committed; an empty table left behind is dropped after a later delete.
			logger.warn("Could not drop empty table {}.{}: {}", this.options.schema(), table, ex.getMessage());
		}
	}

	/**
	 * Runs the batch's statements in one transaction.
	 * @return whether the batch deleted rows and the table looked empty before commit
	 */
	private boolean execute(TableBatch batch) throws SQLException {
		List<PendingWrite> upserts = new ArrayList<>(batch.size());
		List<String> deletes = new ArrayList<>();
		for (PendingWrite write : batch.writes()) {
			if (write.isDelete()) {
				deletes.add(write.id());
			}
			else {
				upserts.add(write);
			}
		}
		String qualified = Identifiers.qualify(this.options.schema(), batch.table());
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(false);
			try {
				boolean mayBeEmpty = false;
				if (!upserts.isEmpty()) {
					upsert(connection, qualified, upserts);
				}
				if (!deletes.isEmpty()) {
					mayBeEmpty = delete(connection, qualified, deletes, upserts.isEmpty());
				}
				connection.commit();
				return mayBeEmpty;
			}
			catch (SQLException | RuntimeException ex) {
				rollbackQuietly(connection, ex);
				if (upserts.isEmpty() && SqlStates.hasState(ex, SqlStates.UNDEFINED_TABLE)) {
					return false; // deleting from a table that does not exist: nothing to do
				}
				throw ex;
			}
			finally {
				resetQuietly(connection);
			}
		}
	}

	private void upsert(Connection connection, String qualified, List<PendingWrite> upserts) throws SQLException {
		int n = upserts.size();
		String[] ids = new String[n];
		Integer[] versions = new Integer[n];
		String[] values = new String[n];
		for (int i = 0; i < n; i++) {
			PendingWrite write = upserts.get(i);
			ids[i] = write.id();
			versions[i] = write.version();
			values[i] = write.json();
		}
		try (PreparedStatement statement = connection.prepareStatement(upsertSql(qualified))) {
			Array idArray = connection.createArrayOf("text", ids);
			Array versionArray = connection.createArrayOf("int4", versions);
			Array valueArray = connection.createArrayOf("text", values);
			statement.setArray(1, idArray);
			statement.setArray(2, versionArray);
			statement.setArray(3, valueArray);
			statement.executeUpdate();
		}
	}

	String upsertSql(String qualified) {
		String value = this.options.useJsonb() ? "u.val::jsonb" : "u.val";
		String guard = this.options.versionGuard()
				? " WHERE EXCLUDED.version >= t.version OR EXCLUDED.version <= 0 OR t.version IS NULL" : "";
		String version = this.options.versionGuard() ? "GREATEST(t.version, EXCLUDED.version)" : "EXCLUDED.version";
		return "INSERT INTO " + qualified + " AS t (id, version, val) SELECT u.id, u.version, " + value
				+ " FROM unnest(?::text[], ?::int4[], ?::text[]) AS u(id, version, val)"
				+ " ON CONFLICT (id) DO UPDATE SET val = EXCLUDED.val, version = " + version + guard;
	}

	/** @return whether the table may be empty now (checked inside the transaction, so cheaply) */
	private static boolean delete(Connection connection, String qualified, List<String> ids, boolean onlyDeletes)
			throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(
				"DELETE FROM " + qualified + " WHERE id = ANY (?::text[])")) {
			statement.setArray(1, connection.createArrayOf("text", ids.toArray(String[]::new)));
			statement.executeUpdate();
		}
		if (!onlyDeletes) {
			return false;
		}
		try (PreparedStatement query = connection.prepareStatement("SELECT NOT EXISTS (SELECT 1 FROM " + qualified + ")");
				ResultSet rs = query.executeQuery()) {
			rs.next();
			return rs.getBoolean(1);
		}
	}

	private boolean pause(int retry) {
		long initial = this.options.retryInitialBackoff().toMillis();
		long max = this.options.retryMaxBackoff().toMillis();
		long delay = Math.min(max, initial << Math.min(retry - 1, 20));
		try {
			Thread.sleep(delay);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private RecordWriteException fail(TableBatch batch, Throwable cause) {
		this.statistics.batchesFailed.increment();
		this.statistics.writesFailed.add(countWaiters(batch));
		this.observer.batchFailed(batch.table(), batch.size(), cause);
		logger.warn("Failed to write {} records to {}.{}: {}", batch.size(), this.options.schema(), batch.table(),
				cause.getMessage());
		return new RecordWriteException("Write to " + this.options.schema() + "." + batch.table() + " failed: "
				+ cause.getMessage(), cause);
	}

	private static long countWaiters(TableBatch batch) {
		long count = 0;
		for (PendingWrite write : batch.writes()) {
			count += write.waiterCount();
		}
		return count;
	}

	private static void rollbackQuietly(Connection connection, Throwable cause) {
		try {
			connection.rollback();
		}
		catch (SQLException ex) {
			cause.addSuppressed(ex);
		}
	}

	static void resetQuietly(Connection connection) {
		try {
			connection.setAutoCommit(true);
		}
		catch (SQLException ex) {
			// the connection is broken; the pool will discard it
		}
	}

}
