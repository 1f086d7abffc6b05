package io.deepstream.storage.test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.jspecify.annotations.Nullable;

/**
 * Runs one SQL statement on a connection of its own, outside the code under test; shared by the
 * test databases.
 */
final class OneShotSql {

	/** Opens a new connection. */
	@FunctionalInterface
	interface Connector {

		Connection connect() throws SQLException;

	}

	private OneShotSql() {
	}

	/** Runs a statement (auto-commit); returns the update count, or -1 for a query. */
	static int execute(Connector connector, String sql, Object... args) {
		try (Connection connection = connector.connect(); PreparedStatement statement = prepare(connection, sql, args)) {
			return statement.execute() ? -1 : statement.getUpdateCount();
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Test SQL failed: " + sql, ex);
		}
	}

	/** Runs a query and returns the first column of its first row. */
	static long queryForLong(Connector connector, String sql, Object... args) {
		try (Connection connection = connector.connect(); PreparedStatement statement = prepare(connection, sql, args);
				ResultSet rs = statement.executeQuery()) {
			if (!rs.next()) {
				throw new IllegalStateException("No row from: " + sql);
			}
			return rs.getLong(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Test SQL failed: " + sql, ex);
		}
	}

	/** Runs a query and returns the first column of its first row as text (null for SQL NULL). */
	static @Nullable String queryForString(Connector connector, String sql, Object... args) {
		try (Connection connection = connector.connect(); PreparedStatement statement = prepare(connection, sql, args);
				ResultSet rs = statement.executeQuery()) {
			if (!rs.next()) {
				throw new IllegalStateException("No row from: " + sql);
			}
			return rs.getString(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Test SQL failed: " + sql, ex);
		}
	}

	private static PreparedStatement prepare(Connection connection, String sql, Object... args) throws SQLException {
		PreparedStatement statement = connection.prepareStatement(sql);
		for (int i = 0; i < args.length; i++) {
			statement.setObject(i + 1, args[i]);
		}
		return statement;
	}

}
