package io.deepstream.storage.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import io.deepstream.storage.core.SqlStates;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

/**
 * Writes one {@link TableBatch} in one transaction: all upserts in one statement (ids, versions and
 * values as three array parameters, expanded by {@code unnest}), all conditional upserts in another
 * (PostgreSQL checks each one's expected version as it writes, and reports which applied), and all
 * deletes in a third. A missing
 * table is created and the batch retried; transient failures are retried with capped exponential
 * backoff; only then do the writes' futures fail. Futures complete only after commit. A failed
 * {@code COMMIT} is not simply retried, as it may have committed: the {@link Committer} asks PostgreSQL.
 */
final class BatchWriter implements BatchFlusher.Writer {

	private static final Logger logger = LoggerFactory.getLogger(BatchWriter.class);

	/** A table dropped again between our create and our retry, repeatedly, is given up on after this. */
	private static final int MAX_TABLE_CREATIONS = 10;

	private final DataSource dataSource;

	private final RecordStoreOptions options;

	private final TableManager tables;

	private final StoreStatistics statistics;

	private final RecordStoreObserver observer;

	private final JsonCodec json;

	private final RecordStatements.Cache statements;

	private final Committer committer;

	/**
	 * Tables this store has committed writes to and not dropped: a batch of {@link #writeTogether}
	 * creates any other table first, if it does not exist, instead of failing the whole transaction.
	 */
	private final Set<String> writtenTables = ConcurrentHashMap.newKeySet();

	BatchWriter(DataSource dataSource, RecordStoreOptions options, RecordStatements.Cache statements, TableManager tables,
			StoreStatistics statistics, RecordStoreObserver observer, JsonCodec json) {
		this.dataSource = dataSource;
		this.statements = statements;
		this.options = options;
		this.tables = tables;
		this.statistics = statistics;
		this.observer = observer;
		this.json = json;
		this.committer = new Committer(dataSource, statistics);
	}

	/**
	 * Whether a batch of the table may have to create it: this store has not committed writes to it,
	 * or has dropped it since.
	 * @param table a table name
	 * @return true unless the table is known to exist
	 */
	@Override
	public boolean mayCreate(String table) {
		return !this.writtenTables.contains(table);
	}

	/**
	 * Writes the batch, retrying as needed. Does not settle the futures: the caller does, after it has
	 * released the batch from the buffer.
	 * @return the outcome: committed (with the conditional writes that did not apply), or failed
	 */
	@Override
	public BatchOutcome write(TableBatch batch) {
		long start = System.nanoTime();
		Retries retries = new Retries(this.options);
		int creations = 0;
		// a table this store has not written to yet is looked up (and created) in the batch's transaction
		boolean create = mayCreate(batch.table());
		while (true) {
			Executed executed;
			try {
				executed = execute(batch, create, retries);
			}
			catch (CommitOutcomeUnknownException ex) {
				// it may have committed: written again, it could apply twice
				return new BatchOutcome(fail(batch, ex), Map.of());
			}
			catch (SQLException | RuntimeException failure) {
				if (SqlStates.hasState(failure, SqlStates.UNDEFINED_TABLE) && creations < MAX_TABLE_CREATIONS) {
					// the next attempt creates the table in the batch's own transaction
					creations++;
					create = true;
					continue;
				}
				if (create && failure instanceof SQLException sqlFailure && TableManager.isConcurrentCreation(sqlFailure)
						&& creations < MAX_TABLE_CREATIONS) {
					// A process without our lock (the reference) created it at the same moment: it exists now.
					creations++;
					create = false;
					continue;
				}
				if (SqlStates.isTransient(failure) && retries.left()) {
					int retry = retries.count();
					this.statistics.retries.increment();
					this.observer.batchRetried(batch.table(), retry, failure);
					logger.debug("Retrying batch of {} writes to {} after transient failure (attempt {}): {}",
							batch.size(), batch.table(), retry, failure.getMessage());
					if (retries.pause()) {
						continue;
					}
				}
				return new BatchOutcome(fail(batch, failure), Map.of());
			}
			// outside the try: whatever its bookkeeping throws, a committed batch is never written again
			return committed(batch, executed, start);
		}
	}

