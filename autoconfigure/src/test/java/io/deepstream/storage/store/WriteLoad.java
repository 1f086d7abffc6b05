package io.deepstream.storage.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import io.deepstream.storage.core.Identifiers;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A sustained write load for the fault tests: writer threads, each keeping a bounded number of writes
 * in flight, spread over {@code load<n>} tables, every write a new record with a value of its own, and
 * what became of each write (acknowledged, failed, refused) and when.
 */
public final class WriteLoad implements AutoCloseable {

	/** How long any wait of the load may take before the test fails. */
	public static final Duration WAIT = Duration.ofSeconds(60);

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	/** One write of the load and what became of it. */
	public static final class Write {

		public final String name;

		public final String json;

		public final long acceptedAt = System.nanoTime();

		volatile @Nullable CompletableFuture<Void> future;

		public volatile @Nullable RuntimeException refused;

		/** When the future completed normally, or 0. */
		public volatile long committedAt;

		/** When the future completed, either way, or 0. */
		public volatile long settledAt;

		public volatile boolean failed;

		Write(String name, String json) {
			this.name = name;
			this.json = json;
		}

	}

	/**
	 * The writes of a load, sorted by what became of them.
	 * @param acknowledged whose futures completed normally
	 * @param failed whose futures failed
	 * @param refused whose {@code set} threw {@link BufferFullException}
	 */
	public record Outcome(List<Write> acknowledged, List<Write> failed, List<Write> refused) {

		public int total() {
			return this.acknowledged.size() + this.failed.size() + this.refused.size();
		}

		/** Every acknowledged write is stored with its value; every other one failed visibly. */
		public void assertVisible(Map<String, String> stored) {
			assertThat(this.acknowledged).allSatisfy((write) -> assertThat(stored.get(write.name)).as("value of %s", write.name)
				.isEqualTo(write.json));
			assertVisibleFailures();
		}

		/**
		 * Every write that was not acknowledged failed with {@link TransientRecordWriteException} (an
		 * outage outlasted the retries) or {@link CommitOutcomeUnknownException} (its batch's
		 * {@code COMMIT} was in flight when the server went away, and the server could not be asked
		 * afterwards: it may be stored), or was refused.
		 */
		public void assertVisibleFailures() {
			assertThat(this.failed).allSatisfy((write) -> assertThat(write.future).failsWithin(Duration.ZERO)
				.withThrowableOfType(ExecutionException.class)
				.havingCause()
				.isInstanceOfAny(TransientRecordWriteException.class, CommitOutcomeUnknownException.class));
			assertThat(this.refused).allSatisfy((write) -> assertThat(write.refused).isInstanceOf(BufferFullException.class));
		}

	}

	public final PostgresRecordStore store;

	private final int writers;

	private final int tables;

	private final int inFlightPerWriter;

	private final Queue<Write> writes = new ConcurrentLinkedQueue<>();

	private final AtomicLong sequence = new AtomicLong();

	private final ExecutorService threads;

	private final List<Future<?>> running = new ArrayList<>();

	private volatile boolean writing = true;

	/**
	 * @param store the store, started here if it is not yet
	 * @param writers how many writer threads
	 * @param tables over how many tables ({@code load0} ...)
	 * @param inFlightPerWriter most unsettled writes per writer
	 */
	public WriteLoad(PostgresRecordStore store, int writers, int tables, int inFlightPerWriter) {
		this.store = store;
		this.writers = writers;
		this.tables = tables;
		this.inFlightPerWriter = inFlightPerWriter;
		this.threads = Executors.newFixedThreadPool(writers);
		store.start();
	}

	public void start() {
		for (int w = 0; w < this.writers; w++) {
			int writer = w;
			this.running.add(this.threads.submit(() -> write(writer)));
		}
	}

