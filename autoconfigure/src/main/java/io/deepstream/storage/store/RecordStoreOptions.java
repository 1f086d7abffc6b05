package io.deepstream.storage.store;

import java.time.Duration;

import io.deepstream.storage.core.Identifiers;
import io.deepstream.storage.core.InvalidOptionException;
import io.deepstream.storage.core.NotificationSwitches;
import org.jspecify.annotations.Nullable;

import static io.deepstream.storage.core.OptionChecks.requireAtLeast;
import static io.deepstream.storage.core.OptionChecks.requireNotNegative;
import static io.deepstream.storage.core.OptionChecks.requirePositive;
import static io.deepstream.storage.core.OptionChecks.requireValid;

/**
 * Options of the record store, named after the reference connector's where it has them. Build with
 * {@link #builder()}; every option has the reference's default, or a documented one of our own.
 *
 * @param schema schema holding the tables ({@code schema}, default {@code ds})
 * @param defaultTable table for record names without {@code /} ({@code defaultTable}, default {@code default})
 * @param writeInterval how long writes are buffered before a flush ({@code writeInterval}, default 200 ms)
 * @param useJsonb whether new tables store values as jsonb rather than text ({@code useJsonb}, default false)
 * @param role owner of new tables ({@code role}); null leaves the connecting user as owner
 * @param notifications which notifications new tables send ({@code notifications.*}, default all on)
 * @param maxBatchSize most writes to one table in one statement; a full batch is flushed at once
 * @param maxBufferedWrites most writes buffered and not yet committed, over all tables
 * @param whenBufferFull what {@code set} does when the buffer is full
 * @param bufferFullTimeout how long {@code set} waits for room with {@link WhenBufferFull#BLOCK}
 * @param maxRetries how often a batch is retried after a transient failure before its writes fail
 * @param retryInitialBackoff the first pause before a retry; doubled each time
 * @param retryMaxBackoff the longest pause before a retry
 * @param flushThreads how many batches (of different tables) are written at once
 * @param versionGuard whether a write with a lower version than the stored one is ignored, so that a
 * record's stored version never goes backwards when writers race (default false, as in the reference,
 * where the last write wins). A write of version 0 or less (deepstream writes version 0 when it
 * creates a record and on its storage hot path) always applies its value and keeps the higher stored
 * version. Writes to the same record buffered in one write interval are combined with the same rule
 * (see {@code docs/reliability.md})
 * @param closeTimeout how long {@code close()} waits for the buffered writes to commit, retries
 * included; writes still not committed then fail their futures (default 60 s)
 */