	/**
	 * Writes several tables' batches in one transaction, in table order (as every process does, so
	 * that two processes' groups wait for each other's table locks instead of deadlocking): with many
	 * tables, or a steady trickle of writes, one commit then serves several small batches. A table not
	 * written before by this store is created in the same transaction if it does not exist. Does not
	 * retry: when the transaction fails, nothing of it was written, and the caller writes each batch on
	 * its own with {@link #write}, so that one table's failure fails only that table's writes. When its
	 * {@code COMMIT} fails and PostgreSQL cannot tell whether it committed, every batch fails with
	 * {@link CommitOutcomeUnknownException} instead: written again, they could apply twice.
	 * @param batches batches of different tables, in table order
	 * @return the outcomes, in the order of the batches (all failed if the commit's outcome is unknown),
	 * or null if the transaction failed and did not commit
	 */
	@Override
	public @Nullable List<BatchOutcome> writeTogether(List<TableBatch> batches) {
		long start = System.nanoTime();
		List<Executed> executed = new ArrayList<>(batches.size());
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(false);
			try {
				@Nullable Long transactionId;
				try {
					for (TableBatch batch : batches) {
						executed.add(statements(connection, batch, mayCreate(batch.table())));
					}
					transactionId = Committer.transactionId(connection);
				}
				catch (SQLException | RuntimeException ex) {
					Transactions.rollbackQuietly(connection, ex);
					throw ex;
				}
				this.committer.commit(connection, transactionId, new Retries(this.options));
			}
			catch (CommitOutcomeUnknownException ex) {
				List<BatchOutcome> unknown = new ArrayList<>(batches.size());
				for (TableBatch batch : batches) {
					unknown.add(new BatchOutcome(fail(batch, ex), Map.of()));
				}
				return unknown;
			}
			catch (SQLException | RuntimeException ex) {
				logger.debug("Writing {} tables' batches together failed, writing them one by one: {}", batches.size(),
						ex.getMessage());
				return null;
			}
			finally {
				Transactions.resetQuietly(connection);
			}
		}
		catch (SQLException ex) {
			logger.debug("No connection to write {} tables' batches together, writing them one by one: {}",
					batches.size(), ex.getMessage());
			return null;
		}
		List<BatchOutcome> outcomes = new ArrayList<>(batches.size());
		for (int i = 0; i < batches.size(); i++) {
			outcomes.add(committed(batches.get(i), executed.get(i), start));
		}
		return outcomes;
	}

	/** Counts and reports a committed batch, and drops its table if the batch may have emptied it. */
	private BatchOutcome committed(TableBatch batch, Executed executed, long start) {
		Map<PendingWrite, StoredRecord> conflicts = executed.conflicts();
		if (executed.created()) {
			this.tables.created(batch.table());
		}
		this.writtenTables.add(batch.table());
		this.statistics.batchesCommitted.increment();
		this.statistics.writesCommitted.add(countWaiters(batch.writes()) - countWaiters(conflicts.keySet()));
		this.statistics.writesConflicted.add(conflicts.size());
		this.observer.batchCommitted(batch.table(), batch.size(), System.nanoTime() - start);
		// unmodifiable: observers may keep it (the announcer builds names from it on its own thread)
		this.observer.recordsCommitted(batch.table(), Collections.unmodifiableList(committedIds(batch, conflicts)));
		if (executed.mayBeEmpty()) {
			dropIfEmpty(batch.table());
		}
		return new BatchOutcome(null, conflicts);
	}

	private static List<String> committedIds(TableBatch batch, Map<PendingWrite, StoredRecord> conflicts) {
		List<String> ids = new ArrayList<>(batch.size() - conflicts.size());
		for (PendingWrite write : batch.writes()) {
			if (!conflicts.containsKey(write)) {
				ids.add(write.id());
			}
		}
		return ids;
	}

	private void dropIfEmpty(String table) {
		// a dropped table is created again by the next batch that finds it missing
		this.writtenTables.remove(table);
		try {
			this.tables.dropIfEmpty(table);
		}
		catch (SQLException ex) {
			// The deletes are committed; an empty table left behind is dropped after a later delete.
			logger.warn("Could not drop empty table {}.{}: {}", this.options.schema(), table, ex.getMessage());
		}
	}

	/**
	 * What a batch's statements did.
	 * @param created whether they created the table
	 * @param mayBeEmpty whether they deleted rows and the table looked empty before commit
	 * @param conflicts the conditional writes that did not apply, with the record as it is
	 */
	private record Executed(boolean created, boolean mayBeEmpty, Map<PendingWrite, StoredRecord> conflicts) {
	}

	/**
	 * Runs the batch's statements in one transaction, and commits it.
	 * @param create whether to create the table first, in the same transaction, if it does not exist
	 * @param retries the batch's retries, on which asking about a failed {@code COMMIT} draws
	 * @throws CommitOutcomeUnknownException if {@code COMMIT} failed and whether it committed is unknown
	 */
	private Executed execute(TableBatch batch, boolean create, Retries retries) throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(false);
			try {
				Executed executed;
				@Nullable Long transactionId;
				try {
					executed = statements(connection, batch, create);
					transactionId = Committer.transactionId(connection);
				}
				catch (SQLException | RuntimeException ex) {
					Transactions.rollbackQuietly(connection, ex);
					if (!creates(batch) && SqlStates.hasState(ex, SqlStates.UNDEFINED_TABLE)) {
						// No write here creates a row: in a table that does not exist, deletes have nothing
						// to do and conditional updates find no record.
						return new Executed(false, false, allMissing(batch));
					}
					throw ex;
				}
				// Committed (if need be, as PostgreSQL says after a failed COMMIT): what the statements
				// found, conditional writes that did not apply included, is what was committed.
				this.committer.commit(connection, transactionId, retries);
				return executed;
			}
			finally {
				Transactions.resetQuietly(connection);
			}
		}
	}

	/** Whether a write of the batch may create a row (an upsert, or a conditional write expecting no record). */
	private static boolean creates(TableBatch batch) {
		for (PendingWrite write : batch.writes()) {
			if (!write.isDelete() && (!write.isConditional() || write.expected() == -1)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Runs the batch's statements in the connection's transaction.
	 * @param create whether to create the table first if it does not exist
	 */
	private Executed statements(Connection connection, TableBatch batch, boolean create) throws SQLException {
		Map<PendingWrite.Guard, List<PendingWrite>> upserts = new EnumMap<>(PendingWrite.Guard.class);
		List<PendingWrite> conditionals = new ArrayList<>();
		List<String> deletes = new ArrayList<>();
		// Rows are locked in the order they are written: as every process writes them in id order, two
		// batches of the same records (from two processes) wait for each other instead of deadlocking.
		List<PendingWrite> writes = new ArrayList<>(batch.writes());
		writes.sort(Comparator.comparing(PendingWrite::id));
		for (PendingWrite write : writes) {
			if (write.isDelete()) {
				deletes.add(write.id());
			}
			else if (write.isConditional()) {
				conditionals.add(write);
			}
			else {
				// Without the guard every upsert replaces the row, as the reference's statement does.
				PendingWrite.Guard guard = this.options.versionGuard() ? write.guard() : PendingWrite.Guard.REPLACE;
				upserts.computeIfAbsent(guard, (key) -> new ArrayList<>(batch.size())).add(write);
			}
		}
		RecordStatements sql = this.statements.of(batch.table());
		// a table is not created for writes that create no row (deletes, conditional updates)
		boolean created = create && creates(batch) && this.tables.createInTransaction(connection, batch.table());
		boolean mayBeEmpty = false;
		Map<PendingWrite, StoredRecord> conflicts = Map.of();
		if (upserts.size() + (conditionals.isEmpty() ? 0 : 1) + (deletes.isEmpty() ? 0 : 1) > 1) {
			lockRows(connection, sql, writes);
		}
		// At most one write per id in a batch: the statements touch different rows.
		if (created && !upserts.isEmpty()) {
			// The table is new and nobody else sees it before commit: every upsert inserts its row.
			List<PendingWrite> inserts = new ArrayList<>(batch.size());
			upserts.values().forEach(inserts::addAll);
			if (upserts.size() > 1) {
				inserts.sort(Comparator.comparing(PendingWrite::id));
			}
			upsert(connection, sql.insertNew(), inserts);
		}
		else {
			for (Map.Entry<PendingWrite.Guard, List<PendingWrite>> group : upserts.entrySet()) {
				upsert(connection, sql.upsert(group.getKey()), group.getValue());
			}
		}
		if (!conditionals.isEmpty()) {
			conflicts = writeConditionally(connection, sql, conditionals);
		}
		if (!deletes.isEmpty()) {
			mayBeEmpty = delete(connection, sql, deletes, upserts.isEmpty() && conditionals.isEmpty());
		}
		return new Executed(created, mayBeEmpty, conflicts);
	}

	private static Map<PendingWrite, StoredRecord> allMissing(TableBatch batch) {
		Map<PendingWrite, StoredRecord> conflicts = new IdentityHashMap<>();
		for (PendingWrite write : batch.writes()) {
			if (write.isConditional()) {
				conflicts.put(write, StoredRecord.MISSING);
			}
		}
		return conflicts;
	}

	/**
	 * Writes the conditional upserts in one statement: those expecting no record insert it unless it
	 * exists, the others update it where its version is the expected one (PostgreSQL re-checks that
	 * against a row another transaction changed meanwhile). Then reads the records of those that did
	 * not apply, in the same transaction.
	 * @return the writes that did not apply, each with its record as it is
	 */
	private Map<PendingWrite, StoredRecord> writeConditionally(Connection connection, RecordStatements sql,
			List<PendingWrite> conditionals) throws SQLException {
		Set<String> applied = new HashSet<>();
		Columns columns = Columns.of(conditionals);
		try (PreparedStatement statement = connection.prepareStatement(sql.conditionalUpsert())) {
			statement.setObject(1, ArrayParameter.text(columns.ids()));
			statement.setObject(2, ArrayParameter.int4(columns.expected()));
			statement.setObject(3, ArrayParameter.int4(columns.versions()));
			statement.setObject(4, ArrayParameter.text(columns.values()));
			try (ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					applied.add(rs.getString(1));
				}
			}
		}
		if (applied.size() == conditionals.size()) {
			return Map.of();
		}
		Map<String, PendingWrite> conflicted = new HashMap<>();
		for (PendingWrite write : conditionals) {
			if (!applied.contains(write.id())) {
				conflicted.put(write.id(), write);
			}
		}
		Map<PendingWrite, StoredRecord> conflicts = new IdentityHashMap<>();
		try (PreparedStatement query = connection.prepareStatement(sql.readMany())) {
			query.setObject(1, ArrayParameter.text(conflicted.keySet().toArray(String[]::new)));
			try (ResultSet rs = query.executeQuery()) {
				while (rs.next()) {
					PendingWrite write = conflicted.remove(rs.getString(1));
					if (write != null) {
						conflicts.put(write, new StoredRecord(rs.getInt(2), this.json.read(rs.getString(3))));
					}
				}
			}
		}
		conflicted.values().forEach((write) -> conflicts.put(write, StoredRecord.MISSING));
		return conflicts;
	}

	/**
	 * Locks the existing rows of a batch in id order before it runs more than one statement, since
	 * several statements would lock them in several passes, each in id order, and could deadlock with
	 * another process's batch of the same records.
	 */
	private static void lockRows(Connection connection, RecordStatements sql, List<PendingWrite> sortedWrites)
			throws SQLException {
		String[] ids = sortedWrites.stream().map(PendingWrite::id).toArray(String[]::new);
		try (PreparedStatement statement = connection.prepareStatement(sql.lockRows())) {
			statement.setObject(1, ArrayParameter.text(ids));
			statement.executeQuery().close();
		}
	}

	/** Runs a multi-row upsert (or insert) of the writes. */
	private void upsert(Connection connection, String sql, List<PendingWrite> upserts) throws SQLException {
		Columns columns = Columns.of(upserts);
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			statement.setObject(1, ArrayParameter.text(columns.ids()));
			statement.setObject(2, ArrayParameter.int4(columns.versions()));
			statement.setObject(3, ArrayParameter.text(columns.values()));
			statement.executeUpdate();
		}
	}

	/**
	 * A batch's writes as columns, for a statement's array parameters, gathered in one loop over plain
	 * arrays: three generic loops, one per column through a method reference, were compiled by C2 over
	 * and over (7 times within a fresh JVM's first measured burst), as each caller's lambdas and lists
	 * broke what the last compilation had assumed.
	 */
	private record Columns(String[] ids, int[] expected, int[] versions, String[] values) {

		/** The columns of writes that are not deletes (every one has a value). */
		static Columns of(List<PendingWrite> writes) {
			int n = writes.size();
			Columns columns = new Columns(new String[n], new int[n], new int[n], new String[n]);
			for (int i = 0; i < n; i++) {
				PendingWrite write = writes.get(i);
				columns.ids[i] = write.id();
				columns.expected[i] = write.expected();
				columns.versions[i] = write.version();
				columns.values[i] = write.json();
			}
			return columns;
		}

	}

	/** @return whether the table may be empty now (checked inside the transaction, so cheaply) */
	private static boolean delete(Connection connection, RecordStatements sql, List<String> ids, boolean onlyDeletes)
			throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(sql.delete())) {
			statement.setObject(1, ArrayParameter.text(ids.toArray(String[]::new)));
			statement.executeUpdate();
		}
		if (!onlyDeletes) {
			return false;
		}
		try (PreparedStatement query = connection.prepareStatement(sql.isEmpty());
				ResultSet rs = query.executeQuery()) {
			rs.next();
			return rs.getBoolean(1);
		}
	}

	/**
	 * Counts and reports the failure, and classifies it for the writes' futures: a commit of unknown
	 * outcome as such (non-transient, although its cause is a lost connection: the write must not be
	 * repeated blindly), transient when the database was unavailable (so the same write may succeed
	 * later), otherwise non-transient.
	 */
	private DataAccessException fail(TableBatch batch, Throwable cause) {
		this.statistics.batchesFailed.increment();
		this.statistics.writesFailed.add(countWaiters(batch.writes()));
		this.observer.batchFailed(batch.table(), batch.size(), cause);
		logger.warn("Failed to write {} records to {}.{}: {}", batch.size(), this.options.schema(), batch.table(),
				cause.getMessage());
		String table = this.options.schema() + "." + batch.table();
		if (cause instanceof CommitOutcomeUnknownException unknown) {
			return new CommitOutcomeUnknownException("Write to " + table + ": " + unknown.getMessage(), unknown.getCause());
		}
		String message = "Write to " + table + " failed: " + cause.getMessage();
		return SqlStates.isTransient(cause) ? new TransientRecordWriteException(message, cause)
				: new RecordWriteException(message, cause);
	}

	private static long countWaiters(Collection<PendingWrite> writes) {
		long count = 0;
		for (PendingWrite write : writes) {
			count += write.waiterCount();
		}
		return count;
	}

}
