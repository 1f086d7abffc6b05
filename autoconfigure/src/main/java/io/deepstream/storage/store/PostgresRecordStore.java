package io.deepstream.storage.store;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;

import javax.sql.DataSource;

import io.deepstream.storage.core.InvalidRecordException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * deepstream records in PostgreSQL, in exactly the format of the reference Node.js connector
 * ({@code @deepstream/storage-postgres}): a record name {@code table/id} is a row {@code (id, version,
 * val)} of table {@code table} in the configured schema, created on its first write.
 * <p>
 * Writes are buffered per table and flushed in batches every {@code writeInterval}; each returned
 * future completes only after its batch has committed, and fails (never silently) if it could not be.
 * Reads see writes that are still buffered. Works with plain {@code new}:
 *
 * <pre>{@code
 * PostgresRecordStore store = new PostgresRecordStore(dataSource, JsonMapper.builder().build(), RecordStoreOptions.defaults());
 * store.start();
 * store.set("cars/bmw", 1, Map.of("color", "blue")).join();
 * StoredRecord bmw = store.get("cars/bmw");
 * store.close();
 * }</pre>
 */
public class PostgresRecordStore implements SmartLifecycle, AutoCloseable {

	/**
	 * Lifecycle phase: lower phases stop later, so the store flushes after the web server (phases
	 * {@code DEFAULT_PHASE - 1024} and {@code - 2048}) has drained its requests, and before the
	 * listener and the pool.
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	/** How many conditional writes {@link #update(String, Function)} tries before it gives up. */
	public static final int DEFAULT_UPDATE_ATTEMPTS = 16;

	/**
	 * How long {@link #close()} waits for the last batches, retries included, by default
	 * ({@link RecordStoreOptions#closeTimeout()}).
	 */
	public static final Duration CLOSE_TIMEOUT = RecordStoreOptions.DEFAULT_CLOSE_TIMEOUT;

	private static final Logger logger = LoggerFactory.getLogger(PostgresRecordStore.class);

	private final DataSource dataSource;

	private final RecordStoreOptions options;

	private final RecordStoreParts parts;

	private final boolean initializeSchemaOnStart;

	private volatile ConditionalWrites conditionalWrites;

	private volatile State state = State.NEW;

	private enum State {

		NEW, RUNNING, CLOSED

	}

	public PostgresRecordStore(DataSource dataSource, JsonMapper jsonMapper, RecordStoreOptions options) {
		this(dataSource, jsonMapper, options, RecordStoreObserver.NONE);
	}

	public PostgresRecordStore(DataSource dataSource, JsonMapper jsonMapper, RecordStoreOptions options,
			RecordStoreObserver observer) {
		this(dataSource, jsonMapper, options, observer, true);
	}

	/**
	 * A store whose {@link #start()} may leave the schema to someone else.
	 * @param dataSource where to write
	 * @param jsonMapper how to write and read values
	 * @param options the options
	 * @param observer told about every flush
	 * @param initializeSchemaOnStart whether {@link #start()} creates the schema and functions; false
	 * when they were created before (Spring Boot's database initialisation does, once per start)
	 */
	public PostgresRecordStore(DataSource dataSource, JsonMapper jsonMapper, RecordStoreOptions options,
			RecordStoreObserver observer, boolean initializeSchemaOnStart) {
		this(dataSource, jsonMapper, options, observer, initializeSchemaOnStart, BatchFlusher.Threads.named());
	}

	/**
	 * A store whose write-behind threads come from the given factory (for thread names, a thread
	 * group or priority of your own) instead of its own {@code deepstream-flusher-<n>} and
	 * {@code deepstream-flush-<n>-<k>}: one thread that takes the batches from the buffer, and up to
	 * {@link RecordStoreOptions#flushThreads()} that write them. The store's own threads are not
	 * daemons, so that the JVM does not exit while accepted writes wait for their commit: a factory
	 * that makes daemons gives that up.
	 * @param dataSource where to write
	 * @param jsonMapper how to write and read values
	 * @param options the options
	 * @param observer told about every flush
	 * @param initializeSchemaOnStart whether {@link #start()} creates the schema and functions
	 * @param threadFactory makes the threads that flush the buffered writes
	 */
	public PostgresRecordStore(DataSource dataSource, JsonMapper jsonMapper, RecordStoreOptions options,
			RecordStoreObserver observer, boolean initializeSchemaOnStart, ThreadFactory threadFactory) {
		this(dataSource, jsonMapper, options, observer, initializeSchemaOnStart, BatchFlusher.Threads.from(threadFactory));
	}

	private PostgresRecordStore(DataSource dataSource, JsonMapper jsonMapper, RecordStoreOptions options,
			RecordStoreObserver observer, boolean initializeSchemaOnStart, BatchFlusher.Threads flusherThreads) {
		this.initializeSchemaOnStart = initializeSchemaOnStart;
		this.dataSource = dataSource;
		this.options = options;
		this.parts = RecordStoreParts.wire(dataSource, jsonMapper, options, CompositeRecordStoreObserver.isolating(observer),
				flusherThreads, this::admitWrite);
		this.conditionalWrites = this.parts.checkedInBatch();
	}

