package io.deepstream.storage.store;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.deepstream.storage.core.Identifiers;
import io.deepstream.storage.test.TestSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code close()} that cannot drain within its {@code closeTimeout}: a table is locked by another
 * session, so its batch in flight cannot commit and the writes queued behind it cannot be sent. When
 * the timeout passes, {@code close()} returns and the queued writes fail visibly; the batch in flight
 * settles its own futures once its statement returns; writes to other tables were flushed.
 */
@ExtendWith(TestSchema.class)
class CloseTimeoutIT {

	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(1);

	@Test
	void writesThatCannotCommitWithinTheCloseTimeoutFailVisiblyAndNoneVanishes(TestSchema.Name schema) throws Exception {
		String table = Identifiers.qualify(schema.value(), "jammed");
		try (StoreFixture fixture = StoreFixture.start(schema.value(), (options) -> options.closeTimeout(CLOSE_TIMEOUT));
				Connection blocker = schema.database().connect()) {
			PostgresRecordStore store = fixture.store;
			assertThat(store.options().closeTimeout()).isEqualTo(CLOSE_TIMEOUT);
			store.set("jammed/seed", 1, Map.of()).join();
			blocker.setAutoCommit(false);
			try (Statement statement = blocker.createStatement()) {
				statement.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
			}
			CompletableFuture<Void> inFlight = store.set("jammed/in-flight", 1, Map.of("n", 0));
			String waitingInsert = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO "
					+ table.replace("_", "\\_") + "%'";
			await().until(() -> schema.database().queryForLong(waitingInsert) == 1);
			List<CompletableFuture<Void>> queued = new ArrayList<>();
			for (int i = 1; i <= 20; i++) {
				queued.add(store.set("jammed/q" + i, 1, Map.of("n", i)));
			}
			CompletableFuture<Void> elsewhere = store.set("free/x", 1, Map.of());

			long start = System.nanoTime();
			store.close();
			Duration closing = Duration.ofNanos(System.nanoTime() - start);

			assertThat(closing).as("close() waited for its timeout, not the default minute")
				.isGreaterThanOrEqualTo(CLOSE_TIMEOUT)
				.isLessThan(RecordStoreOptions.DEFAULT_CLOSE_TIMEOUT);
			assertThat(elsewhere).as("flushed on close").isCompleted();
			assertThat(queued).allSatisfy((write) -> assertThat(write).failsWithin(Duration.ZERO)
				.withThrowableOfType(ExecutionException.class)
				.havingCause()
				.isInstanceOf(RecordWriteException.class)
				.withMessageContaining("closed before this write was committed"));
			assertThat(store.statistics().buffered()).as("only the batch in flight is left").isOne();
			assertThat(inFlight).isNotDone();

			blocker.rollback();
			inFlight.get(20, TimeUnit.SECONDS);
			assertThat(schema.database().queryForLong("SELECT count(*) FROM " + table)).isEqualTo(2); // seed, in-flight
			assertThat(store.get("jammed/q1")).isEqualTo(StoredRecord.MISSING);
		}
	}

}
