package io.deepstream.storage.store;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import io.deepstream.storage.test.TestSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The threads that flush the buffered writes: the store's own by default, the application's when it
 * passes a {@link ThreadFactory}.
 */
@ExtendWith(TestSchema.class)
class FlushThreadsIT {

	@Test
	void withoutAThreadFactoryBatchesAreWrittenOnTheStoresOwnThreads(TestSchema.Name schema) {
		CommittingThreads committing = new CommittingThreads();
		try (HikariDataSource dataSource = StoreFixture.pools.apply(2);
				PostgresRecordStore store = new PostgresRecordStore(dataSource, StoreFixture.MAPPER, options(schema),
						committing)) {
			store.start();
			store.set("cars/bmw", 1, Map.of("color", "blue")).join();
		}
		assertThat(committing.names).isNotEmpty().allMatch((name) -> name.startsWith("deepstream-flush-"));
	}

	@Test
	void aSuppliedThreadFactoryMakesEveryFlushThread(TestSchema.Name schema) {
		List<Thread> made = new CopyOnWriteArrayList<>();
		AtomicInteger count = new AtomicInteger();
		ThreadFactory threadFactory = (runnable) -> {
			Thread thread = new Thread(runnable, "app-store-" + count.incrementAndGet());
			made.add(thread);
			return thread;
		};
		CommittingThreads committing = new CommittingThreads();
		try (HikariDataSource dataSource = StoreFixture.pools.apply(2);
				PostgresRecordStore store = new PostgresRecordStore(dataSource, StoreFixture.MAPPER, options(schema),
						committing, true, threadFactory)) {
			store.start();
			store.set("cars/bmw", 1, Map.of("color", "blue")).join();
			store.set("planes/a380", 1, Map.of("seats", 853)).join();
		}
		// one thread takes the batches from the buffer, the others write them
		assertThat(made).hasSizeGreaterThanOrEqualTo(2);
		assertThat(committing.names).isNotEmpty().allMatch((name) -> name.startsWith("app-store-"));
		// close() ends them, as it ends its own
		await().atMost(Duration.ofSeconds(20)).until(() -> made.stream().noneMatch(Thread::isAlive));
	}

	private static RecordStoreOptions options(TestSchema.Name schema) {
		return RecordStoreOptions.builder().schema(schema.value()).build();
	}

	/** Records the names of the threads that committed batches. */
	private static final class CommittingThreads implements RecordStoreObserver {

		final Set<String> names = ConcurrentHashMap.newKeySet();

		@Override
		public void batchCommitted(String table, int writes, long nanos) {
			this.names.add(Thread.currentThread().getName());
		}

	}

}