	/**
	 * Creates the schema and functions if needed (unless built not to) and starts the flusher.
	 * Idempotent. The first write starts a store that was not started yet, so that it is usable from
	 * other beans' initialisation; in a Spring context its lifecycle starts (and stops) it otherwise.
	 * @throws DataAccessException if the database refuses
	 * @throws IllegalStateException if the server is too old
	 */
	@Override
	public synchronized void start() {
		if (this.state != State.NEW) {
			return;
		}
		if (this.initializeSchemaOnStart) {
			this.parts.administration().createSchema(this.options.schema());
		}
		this.parts.flusher().start();
		this.state = State.RUNNING;
	}

	/**
	 * Buffers a write of a record.
	 * @param name the record name, {@code table/id} or an id of the default table
	 * @param version the deepstream version to store
	 * @param value the value: a {@link JsonNode} or any object Jackson can write (not null)
	 * @return a future that completes once the write is committed, or fails with a
	 * {@link DataAccessException}: {@link TransientRecordWriteException} when the database was
	 * unavailable through every retry, {@link CommitOutcomeUnknownException} (a
	 * {@link RecordWriteException}) when its batch's {@code COMMIT} failed and PostgreSQL could not say
	 * whether it committed (the write may be stored), {@link RecordWriteException} otherwise
	 * @throws InvalidRecordException for an invalid record name or value (nothing is buffered)
	 * @throws BufferFullException if the buffer has no room
	 */
	public CompletableFuture<Void> set(String name, int version, Object value) {
		return this.parts.intake().set(name, version, value);
	}

	/**
	 * Buffers a conditional write: it applies only if, when its batch runs, the record's stored version
	 * is {@code expectedVersion} ({@code -1}: only if the record does not exist). PostgreSQL checks this
	 * in the batch's own statement, so no other writer (a deepstream server, another process) can come
	 * in between. deepstream's own rule is {@code version == expectedVersion + 1}.
	 * <p>
	 * A write of the same record still buffered counts as stored: expecting its version is expecting
	 * what it writes (see {@code docs/reliability.md}).
	 * <p>
	 * When a deepstream server checks conditional writes instead ({@link #setConditionalWrites}), the
	 * write goes to the server at once, not through the buffer, and must follow the server's rule:
	 * {@code version == expectedVersion + 1}, a record that does not exist counting as version 0.
	 * @param name the record name
	 * @param expectedVersion the version the record must have, {@code -1} for a record that must not exist
	 * @param version the version to store
	 * @param value the value: a {@link JsonNode} or any object Jackson can write (not null)
	 * @return a future that completes once the write is committed; it fails with
	 * {@link VersionConflictException} (carrying the record as found) if the version was another, and
	 * with {@link RecordWriteException} if the batch could not be written ({@link CommitOutcomeUnknownException}
	 * if it may have been: its {@code COMMIT} failed and PostgreSQL could not say). Other writes of the batch
	 * are not affected by a conflict
	 * @throws InvalidRecordException for an invalid record name, value or expected version (nothing is buffered)
	 * @throws BufferFullException if the buffer has no room
	 */
	public CompletableFuture<Void> compareAndSet(String name, int expectedVersion, int version, Object value) {
		return this.parts.intake().compareAndSet(this.conditionalWrites, name, expectedVersion, version, value);
	}

	/**
	 * Lets another checker decide conditional writes ({@link #compareAndSet} and {@link #update}) than
	 * PostgreSQL in the batch's statement: a running deepstream server, when its clients write the
	 * same records ({@code io.deepstream.storage.announce.ServerCheckedWrites}). Set it before the
	 * first conditional write.
	 * @param conditionalWrites the checker
	 */
	public void setConditionalWrites(ConditionalWrites conditionalWrites) {
		this.conditionalWrites = conditionalWrites;
	}

	/** @return who checks conditional writes: PostgreSQL in the batch's statement unless set otherwise */
	public ConditionalWrites conditionalWrites() {
		return this.conditionalWrites;
	}

	/**
	 * Changes a record by deepstream's version rule, safe against every other writer: reads it (a write
	 * still buffered included), applies {@code change} to its value, and writes the result at version
	 * + 1 with {@link #compareAndSet}. When another writer got there first, {@code change} is applied
	 * again to the record as that conflict found it, up to {@link #DEFAULT_UPDATE_ATTEMPTS} times.
	 * @param name the record name
	 * @param change the new value from the current one (null when the record does not exist, which
	 * is then written at version 0, or at version 1 when a deepstream server checks conditional writes,
	 * see {@link #setConditionalWrites}); it may run more than once, on another thread, and must not block
	 * @return a future of the record as written, failing with {@link VersionConflictException} when
	 * every attempt met a conflict, or with what {@code change} or the write failed with
	 */
	public CompletableFuture<StoredRecord> update(String name, Function<@Nullable JsonNode, ?> change) {
		return update(name, DEFAULT_UPDATE_ATTEMPTS, change);
	}

