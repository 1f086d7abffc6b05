package io.deepstream.storage.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import io.deepstream.storage.core.Identifiers;
import io.deepstream.storage.core.SqlStates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, idempotently, what the deepstream format needs before the first read or write: the schema,
 * the reference's functions {@code count_rows}, {@code delete_if_empty} and {@code broadcast_update},
 * and this project's own trigger function. Several processes may start at once: the work is done in
 * one transaction under a transaction-scoped advisory lock, so they take turns.
 */
public final class SchemaInitializer {

	/** The oldest PostgreSQL this project supports (hashtextextended and friends arrived in 11). */
	public static final int MINIMUM_SERVER_VERSION = 120000;

	/** Advisory lock key shared by every process initialising deepstream schemas ("dsinit"). */
	static final long INIT_LOCK_KEY = 0x6473_696e_6974L;

	private static final Logger logger = LoggerFactory.getLogger(SchemaInitializer.class);

	private final DataSource dataSource;

	public SchemaInitializer(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	/**
	 * Checks the server version, then creates the schema and the functions if they are missing.
	 * @param schema the schema name
	 * @throws SQLException if the database refuses
	 * @throws IllegalStateException if the server is older than {@link #MINIMUM_SERVER_VERSION}
	 */
	public void initialize(String schema) throws SQLException {
		Identifiers.requireValidSchema(schema);
		try (Connection connection = this.dataSource.getConnection()) {
			requireSupportedVersion(connection);
			boolean autoCommit = connection.getAutoCommit();
			connection.setAutoCommit(false);
			try {
				try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
					lock.setLong(1, INIT_LOCK_KEY);
					lock.execute();
				}
				try (Statement statement = connection.createStatement()) {
					statement.execute(SchemaSql.createSchema(schema));
					createIfMissing(connection, statement, "count_rows(text,text)", SchemaSql.COUNT_ROWS);
					createIfMissing(connection, statement, "delete_if_empty(text,text)", SchemaSql.DELETE_IF_EMPTY);
					replaceBroadcastUpdate(connection, statement);
					statement.execute(SchemaSql.recordChangeFunction(schema));
				}
				connection.commit();
			}
			catch (SQLException | RuntimeException ex) {
				connection.rollback();
				throw ex;
			}
			finally {
				connection.setAutoCommit(autoCommit);
			}
		}
		logger.debug("Schema {} is ready", schema);
	}

	private static void requireSupportedVersion(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT current_setting('server_version_num')::int, version()")) {
			rs.next();
			requireSupportedVersion(rs.getInt(1), rs.getString(2));
		}
	}

	/**
	 * The version check itself, apart from the query that feeds it.
	 * @param serverVersionNum the server's {@code server_version_num}, such as 150020 for 15.20
	 * @param description the server's {@code version()}, for the message
	 * @throws IllegalStateException if the server is older than {@link #MINIMUM_SERVER_VERSION}
	 */
	static void requireSupportedVersion(int serverVersionNum, String description) {
		if (serverVersionNum < MINIMUM_SERVER_VERSION) {
			throw new IllegalStateException("PostgreSQL " + (MINIMUM_SERVER_VERSION / 10000)
					+ " or later is required, the server is " + description);
		}
	}

	/**
	 * The reference creates these functions on its own start-up; processes that call them expect the
	 * reference's argument conventions, so an existing definition is left alone.
	 */
	private static void createIfMissing(Connection connection, Statement statement, String signature, String ddl)
			throws SQLException {
		if (!functionExists(connection, signature)) {
			statement.execute(ddl);
		}
	}

	/**
	 * The reference's {@code broadcast_update()} builds its NOTIFY by string concatenation, so a row whose
	 * id contains a quote cannot be written while it is installed. Ours sends the very same payload with
	 * {@code pg_notify}. It is replaced on every start (a reference process that starts later puts its
	 * own back); if another role owns it we cannot replace it, which is not fatal: our own tables use
	 * our own trigger function.
	 */
	private static void replaceBroadcastUpdate(Connection connection, Statement statement) throws SQLException {
		var savepoint = connection.setSavepoint();
		try {
			statement.execute(SchemaSql.BROADCAST_UPDATE);
			connection.releaseSavepoint(savepoint);
		}
		catch (SQLException ex) {
			// another role owns the reference's function
			if (!SqlStates.INSUFFICIENT_PRIVILEGE.equals(ex.getSQLState())) {
				throw ex;
			}
			connection.rollback(savepoint);
			logger.warn("Cannot replace broadcast_update() (owned by another role); tables created by the "
					+ "reference keep its version, which fails for ids containing a single quote");
		}
	}

	private static boolean functionExists(Connection connection, String signature) throws SQLException {
		try (PreparedStatement query = connection.prepareStatement("SELECT to_regprocedure(?) IS NOT NULL")) {
			query.setString(1, signature);
			try (ResultSet rs = query.executeQuery()) {
				rs.next();
				return rs.getBoolean(1);
			}
		}
	}

}
