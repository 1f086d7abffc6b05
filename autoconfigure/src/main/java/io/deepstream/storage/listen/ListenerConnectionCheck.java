package io.deepstream.storage.listen;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

import io.deepstream.storage.core.Identifiers;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Proves that a {@link ListenerConnectionFactory} gives the listener what it needs: a session of its
 * own that keeps its {@code LISTEN}s and receives notifications sent by other sessions. A pooler in
 * transaction (or statement) mode, such as PgBouncer with {@code pool_mode = transaction}, does not:
 * it hands each transaction to whichever server connection is free, so a {@code LISTEN} stays behind
 * on a server connection that the listener no longer holds, and notifications never reach it. Some
 * poolers refuse {@code LISTEN} outright. Either way the listener would run without ever hearing
 * anything, so the auto-configuration runs this check at start-up and fails. A hot standby refuses
 * {@code LISTEN} too ({@code cannot execute LISTEN during recovery}).
 * <p>
 * The check listens on a channel of its own, sends a notification to it from a second connection,
 * and waits for it on the first. A direct connection (or a pooler in session mode) receives it within
 * milliseconds; through a transaction-mode pooler it never arrives, whichever server connections the
 * two transactions land on.
 */
public final class ListenerConnectionCheck {

	/**
	 * How long the auto-configuration waits for the notification: a direct connection receives it
	 * within milliseconds, so only a connection that cannot receive it waits this long.
	 */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

	private ListenerConnectionCheck() {
	}

	/**
	 * Runs the check.
	 * @param factory the listener's connection factory
	 * @param timeout how long to wait for the notification
	 * @throws NotificationsNotDelivered if LISTEN was refused or the notification did not arrive
	 * @throws SQLException if a connection could not be opened or failed otherwise
	 */
	public static void requireDelivery(ListenerConnectionFactory factory, Duration timeout) throws SQLException {
		String channel = "deepstream_check_" + UUID.randomUUID().toString().replace("-", "");
		String token = UUID.randomUUID().toString();
		try (Connection listening = factory.open()) {
			listening.setAutoCommit(true);
			try (Statement statement = listening.createStatement()) {
				statement.execute("LISTEN " + Identifiers.quote(channel));
			}
			catch (SQLException ex) {
				if (isConnectionFailure(ex)) {
					throw ex;
				}
				throw new NotificationsNotDelivered("LISTEN was refused (" + ex.getMessage() + "); the listener needs a "
						+ "session of its own on the primary: a standby refuses LISTEN, and a connection pooler in "
						+ "transaction or statement mode cannot carry it", ex);
			}
			try (Connection sending = factory.open();
					PreparedStatement notify = sending.prepareStatement("SELECT pg_notify(?, ?)")) {
				sending.setAutoCommit(true);
				notify.setString(1, channel);
				notify.setString(2, token);
				notify.execute();
			}
			PGConnection pg = listening.unwrap(PGConnection.class);
			long deadline = System.nanoTime() + timeout.toNanos();
			long remaining;
			while ((remaining = (deadline - System.nanoTime()) / 1_000_000) > 0) {
				PGNotification[] received = pg.getNotifications((int) Math.min(Integer.MAX_VALUE, remaining));
				if (received != null) {
					for (PGNotification notification : received) {
						if (channel.equals(notification.getName()) && token.equals(notification.getParameter())) {
							return;
						}
					}
				}
			}
			throw new NotificationsNotDelivered("a notification sent by another session did not arrive within "
					+ timeout + "; the connection goes through a connection pooler in transaction or statement mode "
					+ "(such as PgBouncer with pool_mode = transaction), which cannot carry LISTEN", null);
		}
	}

	/** The listener's connection cannot receive notifications. */
	public static final class NotificationsNotDelivered extends IllegalStateException {

		private static final long serialVersionUID = 1L;

		NotificationsNotDelivered(String message, @Nullable Throwable cause) {
			super(message, cause);
		}

	}

	/** A broken connection is no verdict on the pooler: the caller reports it as what it is. */
	private static boolean isConnectionFailure(SQLException ex) {
		String state = ex.getSQLState();
		return state != null && state.startsWith("08");
	}

}