	/**
	 * {@link #update(String, Function)} with a given number of attempts.
	 * @param name the record name
	 * @param maxAttempts how many conditional writes to try, at least 1
	 * @param change the new value from the current one
	 * @return a future of the record as written
	 */
	public CompletableFuture<StoredRecord> update(String name, int maxAttempts, Function<@Nullable JsonNode, ?> change) {
		return this.parts.updater().update(this.conditionalWrites, name, maxAttempts, change);
	}

	/**
	 * Reads a record, including a write of it that is still buffered.
	 * @param name the record name
	 * @return the record, or {@link StoredRecord#MISSING} (version -1)
	 */
	public StoredRecord get(String name) {
		return this.parts.reader().get(name);
	}

	/**
	 * Reads a record's value as a given type.
	 * @param <T> the type
	 * @param name the record name
	 * @param type the class to convert the JSON value to
	 * @return the value, or empty when the record does not exist
	 */
	public <T> Optional<T> get(String name, Class<T> type) {
		return this.parts.reader().get(name, type);
	}

	/**
	 * Buffers the deletion of a record. Deleting a table's last record drops the table and sends
	 * DESTROY_TABLE.
	 * @param name the record name
	 * @return a future that completes once the delete is committed
	 */
	public CompletableFuture<Void> delete(String name) {
		return this.parts.intake().delete(name);
	}

	/**
	 * Deletes several records, all or none: every name is checked before any delete is buffered, and
	 * the buffer takes them at once, waiting for room as {@link #set} does. When it refuses them (no
	 * room, more deletes than {@code maxBufferedWrites}, the store closed), none was buffered.
	 * @param names the record names
	 * @return a future that completes once every delete is committed
	 */
	public CompletableFuture<Void> deleteBulk(Collection<String> names) {
		return this.parts.intake().deleteBulk(names);
	}

	/** Before a write enters the buffer: starts a store that was not started yet, refuses a closed one. */
	private void admitWrite() {
		if (this.state == State.NEW) {
			start();
		}
		if (this.state != State.RUNNING) {
			throw new IllegalStateException("The record store is closed");
		}
	}

	/**
	 * Flushes everything buffered now rather than at the next interval.
	 * @return a future that completes when every write accepted so far is done
	 */
	public CompletableFuture<Void> flush() {
		List<CompletableFuture<Void>> accepted = this.parts.buffer().waitForAccepted();
		this.parts.flusher().flushNow();
		// A failed write fails its own caller; flush only reports that everything accepted is done.
		return CompletableFuture.allOf(accepted.stream().map((future) -> future.exceptionally((ex) -> null))
			.toArray(CompletableFuture[]::new));
	}

	/**
	 * Creates a schema (and this project's trigger function in it) if it does not exist.
	 * @param name the schema name
	 */
	public void createSchema(String name) {
		this.parts.administration().createSchema(name);
	}

	/**
	 * Drops a schema and everything in it. Fails if the schema does not exist, as the reference does.
	 * @param name the schema name
	 */
	public void destroySchema(String name) {
		this.parts.administration().destroySchema(name);
	}

	/**
	 * Every table of the configured schema with its number of rows.
	 * @return table name to row count, sorted by name
	 */
	public Map<String, Long> getSchemaOverview() {
		return this.parts.administration().getSchemaOverview(this.options.schema());
	}

	/**
	 * Every table of a schema with its number of rows.
	 * @param schema the schema
	 * @return table name to row count, sorted by name
	 */
	public Map<String, Long> getSchemaOverview(String schema) {
		return this.parts.administration().getSchemaOverview(schema);
	}

	/**
	 * Runs raw, parameterised SQL, as the reference's {@code query}.
	 * @param sql the statement, with {@code ?} placeholders
	 * @param args the bind parameters
	 * @return the rows, column name to value (empty for statements that return no rows)
	 */
	public List<Map<String, Object>> query(String sql, Object... args) {
		return this.parts.administration().query(sql, args);
	}

	/** @return the options this store runs with */
	public RecordStoreOptions options() {
		return this.options;
	}

	/** @return running totals, for metrics and health */
	public StoreStatistics statistics() {
		return this.parts.statistics();
	}

	/** @return the data source this store writes through */
	public DataSource dataSource() {
		return this.dataSource;
	}

	/**
	 * Stops accepting writes, flushes every buffered write and waits for it (up to
	 * {@link RecordStoreOptions#closeTimeout()}; writes still queued then fail their futures, and a
	 * batch still in flight settles its own when its statement returns).
	 */
	@Override
	public void close() {
		synchronized (this) {
			if (this.state == State.CLOSED) {
				return;
			}
			boolean started = this.state == State.RUNNING;
			this.state = State.CLOSED;
			if (!started) {
				return;
			}
		}
		try {
			this.parts.flusher().close(this.options.closeTimeout());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			logger.warn("Interrupted while flushing buffered writes on close");
		}
	}

	@Override
	public void stop() {
		close();
	}

	@Override
	public boolean isRunning() {
		return this.state == State.RUNNING;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
