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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import com.zaxxer.hikari.HikariDataSource;
import io.deepstream.storage.core.ChangeKind;
import io.deepstream.storage.core.Identifiers;
import io.deepstream.storage.listen.ListenerConnectionFactory;
import io.deepstream.storage.listen.ListenerOptions;
import io.deepstream.storage.listen.MissedNotifications;
import io.deepstream.storage.listen.Notification;
import io.deepstream.storage.listen.NotificationListener;
import io.deepstream.storage.test.ThrowawayPostgres;
import io.deepstream.storage.test.ThrowawayPostgres.StopMode;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL (a throwaway cluster of its own) goes away in the middle of a sustained write load of
 * several threads on several tables: a clean restart ({@code pg_ctl restart -m fast}: every session is
 * terminated), a crash ({@code pg_ctl stop -m immediate}, then a start with crash recovery), and an
 * outage longer than the retries last. The restart and the crash are shorter than the retries, so
 * they cost no write at all; after the long outage every acknowledged write is in the database with
 * its value, every other write failed visibly (its future with {@link TransientRecordWriteException}, or its
 * {@code set} at once with {@link BufferFullException}), none is left hanging, writes resumed without
 * help, and the listener reconnected and reported the gap each time. Recovery times are printed.
 */
class RestartUnderLoadIT {

	private static final int WRITERS = 4;

	private static final int TABLES = 6;

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static ThrowawayPostgres postgres;

	@BeforeAll
	static void startPostgres() {
		postgres = ThrowawayPostgres.start();
	}

	@BeforeEach
	void serverRuns() {
		// a test that failed while the server was down leaves it down
		if (!postgres.isRunning()) {
			postgres.startAgain();
		}
	}

	@AfterAll
	static void stopPostgres() {
		if (postgres != null) {
			postgres.close();
		}
	}

