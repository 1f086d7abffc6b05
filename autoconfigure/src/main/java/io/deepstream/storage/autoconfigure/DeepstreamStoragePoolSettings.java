package io.deepstream.storage.autoconfigure;

import java.time.Duration;

import com.zaxxer.hikari.HikariConfig;
import io.deepstream.storage.core.InvalidOptionException;

import static io.deepstream.storage.core.OptionChecks.requireAtLeast;
import static io.deepstream.storage.core.OptionChecks.requireNotNegative;
import static io.deepstream.storage.core.OptionChecks.requirePositive;

/**
 * The settings of the store's own pool, with their rules and defaults: its size and idle timeout
 * ({@code max}, {@code idle-timeout}) and its timeouts and driver settings ({@code pool.*}). Built from
 * the properties with {@link DeepstreamStorageProperties#toPoolSettings()}, which reports a refused
 * setting as its property. The timeouts bound how long a write can wait on a server that hangs rather
 * than dies: a statement fails after {@code socket-timeout}, the batch is retried on a new connection
 * (which is where a multi-host URL finds the new primary after a failover), and it settles
 * (committed, or failed with {@code RecordWriteException}) within {@link #settleBound}.
 *
 * @param maxSize the most connections (default 10)
 * @param idleTimeout how long a connection may sit idle before it is closed (default 30 s)
 * @param connectionTimeout the longest wait for a connection, HikariCP's {@code connectionTimeout}
 * (default 10 s, at least {@link #MIN_CONNECTION_TIMEOUT}); it also bounds HikariCP's check of an idle
 * connection ({@code validationTimeout}, at most 5 s)
 * @param socketTimeout the longest wait for the server's answer, pgjdbc's {@code socketTimeout} in whole
 * seconds, rounded up; 0 waits for the operating system (default 30 s)
 * @param prepareThreshold pgjdbc's {@code prepareThreshold} (default 0: nothing is prepared on the
 * server, so the pool works through PgBouncer in transaction mode)
 */