public record RecordStoreOptions(String schema, String defaultTable, Duration writeInterval, boolean useJsonb,
		@Nullable String role, NotificationSwitches notifications, int maxBatchSize, int maxBufferedWrites,
		WhenBufferFull whenBufferFull, Duration bufferFullTimeout, int maxRetries, Duration retryInitialBackoff,
		Duration retryMaxBackoff, int flushThreads, boolean versionGuard, Duration closeTimeout) {

	/** The reference's default table. */
	public static final String DEFAULT_TABLE = "default";

	/** The reference's default write interval. */
	public static final Duration DEFAULT_WRITE_INTERVAL = Duration.ofMillis(200);

	/** Default batch size: large enough to amortise a round trip, small enough to keep a statement short. */
	public static final int DEFAULT_MAX_BATCH_SIZE = 5000;

	/** Default buffer bound. */
	public static final int DEFAULT_MAX_BUFFERED_WRITES = 100_000;

	/** Default wait for room in a full buffer. */
	public static final Duration DEFAULT_BUFFER_FULL_TIMEOUT = Duration.ofSeconds(30);

	/** Default number of retries after a transient failure. */
	public static final int DEFAULT_MAX_RETRIES = 8;

	/** Default first retry pause. */
	public static final Duration DEFAULT_RETRY_INITIAL_BACKOFF = Duration.ofMillis(100);

	/** Default longest retry pause. */
	public static final Duration DEFAULT_RETRY_MAX_BACKOFF = Duration.ofSeconds(5);

	/**
	 * Default flush concurrency. Measured on two cores (see {@code benchmarks/README.md}): with
	 * 1,000 tables created during a burst, where a thread mostly waits for its DDL and commits, four
	 * threads wrote 10 - 20% more than two (the median of three rounds, in each of six alternating
	 * runs); with ten tables four and eight wrote as much as two, within the noise. A thread holds a
	 * pooled connection only while it writes.
	 */
	public static final int DEFAULT_FLUSH_THREADS = 4;

	/** Default longest wait of {@code close()} for the buffered writes. */
	public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(60);

	/**
	 * Checks every option.
	 * @throws InvalidOptionException naming the first option that breaks a rule
	 */
	public RecordStoreOptions {
		requireValid(schema, "schema", Identifiers::requireValidSchema);
		requireValid(defaultTable, "defaultTable", (table) -> Identifiers.requireValidTable(table, table));
		if (role != null) {
			requireValid(role, "role", Identifiers::requireValidRole);
		}
		requirePositive(writeInterval, "writeInterval");
		requirePositive(bufferFullTimeout, "bufferFullTimeout");
		requirePositive(retryInitialBackoff, "retryInitialBackoff");
		requirePositive(retryMaxBackoff, "retryMaxBackoff");
		requirePositive(closeTimeout, "closeTimeout");
		requireAtLeast(maxBatchSize, 1, "maxBatchSize");
		requireAtLeast(maxBufferedWrites, "maxBufferedWrites", maxBatchSize, "maxBatchSize");
		requireNotNegative(maxRetries, "maxRetries");
		requireAtLeast(flushThreads, 1, "flushThreads");
	}

	/**
	 * Options with every default.
	 * @return the defaults
	 */
	public static RecordStoreOptions defaults() {
		return builder().build();
	}

	/**
	 * A builder starting from the defaults.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * A builder starting from these options.
	 * @return a new builder
	 */
	public Builder toBuilder() {
		Builder builder = new Builder();
		builder.schema = this.schema;
		builder.defaultTable = this.defaultTable;
		builder.writeInterval = this.writeInterval;
		builder.useJsonb = this.useJsonb;
		builder.role = this.role;
		builder.notifications = this.notifications;
		builder.maxBatchSize = this.maxBatchSize;
		builder.maxBufferedWrites = this.maxBufferedWrites;
		builder.whenBufferFull = this.whenBufferFull;
		builder.bufferFullTimeout = this.bufferFullTimeout;
		builder.maxRetries = this.maxRetries;
		builder.retryInitialBackoff = this.retryInitialBackoff;
		builder.retryMaxBackoff = this.retryMaxBackoff;
		builder.flushThreads = this.flushThreads;
		builder.versionGuard = this.versionGuard;
		builder.closeTimeout = this.closeTimeout;
		return builder;
	}

	/** Builds {@link RecordStoreOptions}. */
	public static final class Builder {

		private String schema = Identifiers.DEFAULT_SCHEMA;

		private String defaultTable = DEFAULT_TABLE;

		private Duration writeInterval = DEFAULT_WRITE_INTERVAL;

		private boolean useJsonb;

		private @Nullable String role;

		private NotificationSwitches notifications = NotificationSwitches.ALL;

		private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;

		private int maxBufferedWrites = DEFAULT_MAX_BUFFERED_WRITES;

		private WhenBufferFull whenBufferFull = WhenBufferFull.BLOCK;

		private Duration bufferFullTimeout = DEFAULT_BUFFER_FULL_TIMEOUT;

		private int maxRetries = DEFAULT_MAX_RETRIES;

		private Duration retryInitialBackoff = DEFAULT_RETRY_INITIAL_BACKOFF;

		private Duration retryMaxBackoff = DEFAULT_RETRY_MAX_BACKOFF;

		private int flushThreads = DEFAULT_FLUSH_THREADS;

		private boolean versionGuard;

		private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;

		private Builder() {
		}

		public Builder schema(String schema) {
			this.schema = schema;
			return this;
		}

		public Builder defaultTable(String defaultTable) {
			this.defaultTable = defaultTable;
			return this;
		}

		public Builder writeInterval(Duration writeInterval) {
			this.writeInterval = writeInterval;
			return this;
		}

		public Builder useJsonb(boolean useJsonb) {
			this.useJsonb = useJsonb;
			return this;
		}

		public Builder role(@Nullable String role) {
			this.role = role;
			return this;
		}

		public Builder notifications(NotificationSwitches notifications) {
			this.notifications = notifications;
			return this;
		}

		public Builder maxBatchSize(int maxBatchSize) {
			this.maxBatchSize = maxBatchSize;
			return this;
		}

		public Builder maxBufferedWrites(int maxBufferedWrites) {
			this.maxBufferedWrites = maxBufferedWrites;
			return this;
		}

		public Builder whenBufferFull(WhenBufferFull whenBufferFull) {
			this.whenBufferFull = whenBufferFull;
			return this;
		}

		public Builder bufferFullTimeout(Duration bufferFullTimeout) {
			this.bufferFullTimeout = bufferFullTimeout;
			return this;
		}

		public Builder maxRetries(int maxRetries) {
			this.maxRetries = maxRetries;
			return this;
		}

		public Builder retryInitialBackoff(Duration retryInitialBackoff) {
			this.retryInitialBackoff = retryInitialBackoff;
			return this;
		}

		public Builder retryMaxBackoff(Duration retryMaxBackoff) {
			this.retryMaxBackoff = retryMaxBackoff;
			return this;
		}

		public Builder flushThreads(int flushThreads) {
			this.flushThreads = flushThreads;
			return this;
		}

		public Builder versionGuard(boolean versionGuard) {
			this.versionGuard = versionGuard;
			return this;
		}

		public Builder closeTimeout(Duration closeTimeout) {
			this.closeTimeout = closeTimeout;
			return this;
		}

		public RecordStoreOptions build() {
			return new RecordStoreOptions(this.schema, this.defaultTable, this.writeInterval, this.useJsonb, this.role,
					this.notifications, this.maxBatchSize, this.maxBufferedWrites, this.whenBufferFull,
					this.bufferFullTimeout, this.maxRetries, this.retryInitialBackoff, this.retryMaxBackoff,
					this.flushThreads, this.versionGuard, this.closeTimeout);
		}

	}

}
