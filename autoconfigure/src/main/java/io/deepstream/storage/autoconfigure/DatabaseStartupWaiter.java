package io.deepstream.storage.autoconfigure;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import io.deepstream.storage.listen.ListenerConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits at start-up for PostgreSQL to answer, for a bounded time, so that an application started
 * together with its database (containers, systemd) does not fail on the first refused connection.
 */
final class DatabaseStartupWaiter {

	private static final Logger logger = LoggerFactory.getLogger(DatabaseStartupWaiter.class);

	private static final Duration MAX_PAUSE = Duration.ofSeconds(2);

	private DatabaseStartupWaiter() {
	}

	/**
	 * Returns once a connection can be opened and is valid. Connects directly rather than through the
	 * pool, whose connection timeout (30 s by default) would outlast a short start-up timeout.
	 * @param connections direct connections to where the pool connects
	 * @param url where it points, for the message
	 * @param timeout how long to keep trying
	 * @throws IllegalStateException if PostgreSQL did not answer in time, with the last error as cause
	 */
	static void awaitDatabase(ListenerConnectionFactory connections, String url, Duration timeout) {
		awaitDatabase(connections, url, timeout, "deepstream.storage.url (or host, port, database), user and password");
	}

	/**
	 * As {@link #awaitDatabase(ListenerConnectionFactory, String, Duration)}, for connections configured
	 * by other properties.
	 * @param toCheck the properties the failure message tells the user to check
	 */
	static void awaitDatabase(ListenerConnectionFactory connections, String url, Duration timeout, String toCheck) {
		long deadline = System.nanoTime() + timeout.toNanos();
		long pauseMillis = 100;
		boolean logged = false;
		while (true) {
			try (Connection connection = connections.open()) {
				if (connection.isValid(5)) {
					if (logged) {
						logger.info("PostgreSQL at {} is reachable", url);
					}
					return;
				}
				throw new SQLException("Connection is not valid");
			}
			catch (SQLException ex) {
				if (System.nanoTime() - deadline >= 0) {
					throw new IllegalStateException("PostgreSQL at " + url + " did not answer within " + timeout
							+ " (deepstream.storage.startup-timeout): " + ex.getMessage()
							+ ". Check " + toCheck + ".", ex);
				}
				if (!logged) {
					logger.warn("PostgreSQL at {} is not reachable yet ({}); retrying for up to {}", url, ex.getMessage(), timeout);
					logged = true;
				}
				try {
					Thread.sleep(Math.min(pauseMillis, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException("Interrupted while waiting for PostgreSQL at " + url, ex);
				}
				pauseMillis = Math.min(pauseMillis * 2, MAX_PAUSE.toMillis());
			}
		}
	}

}
