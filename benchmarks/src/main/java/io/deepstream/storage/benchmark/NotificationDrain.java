package io.deepstream.storage.benchmark;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import io.deepstream.storage.core.Identifiers;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * A bare listening connection for the ceiling measurement: it LISTENs to a schema's channel and
 * counts what arrives, so that the server delivers the notifications as it would to the store's
 * listener.
 */
final class NotificationDrain implements AutoCloseable {

	private final Connection connection;

	private final Thread thread;

	private final Object monitor = new Object();

	private volatile boolean running = true;

	private long received;

	private long expected;

	private long reachedAt;

	NotificationDrain(BenchmarkDatabase database, String schema) throws SQLException {
		this.connection = database.connect();
		try (Statement statement = this.connection.createStatement()) {
			statement.execute("LISTEN " + Identifiers.quote(schema));
		}
		this.thread = new Thread(this::drain, "benchmark-notification-drain");
		this.thread.setDaemon(true);
	}

	void start() {
		this.thread.start();
	}

	private void drain() {
		try {
			PGConnection pg = this.connection.unwrap(PGConnection.class);
			while (this.running) {
				PGNotification[] notifications = pg.getNotifications(200);
				if (notifications != null && notifications.length > 0) {
					synchronized (this.monitor) {
						this.received += notifications.length;
						if (this.received >= this.expected && this.reachedAt == 0) {
							this.reachedAt = System.nanoTime();
							this.monitor.notifyAll();
						}
					}
				}
			}
		}
		catch (SQLException ex) {
			if (this.running) {
				System.err.println("Notification drain failed: " + ex.getMessage());
			}
		}
	}

	/** Starts counting towards the next statement's notifications. */
	void expect(long count) {
		synchronized (this.monitor) {
			this.received = 0;
			this.expected = count;
			this.reachedAt = (count == 0) ? System.nanoTime() : 0;
		}
	}

	/**
	 * Waits until the expected notifications arrived.
	 * @return when they had, or 0 after the timeout
	 */
	long awaitExpected(long timeoutNanos) throws InterruptedException {
		long deadline = System.nanoTime() + timeoutNanos;
		synchronized (this.monitor) {
			while (this.reachedAt == 0) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					return 0;
				}
				this.monitor.wait(Math.max(1, remaining / 1_000_000));
			}
			return this.reachedAt;
		}
	}

	@Override
	public void close() throws SQLException {
		this.running = false;
		this.connection.close();
	}

}
