package io.deepstream.storage.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.deepstream.storage.test.TestSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several processes (here: stores with pools of their own) creating and dropping the same tables at
 * the same moment lose no write and report no error.
 */
@ExtendWith(TestSchema.class)
class ConcurrencyIT {

	private static final int STORES = 4;

	@Test
	void fourStoresWriteTheFirstRecordsOfTheSameNewTablesAtOnce(TestSchema.Name schema) throws Exception {
		List<StoreFixture> fixtures = new ArrayList<>();
		for (int i = 0; i < STORES; i++) {
			fixtures.add(StoreFixture.start(schema.value()));
		}
		ExecutorService pool = Executors.newFixedThreadPool(STORES);
		try {
			CyclicBarrier start = new CyclicBarrier(STORES);
			List<Future<List<CompletableFuture<Void>>>> writers = new ArrayList<>();
			for (int s = 0; s < STORES; s++) {
				PostgresRecordStore store = fixtures.get(s).store;
				int storeIndex = s;
				writers.add(pool.submit(() -> {
					start.await();
					List<CompletableFuture<Void>> futures = new ArrayList<>();
					for (int table = 0; table < 10; table++) {
						for (int record = 0; record < 25; record++) {
							futures.add(store.set("race" + table + "/s" + storeIndex + "-" + record, 1, Map.of("s", storeIndex)));
						}
					}
					return futures;
				}));
			}
			for (Future<List<CompletableFuture<Void>>> writer : writers) {
				CompletableFuture.allOf(writer.get().toArray(CompletableFuture[]::new)).join();
			}
			Map<String, Long> overview = fixtures.get(0).store.getSchemaOverview();
			for (int table = 0; table < 10; table++) {
				assertThat(overview).containsEntry("race" + table, (long) STORES * 25);
			}
			assertThat(fixtures.stream().mapToLong((f) -> f.store.statistics().writesFailed()).sum()).isZero();
			assertThat(fixtures.stream().mapToLong((f) -> f.store.statistics().tablesCreated()).sum()).isEqualTo(10);
		}
		finally {
			pool.shutdownNow();
			fixtures.forEach(StoreFixture::close);
		}
	}

	@Test
	void deletingTheLastRowWhileAnotherStoreWritesLosesNoWrite(TestSchema.Name schema) throws Exception {
		try (StoreFixture deleter = StoreFixture.start(schema.value()); StoreFixture writer = StoreFixture.start(schema.value())) {
			for (int round = 0; round < 30; round++) {
				String table = "churn" + round;
				deleter.store.set(table + "/only", 1, Map.of()).join();
				CompletableFuture<Void> delete = deleter.store.delete(table + "/only");
				CompletableFuture<Void> write = writer.store.set(table + "/survivor", 1, Map.of("round", round));
				CompletableFuture.allOf(delete, write).join();
				assertThat(writer.store.get(table + "/survivor").exists()).as("round %d", round).isTrue();
				assertThat(deleter.store.getSchemaOverview()).containsEntry(table, 1L);
			}
			assertThat(deleter.store.statistics().writesFailed() + writer.store.statistics().writesFailed()).isZero();
		}
	}

}
