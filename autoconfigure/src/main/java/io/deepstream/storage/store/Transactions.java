package io.deepstream.storage.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Ending the store's own transactions on pooled connections without hiding the failure that ended
 * them.
 */
final class Transactions {

	private Transactions() {
	}

	/** Rolls back; a failure to do so is attached to the failure that caused the rollback. */
	static void rollbackQuietly(Connection connection, Throwable cause) {
		try {
			connection.rollback();
		}
		catch (SQLException ex) {
			cause.addSuppressed(ex);
		}
	}

	/** Gives the connection back in auto-commit mode, as the pool handed it out. */
	static void resetQuietly(Connection connection) {
		try {
			connection.setAutoCommit(true);
		}
		catch (SQLException ex) {
			// the connection is broken; the pool will discard it
		}
	}

}
