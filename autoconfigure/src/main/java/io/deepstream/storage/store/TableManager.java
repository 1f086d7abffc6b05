package io.deepstream.storage.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import io.deepstream.storage.core.SqlStates;
import io.deepstream.storage.schema.SchemaSql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a table on its first write and drops it after its last row is deleted, as the reference
 * does, but safely when several processes race: both run under the same transaction-scoped advisory
 * lock per table, and the drop locks the table and checks again that it is empty, so a write that
 * commits first keeps the table, and one that waits finds it gone (42P01), recreates it and retries.
 */
final class TableManager {

	private static final Logger logger = LoggerFactory.getLogger(TableManager.class);

	private final DataSource dataSource;

	private final RecordStoreOptions options;

	private final StoreStatistics statistics;

	private final RecordStatements.Cache statements;

	TableManager(DataSource dataSource, RecordStoreOptions options, RecordStatements.Cache statements,
			StoreStatistics statistics) {
		this.dataSource = dataSource;
		this.statements = statements;
		this.options = options;
		this.statistics = statistics;
	}

	/**
	 * Creates the table, its trigger and sends CREATE_TABLE inside the caller's transaction, unless it
	 * exists already. The caller writes its batch in the same transaction, so a new table costs one
	 * commit rather than two, and holds the table's lock until then (a concurrent drop waits, then
	 * finds the rows). After the commit the caller reports the table with {@link #created}.
	 * @param connection a connection in a transaction
	 * @param table a validated table name
	 * @return whether the table was created
	 * @throws SQLException if the database refuses; {@link #isConcurrentCreation} when a process without
	 * our lock created it at the same moment (the transaction is then aborted)
	 */
	boolean createInTransaction(Connection connection, String table) throws SQLException {
		String schema = this.options.schema();
		RecordStatements sql = this.statements.of(table);
		if (lockAndCheckExists(connection, sql)) {
			return false;
		}
		// One round trip: pgjdbc sends the statements together and reads their results afterwards.
		StringBuilder ddl = new StringBuilder(SchemaSql.createTable(schema, table, this.options.useJsonb()));
		if (this.options.role() != null) {
			ddl.append(";\n").append(SchemaSql.alterOwner(schema, table, this.options.role()));
		}
		String trigger = SchemaSql.createTrigger(schema, table, this.options.notifications().triggerOperations());
		if (trigger != null) {
			ddl.append(";\n").append(trigger);
		}
		// a notification is sent at commit, so it may be queued with the DDL that it announces
		boolean announce = this.options.notifications().createTable();
		if (announce) {
			ddl.append(";\n").append(RecordStatements.NOTIFY);
		}
		try (PreparedStatement statement = connection.prepareStatement(ddl.toString())) {
			if (announce) {
				statement.setString(1, schema);
				statement.setString(2, "CREATE_TABLE:" + table);
			}
			statement.execute();
		}
		return true;
	}

	/** Counts a table that {@link #createInTransaction} created, once its transaction committed. */
	void created(String table) {
		this.statistics.tablesCreated.increment();
		logger.debug("Created table {}.{}", this.options.schema(), table);
	}

	/**
	 * Drops the table if it is empty and sends DESTROY_TABLE. Locks the table first, so writers that
	 * committed before are seen and writers that come after wait and then find the table gone.
	 * @param table a validated table name
	 * @throws SQLException if the database refuses
	 */
	void dropIfEmpty(String table) throws SQLException {
		String schema = this.options.schema();
		RecordStatements sql = this.statements.of(table);
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(false);
			try (Statement statement = connection.createStatement()) {
				if (!lockAndCheckExists(connection, sql)) {
					connection.commit();
					return;
				}
				statement.execute(sql.lockTable());
				boolean empty;
				try (ResultSet rs = statement.executeQuery(sql.isEmpty())) {
					rs.next();
					empty = rs.getBoolean(1);
				}
				if (empty) {
					statement.execute(sql.dropTable());
					if (this.options.notifications().destroyTable()) {
						notify(connection, schema, "DESTROY_TABLE:" + table);
					}
				}
				connection.commit();
				if (empty) {
					this.statistics.tablesDropped.increment();
					logger.debug("Dropped empty table {}.{}", schema, table);
				}
			}
			catch (SQLException ex) {
				connection.rollback();
				if (!SqlStates.hasState(ex, SqlStates.UNDEFINED_TABLE)) {
					throw ex;
				}
			}
			finally {
				Transactions.resetQuietly(connection);
			}
		}
	}

	/**
	 * Takes the table's advisory lock, then asks whether the table exists: two statements in one round
	 * trip. The second runs after the first has the lock, with a snapshot of its own, so it sees the
	 * table that the lock's previous holder created and committed.
	 */
	private static boolean lockAndCheckExists(Connection connection, RecordStatements sql) throws SQLException {
		try (PreparedStatement statement = connection
			.prepareStatement(RecordStatements.TABLE_LOCK + ";\n" + RecordStatements.TABLE_EXISTS)) {
			statement.setString(1, sql.tableLockKey());
			statement.setString(2, sql.qualified());
			statement.execute();
			if (!statement.getMoreResults()) {
				throw new SQLException("No answer to whether " + sql.qualified() + " exists");
			}
			try (ResultSet rs = statement.getResultSet()) {
				rs.next();
				return rs.getBoolean(1);
			}
		}
	}

	static void notify(Connection connection, String channel, String payload) throws SQLException {
		try (PreparedStatement notify = connection.prepareStatement(RecordStatements.NOTIFY)) {
			notify.setString(1, channel);
			notify.setString(2, payload);
			notify.execute();
		}
	}

	static boolean isConcurrentCreation(SQLException ex) {
		return SqlStates.hasState(ex, SqlStates.DUPLICATE_TABLE) || SqlStates.hasState(ex, SqlStates.UNIQUE_VIOLATION)
				|| SqlStates.hasState(ex, SqlStates.DUPLICATE_OBJECT);
	}

}
