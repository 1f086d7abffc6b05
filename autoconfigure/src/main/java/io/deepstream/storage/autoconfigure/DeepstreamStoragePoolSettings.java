package io.deepstream.storage.autoconfigure;

import java.time.Duration;

import com.zaxxer.hikari.HikariConfig;

/**
 * The timeouts and driver settings of the store's own pool ({@code deepstream.storage.pool.*}), and
 * their defaults. They bound how long a write can wait on a server that hangs rather than dies: a
 * statement fails after {@code socket-timeout}, the batch is retried on a new connection (which is
 * where a multi-host URL finds the new primary after a failover), and it settles (committed, or
 * failed with {@code RecordWriteException}) within {@link #settleBound}.
 */
public final class DeepstreamStoragePoolSettings {

	/**
	 * Default {@code pool.socket-timeout}: long enough for any statement the store runs (batches of up
	 * to {@code max-batch-size} rows, table creation, the schema overview of a large schema), short
	 * enough that a hung server is noticed well before {@code PostgresRecordStore.CLOSE_TIMEOUT}.
	 */
	public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(30);

	/** Default {@code pool.connection-timeout}. */
	public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(10);

	/** Default {@code pool.prepare-threshold}: no server-side prepared statements (poolers). */
	public static final int DEFAULT_PREPARE_THRESHOLD = 0;

	/** HikariCP's lower limit for {@code connectionTimeout}. */
	static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(250);

	private DeepstreamStoragePoolSettings() {
	}

	/**
	 * Applies the settings to a pool's configuration. The driver settings are data source properties,
	 * so the same parameters in the JDBC URL take precedence (pgjdbc reads the URL last).
	 * @param pool the properties
	 * @param config the pool's configuration
	 */
	static void apply(DeepstreamStorageProperties.Pool pool, HikariConfig config) {
		config.setConnectionTimeout(pool.getConnectionTimeout().toMillis());
		config.addDataSourceProperty("socketTimeout", Long.toString(wholeSeconds(pool.getSocketTimeout())));
		config.addDataSourceProperty("prepareThreshold", Integer.toString(pool.getPrepareThreshold()));
		// the operating system notices a peer that is gone for good, even between statements
		config.addDataSourceProperty("tcpKeepAlive", "true");
	}

	/**
	 * The longest time a batch can take to settle (commit, or fail its futures) when the server stops
	 * answering: each attempt (the first and every retry) waits at most the connection timeout for a
	 * connection and the socket timeout for the server's answer, and the retries pause their backoff in
	 * between. A hung server is usually detected sooner: the statement in flight fails after the socket
	 * timeout, and the retries then find no connection.
	 * @param socketTimeout {@code pool.socket-timeout}, positive
	 * @param connectionTimeout {@code pool.connection-timeout}
	 * @param maxRetries {@code max-retries}
	 * @param initialBackoff {@code retry-initial-backoff}
	 * @param maxBackoff {@code retry-max-backoff}
	 * @return the bound
	 * @throws IllegalArgumentException if the socket timeout is 0: then there is no bound
	 */
	public static Duration settleBound(Duration socketTimeout, Duration connectionTimeout, int maxRetries,
			Duration initialBackoff, Duration maxBackoff) {
		if (socketTimeout.isZero() || socketTimeout.isNegative()) {
			throw new IllegalArgumentException("Without a socket timeout there is no bound");
		}
		Duration attempt = connectionTimeout.plusSeconds(wholeSeconds(socketTimeout));
		Duration bound = attempt;
		for (int retry = 1; retry <= maxRetries; retry++) {
			Duration backoff = initialBackoff.multipliedBy(1L << Math.min(retry - 1, 20));
			bound = bound.plus(attempt).plus((backoff.compareTo(maxBackoff) > 0) ? maxBackoff : backoff);
		}
		return bound;
	}

	private static long wholeSeconds(Duration duration) {
		return (duration.toMillis() + 999) / 1000;
	}

}