	private void write(int writer) {
		Semaphore inFlight = new Semaphore(this.inFlightPerWriter);
		Deque<CompletableFuture<Void>> pending = new ArrayDeque<>();
		try {
			while (this.writing) {
				if (!inFlight.tryAcquire(WAIT.toSeconds(), TimeUnit.SECONDS)) {
					throw new IllegalStateException("The writes of writer " + writer + " stopped settling");
				}
				if (!this.writing) {
					return;
				}
				long seq = this.sequence.incrementAndGet();
				ObjectNode value = MAPPER.createObjectNode().put("w", writer).put("s", seq);
				Write write = new Write("load" + (seq % this.tables) + "/w" + writer + "-" + seq,
						MAPPER.writeValueAsString(value));
				this.writes.add(write);
				try {
					CompletableFuture<Void> future = this.store.set(write.name, 1, value);
					write.future = future;
					pending.addLast(future);
					future.whenComplete((ok, failure) -> {
						long now = System.nanoTime();
						if (failure == null) {
							write.committedAt = now;
						}
						else {
							write.failed = true;
						}
						write.settledAt = now;
						inFlight.release();
					});
				}
				catch (BufferFullException ex) {
					write.refused = ex;
					inFlight.release();
					// as a caller would: try again once an earlier write has settled, not in a tight loop
					pending.removeIf(CompletableFuture::isDone);
					CompletableFuture<Void> oldest = pending.peekFirst();
					if (oldest != null) {
						oldest.handle((ok, failure) -> null).get(WAIT.toSeconds(), TimeUnit.SECONDS);
					}
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("The writes of writer " + writer + " stopped settling", ex);
		}
	}

	/** Every write so far, in the order they were accepted per writer. */
	public List<Write> writes() {
		return List.copyOf(this.writes);
	}

	public long acknowledged() {
		return this.writes.stream().filter((write) -> write.committedAt != 0).count();
	}

	public long failed() {
		return this.writes.stream().filter((write) -> write.failed).count();
	}

	public long refused() {
		return this.writes.stream().filter((write) -> write.refused != null).count();
	}

	public void awaitAcknowledged(long count) {
		await().atMost(WAIT).until(() -> acknowledged() >= count);
	}

	/** Stops the writers (no new writes); the writes in flight go on. */
	public void stopWriting() throws Exception {
		this.writing = false;
		for (Future<?> writer : this.running) {
			writer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
		}
	}

	/**
	 * Waits until a write accepted after the server came back has committed, and the listener has
	 * reported the {@code gaps}th gap (if any), and describes how long each took.
	 * @param fault what happened, for the description
	 * @param injected when the fault was injected ({@link System#nanoTime()})
	 * @param serverBack when the server (or the new primary) accepted connections again
	 * @param missedAt when the listener reported gaps
	 * @param gaps how many gaps must have been reported
	 * @return the description, with the times in ms after the fault
	 */
	public String recovery(String fault, long injected, long serverBack, List<Long> missedAt, int gaps) {
		await().atMost(WAIT).until(() -> this.writes.stream()
			.anyMatch((write) -> write.acceptedAt > serverBack && write.committedAt != 0));
		await().atMost(WAIT).until(() -> missedAt.size() >= gaps);
		String listener = (gaps > 0) ? "; listener reconnected and reported the gap at +%d ms"
			.formatted(millis(missedAt.get(gaps - 1) - injected)) : "";
		long[] commits = this.writes.stream().mapToLong((write) -> write.committedAt).filter((at) -> at != 0).sorted().toArray();
		long firstCommit = Arrays.stream(commits).filter((at) -> at > serverBack).min().orElseThrow();
		long longestGap = 0;
		for (int i = 1; i < commits.length && commits[i] <= firstCommit; i++) {
			if (commits[i] >= injected) {
				longestGap = Math.max(longestGap, commits[i] - commits[i - 1]);
			}
		}
		return ("%s: server accepted connections again after %d ms; first write committed after that at +%d ms;"
				+ " longest time without a committed write %d ms%s").formatted(fault, millis(serverBack - injected),
						millis(firstCommit - injected), millis(longestGap), listener);
	}

	/** Stops writing, flushes, and checks that no write is left hanging. */
	public Outcome finish() throws Exception {
		stopWriting();
		this.store.flush().get(WAIT.toSeconds(), TimeUnit.SECONDS);
		await().atMost(WAIT).until(() -> this.writes.stream()
			.allMatch((write) -> write.refused != null || write.committedAt != 0 || write.failed));
		List<Write> acknowledged = new ArrayList<>();
		List<Write> failed = new ArrayList<>();
		List<Write> refused = new ArrayList<>();
		for (Write write : this.writes) {
			(write.refused != null ? refused : write.failed ? failed : acknowledged).add(write);
		}
		return new Outcome(acknowledged, failed, refused);
	}

	@Override
	public void close() {
		this.writing = false;
		this.threads.shutdownNow();
		this.store.close();
	}

	/** Opens a connection to read the stored rows with. */
	@FunctionalInterface
	public interface Connector {

		Connection connect() throws SQLException;

	}

	/**
	 * Key ({@code table/id}) to stored JSON text of every row a load may have written.
	 * @param connector where to read
	 * @param schema the store's schema
	 * @param tables the load's number of tables
	 * @return the rows
	 */
	public static Map<String, String> rows(Connector connector, String schema, int tables) throws SQLException {
		Map<String, String> rows = new HashMap<>();
		try (Connection connection = connector.connect(); Statement statement = connection.createStatement()) {
			for (int table = 0; table < tables; table++) {
				String name = "load" + table;
				if (!exists(statement, schema, name)) {
					continue;
				}
				try (ResultSet rs = statement.executeQuery("SELECT id, val FROM " + Identifiers.qualify(schema, name))) {
					while (rs.next()) {
						rows.put(name + "/" + rs.getString(1), rs.getString(2));
					}
				}
			}
		}
		return rows;
	}

	private static boolean exists(Statement statement, String schema, String table) throws SQLException {
		try (ResultSet rs = statement.executeQuery("SELECT to_regclass('" + Identifiers.qualify(schema, table)
				.replace("'", "''") + "') IS NOT NULL")) {
			rs.next();
			return rs.getBoolean(1);
		}
	}

	public static long millis(long nanos) {
		return TimeUnit.NANOSECONDS.toMillis(nanos);
	}

}
