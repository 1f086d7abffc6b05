package io.deepstream.storage.listen;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

import io.deepstream.storage.core.Identifiers;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * One connection of the listener, from open to close: its LISTENs, its polls and its validation.
 * Every statement is bounded by a network timeout ({@code validationTimeout}), so that no call
 * blocks for ever on a half-open connection. Used by the listener thread only, except
 * {@link #close()}, which any thread may call to wake a blocked poll.
 */
final class ListenerSession implements AutoCloseable {

	private static final PGNotification[] NONE = new PGNotification[0];

	private final Connection connection;

	private final PGConnection pgConnection;

	private final int backendPid;

	private final Instant connectedAt;

	private final int pollTimeoutMillis;

	private final int validationTimeoutSeconds;

	private ListenerSession(Connection connection, PGConnection pgConnection, int backendPid, ListenerOptions options) {
		this.connection = connection;
		this.pgConnection = pgConnection;
		this.backendPid = backendPid;
		this.connectedAt = Instant.now();
		this.pollTimeoutMillis = (int) options.pollTimeout().toMillis();
		// isValid takes whole seconds and only ever lowers the network timeout, which is already
		// validationTimeout: so the round trip is bounded by validationTimeout to the millisecond.
		this.validationTimeoutSeconds = (int) Math.max(1, (options.validationTimeout().toMillis() + 999) / 1000);
	}

	/**
	 * Opens a connection and prepares it: auto-commit (notifications are only read between
	 * transactions), the network timeout, and the backend's process id.
	 * @throws SQLException if it cannot be opened or is not a pgjdbc connection
	 */
	static ListenerSession open(ListenerConnectionFactory factory, ListenerOptions options) throws SQLException {
		Connection connection = factory.open();
		try {
			connection.setAutoCommit(true);
			// pgjdbc applies the timeout to the socket itself and ignores the executor.
			connection.setNetworkTimeout(Runnable::run, (int) options.validationTimeout().toMillis());
			PGConnection pgConnection = connection.unwrap(PGConnection.class);
			int pid;
			try (Statement statement = connection.createStatement();
					ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
				rs.next();
				pid = rs.getInt(1);
			}
			return new ListenerSession(connection, pgConnection, pid, options);
		}
		catch (SQLException | RuntimeException ex) {
			closeQuietly(connection, ex);
			throw ex;
		}
	}

	void listen(String channel) throws SQLException {
		execute("LISTEN " + Identifiers.quote(channel));
	}

	void unlisten(String channel) throws SQLException {
		execute("UNLISTEN " + Identifiers.quote(channel));
	}

	private void execute(String sql) throws SQLException {
		try (Statement statement = this.connection.createStatement()) {
			statement.execute(sql);
		}
	}

	/**
	 * Waits up to the poll timeout for notifications; returns at once with those already received.
	 * @return the notifications in the order PostgreSQL sent them, possibly none
	 * @throws SQLException if the connection failed (or was aborted)
	 */
	PGNotification[] poll() throws SQLException {
		PGNotification[] notifications = this.pgConnection.getNotifications(this.pollTimeoutMillis);
		return (notifications != null) ? notifications : NONE;
	}

	/**
	 * A round trip to the server, bounded by the validation timeout. Notifications that arrive meanwhile
	 * are kept for the next {@link #poll()}.
	 * @return whether the server answered in time
	 */
	boolean isValid() throws SQLException {
		return this.connection.isValid(this.validationTimeoutSeconds);
	}

	int backendPid() {
		return this.backendPid;
	}

	Instant connectedAt() {
		return this.connectedAt;
	}

	/**
	 * Closes the connection. Safe from any thread: closing the socket is the only way to wake a poll
	 * that blocks on it, which then fails at once.
	 */
	@Override
	public void close() {
		try {
			this.connection.close();
		}
		catch (SQLException | RuntimeException ex) {
			// The connection is dead or being torn down: nothing left to release.
		}
	}

	private static void closeQuietly(Connection connection, Exception cause) {
		try {
			connection.close();
		}
		catch (SQLException | RuntimeException ex) {
			cause.addSuppressed(ex);
		}
	}

}