public record DeepstreamStoragePoolSettings(int maxSize, Duration idleTimeout, Duration connectionTimeout,
		Duration socketTimeout, int prepareThreshold) {

	/** Default {@code max}. */
	public static final int DEFAULT_MAX_SIZE = 10;

	/** Default {@code idle-timeout}. */
	public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

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

	/** HikariCP's lower limit for {@code connectionTimeout} (and for {@code validationTimeout}). */
	static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(250);

	/** HikariCP's default {@code validationTimeout}: the longest check of a connection the pool makes. */
	static final Duration MAX_VALIDATION_TIMEOUT = Duration.ofSeconds(5);

	/**
	 * Checks every setting.
	 * @throws InvalidOptionException naming the first setting that breaks a rule
	 */
	public DeepstreamStoragePoolSettings {
		requireAtLeast(maxSize, 1, "maxSize");
		requirePositive(idleTimeout, "idleTimeout");
		if (connectionTimeout.compareTo(MIN_CONNECTION_TIMEOUT) < 0) {
			throw new InvalidOptionException("connectionTimeout", connectionTimeout,
					"must be at least " + MIN_CONNECTION_TIMEOUT.toMillis() + "ms");
		}
		requireNotNegative(socketTimeout, "socketTimeout");
		requireNotNegative(prepareThreshold, "prepareThreshold");
	}

	/**
	 * A builder starting from the defaults.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Applies the settings to a pool's configuration. The driver settings are data source properties,
	 * so the same parameters in the JDBC URL take precedence (pgjdbc reads the URL last).
	 * @param config the pool's configuration
	 */
	void applyTo(HikariConfig config) {
		config.setMaximumPoolSize(this.maxSize);
		config.setMinimumIdle(Math.min(2, this.maxSize));
		config.setIdleTimeout(this.idleTimeout.toMillis());
		config.setConnectionTimeout(this.connectionTimeout.toMillis());
		config.setValidationTimeout(validationTimeout(this.connectionTimeout).toMillis());
		config.addDataSourceProperty("socketTimeout", Long.toString(wholeSeconds(this.socketTimeout)));
		config.addDataSourceProperty("prepareThreshold", Integer.toString(this.prepareThreshold));
		// the operating system notices a peer that is gone for good, even between statements
		config.addDataSourceProperty("tcpKeepAlive", "true");
	}

	/**
	 * The longest time a batch can take to settle (commit, or fail its futures) when the server stops
	 * answering: each attempt (the first and every retry) waits at most {@link #connectionWaitBound} for a
	 * connection and the socket timeout for the server's answer, and the retries pause their backoff in
	 * between. A hung server is usually detected sooner: the statement in flight fails after the socket
	 * timeout, and the retries then find no connection. When a {@code COMMIT} fails, the questions whether
	 * it committed draw on the same retries, each one an attempt; only when the {@code COMMIT} of the last
	 * attempt fails does its one question come on top of the bound (one attempt more).
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
		Duration attempt = connectionWaitBound(connectionTimeout).plusSeconds(wholeSeconds(socketTimeout));
		Duration bound = attempt;
		for (int retry = 1; retry <= maxRetries; retry++) {
			Duration backoff = initialBackoff.multipliedBy(1L << Math.min(retry - 1, 20));
			bound = bound.plus(attempt).plus((backoff.compareTo(maxBackoff) > 0) ? maxBackoff : backoff);
		}
		return bound;
	}

	/**
	 * The longest wait for a connection of the store's pool: the connection timeout, and one check of a
	 * connection that HikariCP hands out after it sat idle (a check that started just before the
	 * timeout runs to its end). The check is bounded by {@link #validationTimeout}; HikariCP's own
	 * default, 5 s whatever the connection timeout, let a batch outlast {@link #settleBound} on a
	 * frozen server.
	 * @param connectionTimeout {@code pool.connection-timeout}
	 * @return the bound
	 */
	public static Duration connectionWaitBound(Duration connectionTimeout) {
		return connectionTimeout.plus(validationTimeout(connectionTimeout));
	}

	/**
	 * HikariCP's {@code validationTimeout} for the store's pool: as long as the connection timeout, at
	 * most HikariCP's default. A check that took longer would mean waiting longer than the
	 * connection timeout for a connection.
	 */
	static Duration validationTimeout(Duration connectionTimeout) {
		return (connectionTimeout.compareTo(MAX_VALIDATION_TIMEOUT) < 0) ? connectionTimeout : MAX_VALIDATION_TIMEOUT;
	}

	private static long wholeSeconds(Duration duration) {
		return (duration.toMillis() + 999) / 1000;
	}

	/** Builds {@link DeepstreamStoragePoolSettings}; each setter is named after its setting. */
	public static final class Builder {

		private int maxSize = DEFAULT_MAX_SIZE;

		private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;

		private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;

		private Duration socketTimeout = DEFAULT_SOCKET_TIMEOUT;

		private int prepareThreshold = DEFAULT_PREPARE_THRESHOLD;

		private Builder() {
		}

		public Builder maxSize(int maxSize) {
			this.maxSize = maxSize;
			return this;
		}

		public Builder idleTimeout(Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
			return this;
		}

		public Builder connectionTimeout(Duration connectionTimeout) {
			this.connectionTimeout = connectionTimeout;
			return this;
		}

		public Builder socketTimeout(Duration socketTimeout) {
			this.socketTimeout = socketTimeout;
			return this;
		}

		public Builder prepareThreshold(int prepareThreshold) {
			this.prepareThreshold = prepareThreshold;
			return this;
		}

		public DeepstreamStoragePoolSettings build() {
			return new DeepstreamStoragePoolSettings(this.maxSize, this.idleTimeout, this.connectionTimeout,
					this.socketTimeout, this.prepareThreshold);
		}

	}

}
