package io.deepstream.storage.autoconfigure;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.deepstream.storage.event.NotificationEventBridge;
import io.deepstream.storage.store.PostgresRecordStore;
import io.deepstream.storage.test.TestSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Closing the application context while writer threads are busy: every acknowledged write is in the
 * database with its value, every write accepted before the close is settled (none hangs), every write
 * after it is refused at once with a clear exception, and no thread of deepstream's storage is left
 * running.
 */
@ExtendWith(TestSchema.class)
class ShutdownUnderLoadIT {

	private static final int WRITERS = 4;

	private static final int TABLES = 5;

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	/** One write and what became of it. */
	private record Write(String table, String id, String json, CompletableFuture<Void> future) {
	}

	@Test
	void closingTheContextUnderLoadLosesNoAcknowledgedWriteAndLeavesNoThread(TestSchema.Name schema) throws Exception {
		Set<Thread> before = Thread.getAllStackTraces().keySet();
		Queue<Write> writes = new ConcurrentLinkedQueue<>();
		List<RuntimeException> refused = new CopyOnWriteArrayList<>();
		List<Thread> writers = new ArrayList<>();
		List<String> running = new CopyOnWriteArrayList<>();
		AtomicLong sequence = new AtomicLong();
		AtomicLong committed = new AtomicLong();
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DeepstreamStorageAutoConfiguration.class))
			.withPropertyValues("deepstream.storage.url=" + schema.database().url(),
					"deepstream.storage.user=" + schema.database().username(),
					"deepstream.storage.password=" + schema.database().password(), "deepstream.storage.schema=" + schema,
					"deepstream.storage.write-interval=50ms")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				context.getBean(NotificationEventBridge.class).subscribe().get(WAIT.toSeconds(), TimeUnit.SECONDS);
				PostgresRecordStore store = context.getBean(PostgresRecordStore.class);
				for (int w = 0; w < WRITERS; w++) {
					int writer = w;
					Thread thread = new Thread(() -> write(store, writer, sequence, writes, committed, refused),
							"test-writer-" + writer);
					writers.add(thread);
					thread.start();
				}
				await().atMost(WAIT).until(() -> committed.get() >= 5000);
				running.addAll(deepstreamThreads(before));
				// returning closes the context while the writers write
			});
		long closed = System.nanoTime();
		for (Thread writer : writers) {
			writer.join(WAIT.toMillis());
			assertThat(writer.isAlive()).as("%s ends once its writes are refused", writer.getName()).isFalse();
		}

		// every write accepted before the close was settled by it, and none failed
		assertThat(writes).allSatisfy((write) -> assertThat(write.future).as("%s/%s", write.table, write.id)
			.isCompletedWithValue(null));
		Map<String, String> stored = rows(schema);
		assertThat(writes).allSatisfy((write) -> assertThat(stored.get(write.table + "/" + write.id))
			.as("value of %s/%s", write.table, write.id)
			.isEqualTo(write.json));
		// every writer met the closed store, which said so at once
		assertThat(refused).hasSize(WRITERS).allSatisfy((refusal) -> assertThat(refusal)
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("closed"));
		// and nothing of deepstream's storage runs any more
		assertThat(running).as("threads while running").anyMatch((name) -> name.startsWith("deepstream-flusher-"))
			.anyMatch((name) -> name.startsWith("deepstream-flush-"))
			.anyMatch((name) -> name.startsWith("deepstream-listener-"))
			.anyMatch((name) -> name.startsWith("deepstream-storage:"));
		List<String> left = deepstreamThreads(before);
		assertThat(left).as("threads left %d ms after the close", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closed))
			.isEmpty();
		System.out.printf("ShutdownUnderLoadIT: context closed under %d writers after %d writes: all acknowledged and"
				+ " stored, %d refused after the close with IllegalStateException; of the threads %s none is left%n",
				WRITERS, writes.size(), refused.size(), running);
	}

	/** The live threads of deepstream's storage (named deepstream-*) that were not there before. */
	private static List<String> deepstreamThreads(Set<Thread> before) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> !before.contains(thread) && thread.isAlive())
			.map(Thread::getName)
			.filter((name) -> name.startsWith("deepstream-"))
			.sorted()
			.toList();
	}

	/** Writes new records, a bounded number in flight, until the store refuses. */
	private static void write(PostgresRecordStore store, int writer, AtomicLong sequence, Queue<Write> writes,
			AtomicLong committed, List<RuntimeException> refused) {
		Semaphore inFlight = new Semaphore(200);
		try {
			while (true) {
				if (!inFlight.tryAcquire(WAIT.toSeconds(), TimeUnit.SECONDS)) {
					throw new IllegalStateException("writes stopped settling");
				}
				long seq = sequence.incrementAndGet();
				String table = "closing" + (seq % TABLES);
				ObjectNode value = MAPPER.createObjectNode().put("w", writer).put("s", seq);
				CompletableFuture<Void> future;
				try {
					future = store.set(table + "/" + seq, 1, value);
				}
				catch (IllegalStateException ex) {
					refused.add(ex);
					return;
				}
				writes.add(new Write(table, Long.toString(seq), MAPPER.writeValueAsString(value), future));
				future.whenComplete((ok, failure) -> {
					if (failure == null) {
						committed.incrementAndGet();
					}
					inFlight.release();
				});
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static Map<String, String> rows(TestSchema.Name schema) throws SQLException {
		Map<String, String> rows = new HashMap<>();
		try (Connection connection = schema.database().connect(); Statement statement = connection.createStatement()) {
			for (int table = 0; table < TABLES; table++) {
				try (ResultSet rs = statement.executeQuery("SELECT id, val FROM \"" + schema + "\".closing" + table)) {
					while (rs.next()) {
						rows.put("closing" + table + "/" + rs.getString(1), rs.getString(2));
					}
				}
			}
		}
		return rows;
	}

}