	@Test
	void acknowledgedWritesSurviveAFastRestartAndACrash() throws Exception {
		String schema = "restarts";
		List<Long> missedAt = new CopyOnWriteArrayList<>();
		List<MissedNotifications> missed = new CopyOnWriteArrayList<>();
		List<Notification> heard = new CopyOnWriteArrayList<>();
		List<String> outages = new ArrayList<>();
		try (HikariDataSource dataSource = postgres.newDataSource(4);
				NotificationListener listener = new NotificationListener(
						ListenerConnectionFactory.of(postgres.jdbcUrl(), postgres.username(), postgres.password()),
						ListenerOptions.builder().schema(schema).build());
				Load load = new Load(new PostgresRecordStore(dataSource, MAPPER,
						RecordStoreOptions.builder().schema(schema).writeInterval(Duration.ofMillis(50)).build()), 100)) {
			listener.onMissedNotifications((gap) -> {
				missedAt.add(System.nanoTime());
				missed.add(gap);
			});
			CompletableFuture<Void> listening = listener.subscribe(heard::add);
			listener.start();
			listening.get(WAIT.toSeconds(), TimeUnit.SECONDS);
			load.start();
			load.awaitAcknowledged(5000);

			// A clean restart: every session is terminated, open transactions roll back.
			long injected = System.nanoTime();
			postgres.restart(StopMode.FAST);
			outages.add(load.recovery("pg_ctl restart -m fast", injected, System.nanoTime(), missedAt, 1));

			// A crash: every process quits at once; the start runs crash recovery. The load must meet
			// the dead server before it comes back.
			long retries = load.store.statistics().retries();
			injected = System.nanoTime();
			postgres.kill();
			await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> load.store.statistics().retries() > retries
					|| dataSource.getHikariPoolMXBean().getThreadsAwaitingConnection() > 0);
			postgres.startAgain();
			outages.add(load.recovery("pg_ctl stop -m immediate, then start", injected, System.nanoTime(), missedAt, 2));

			load.awaitAcknowledged(load.acknowledged() + 5000);
			Outcome outcome = load.finish();
			outcome.assertVisible(rows(schema));
			assertThat(outcome.acknowledged).hasSizeGreaterThan(10_000);
			// Both outages are shorter than the retries last: they cost no write at all.
			assertThat(outcome.failed).as("writes failed although the retries outlast the outage").isEmpty();
			assertThat(outcome.refused).as("writes refused although the buffer blocks").isEmpty();
			assertThat(load.store.statistics().writesFailed()).isZero();
			assertThat(load.store.statistics().retries()).as("the outages were met").isPositive();

			// the listener is back for good: a new write is announced
			assertThat(listener.state().reconnects()).isEqualTo(2);
			assertThat(missed).hasSize(2).allSatisfy((gap) -> assertThat(gap.schemas()).containsExactly(schema));
			load.store.set("after/restarts", 1, MAPPER.createObjectNode()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(heard).contains(new Notification(ChangeKind.INSERT, schema, "after", "restarts")));
			report(outcome, load, outages);
		}
	}

	@Test
	void anOutageLongerThanTheRetriesFailsWritesVisiblyAndWritesResumeAfterIt() throws Exception {
		String schema = "outage";
		try (HikariDataSource dataSource = postgres.newDataSource(4)) {
			// Give up soon: a connection within 250 ms, two retries; a small buffer that fails when full.
			dataSource.setConnectionTimeout(250);
			RecordStoreOptions options = RecordStoreOptions.builder()
				.schema(schema)
				.writeInterval(Duration.ofMillis(50))
				.maxRetries(2)
				.retryInitialBackoff(Duration.ofMillis(50))
				.maxBatchSize(500)
				.maxBufferedWrites(1000)
				.whenBufferFull(WhenBufferFull.FAIL)
				.build();
			try (Load load = new Load(new PostgresRecordStore(dataSource, MAPPER, options), 400)) {
				load.start();
				load.awaitAcknowledged(5000);
				long injected = System.nanoTime();
				postgres.stop(StopMode.FAST);
				await().atMost(WAIT).until(() -> load.failed() >= 500 && load.refused() >= 50);
				postgres.startAgain();
				List<String> outages = List.of(load.recovery("pg_ctl stop -m fast, start after writes failed", injected,
						System.nanoTime(), List.of(), 0));
				load.awaitAcknowledged(load.acknowledged() + 5000);
				Outcome outcome = load.finish();
				outcome.assertVisible(rows(schema));
				assertThat(outcome.failed).hasSizeGreaterThanOrEqualTo(500);
				assertThat(outcome.refused).hasSizeGreaterThanOrEqualTo(50);
				report(outcome, load, outages);
			}
		}
	}

	private static void report(Outcome outcome, Load load, List<String> outages) {
		System.out.printf("RestartUnderLoadIT: %d writes by %d threads to %d tables of schema %s: %d acknowledged (all"
				+ " stored with their value), %d failed with TransientRecordWriteException, %d refused at once with"
				+ " BufferFullException, 0 left hanging; %d batch retries%n", outcome.total(), WRITERS, TABLES,
				load.store.options().schema(), outcome.acknowledged.size(), outcome.failed.size(), outcome.refused.size(),
				load.store.statistics().retries());
		outages.forEach((outage) -> System.out.println("RestartUnderLoadIT: " + outage));
	}

	/** One write of the load and what became of it. */
	private static final class Write {

		final String key;

		final String json;

		final long acceptedAt = System.nanoTime();

		volatile @Nullable CompletableFuture<Void> future;

		volatile @Nullable RuntimeException refused;

		/** When the future completed normally, or 0. */
		volatile long committedAt;

		volatile boolean failed;

		Write(String key, String json) {
			this.key = key;
			this.json = json;
		}

	}

	/** The writes of a load, sorted by what became of them. */
	private record Outcome(List<Write> acknowledged, List<Write> failed, List<Write> refused) {

		int total() {
			return this.acknowledged.size() + this.failed.size() + this.refused.size();
		}

		void assertVisible(Map<String, String> stored) {
			assertThat(this.acknowledged).allSatisfy((write) -> assertThat(stored.get(write.key)).as("value of %s", write.key)
				.isEqualTo(write.json));
			assertThat(this.failed).allSatisfy((write) -> assertThat(write.future).failsWithin(Duration.ZERO)
				.withThrowableOfType(ExecutionException.class)
				.withCauseInstanceOf(TransientRecordWriteException.class));
			assertThat(this.refused).allSatisfy((write) -> assertThat(write.refused).isInstanceOf(BufferFullException.class));
		}

	}

	/**
	 * Writer threads, each keeping a bounded number of writes in flight, spread over the tables, every
	 * write a new record with a value of its own.
	 */
	private static final class Load implements AutoCloseable {

		final PostgresRecordStore store;

		private final int inFlightPerWriter;

		private final Queue<Write> writes = new ConcurrentLinkedQueue<>();

		private final AtomicLong sequence = new AtomicLong();

		private final ExecutorService threads = Executors.newFixedThreadPool(WRITERS);

		private final List<Future<?>> running = new ArrayList<>();

		private volatile boolean writing = true;

		Load(PostgresRecordStore store, int inFlightPerWriter) {
			this.store = store;
			this.inFlightPerWriter = inFlightPerWriter;
			store.start();
		}

		void start() {
			for (int w = 0; w < WRITERS; w++) {
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
					long seq = this.sequence.incrementAndGet();
					ObjectNode value = MAPPER.createObjectNode().put("w", writer).put("s", seq);
					Write write = new Write("load" + (seq % TABLES) + "/w" + writer + "-" + seq, MAPPER.writeValueAsString(value));
					this.writes.add(write);
					try {
						CompletableFuture<Void> future = this.store.set(write.key, 1, value);
						write.future = future;
						pending.addLast(future);
						future.whenComplete((ok, failure) -> {
							if (failure == null) {
								write.committedAt = System.nanoTime();
							}
							else {
								write.failed = true;
							}
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

		long acknowledged() {
			return this.writes.stream().filter((write) -> write.committedAt != 0).count();
		}

		long failed() {
			return this.writes.stream().filter((write) -> write.failed).count();
		}

		long refused() {
			return this.writes.stream().filter((write) -> write.refused != null).count();
		}

		void awaitAcknowledged(long count) {
			await().atMost(WAIT).until(() -> acknowledged() >= count);
		}

		/**
		 * Waits until a write accepted after the server came back has committed, and the listener has
		 * reported the {@code gaps}th gap (if any), and describes how long each took.
		 */
		String recovery(String fault, long injected, long serverBack, List<Long> missedAt, int gaps) {
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
		Outcome finish() throws Exception {
			this.writing = false;
			for (Future<?> writer : this.running) {
				writer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
			}
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

	}

	/** Key ({@code table/id}) to stored JSON text of every row the load may have written. */
	private static Map<String, String> rows(String schema) throws SQLException {
		Map<String, String> rows = new HashMap<>();
		try (Connection connection = postgres.connect(); Statement statement = connection.createStatement()) {
			for (int table = 0; table < TABLES; table++) {
				String name = "load" + table;
				try (ResultSet rs = statement.executeQuery("SELECT id, val FROM " + Identifiers.qualify(schema, name))) {
					while (rs.next()) {
						rows.put(name + "/" + rs.getString(1), rs.getString(2));
					}
				}
			}
		}
		return rows;
	}

	private static long millis(long nanos) {
		return TimeUnit.NANOSECONDS.toMillis(nanos);
	}

}
