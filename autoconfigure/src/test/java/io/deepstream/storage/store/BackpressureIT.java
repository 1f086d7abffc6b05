package io.deepstream.storage.store;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.deepstream.storage.test.TestSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.dao.TransientDataAccessException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * When PostgreSQL is slower than the writers the buffer stays bounded: {@code set} fails fast or
 * waits, as configured, and nothing already accepted is lost.
 */
@ExtendWith(TestSchema.class)
class BackpressureIT {

	@Test
	void failsFastWhenTheBufferIsFullAndRecoversWhenTheDatabaseCatchesUp(TestSchema.Name schema) throws Exception {
		try (StoreFixture fixture = StoreFixture.start(schema.value(), (options) -> options.maxBatchSize(10)
			.maxBufferedWrites(20)
			.whenBufferFull(WhenBufferFull.FAIL)); Connection blocker = schema.database().connect()) {
			PostgresRecordStore store = fixture.store;
			store.set("slow/seed", 1, Map.of()).join();
			blocker.setAutoCommit(false);
			try (Statement statement = blocker.createStatement()) {
				statement.execute("LOCK TABLE \"" + schema + "\".slow IN ACCESS EXCLUSIVE MODE");
			}
			List<CompletableFuture<Void>> accepted = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				accepted.add(store.set("slow/" + i, 1, Map.of("i", i)));
			}
			assertThat(store.statistics().buffered()).isEqualTo(20);
			assertThatThrownBy(() -> store.set("slow/overflow", 1, Map.of())).isInstanceOf(BufferFullException.class)
				.isInstanceOf(TransientDataAccessException.class)
				.hasMessageContaining("maxBufferedWrites=20");
			assertThat(store.statistics().buffered()).as("the refused write was not buffered").isEqualTo(20);
			blocker.rollback();
			CompletableFuture.allOf(accepted.toArray(CompletableFuture[]::new)).join();
			store.set("slow/after", 1, Map.of()).join();
			assertThat(store.get("slow/overflow").exists()).isFalse();
			assertThat(store.getSchemaOverview()).containsEntry("slow", 22L);
		}
	}

	@Test
	void blocksUntilThereIsRoomOrTheTimeoutPasses(TestSchema.Name schema) throws Exception {
		try (StoreFixture fixture = StoreFixture.start(schema.value(), (options) -> options.maxBatchSize(5)
			.maxBufferedWrites(5)
			.whenBufferFull(WhenBufferFull.BLOCK)
			.bufferFullTimeout(Duration.ofMillis(300))); Connection blocker = schema.database().connect()) {
			PostgresRecordStore store = fixture.store;
			store.set("held/seed", 1, Map.of()).join();
			blocker.setAutoCommit(false);
			try (Statement statement = blocker.createStatement()) {
				statement.execute("LOCK TABLE \"" + schema + "\".held IN ACCESS EXCLUSIVE MODE");
			}
			for (int i = 0; i < 5; i++) {
				store.set("held/" + i, 1, Map.of());
			}
			long start = System.nanoTime();
			assertThatThrownBy(() -> store.set("held/late", 1, Map.of())).isInstanceOf(BufferFullException.class);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
			CompletableFuture<CompletableFuture<Void>> waiting = CompletableFuture.supplyAsync(() -> store.set("held/patient", 1, Map.of()));
			await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(() -> !waiting.isDone());
			blocker.rollback();
			waiting.join().join();
			assertThat(store.get("held/patient").exists()).isTrue();
		}
	}

}
