package io.deepstream.storage.store;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.deepstream.storage.test.TestSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A batch whose connection dies mid-flush is retried and committed; its caller sees success.
 */
@ExtendWith(TestSchema.class)
class TransientFailureIT {

	@Test
	void retriesABatchWhoseBackendWasTerminated(TestSchema.Name schema) throws Exception {
		try (StoreFixture fixture = StoreFixture.start(schema.value()); Connection blocker = schema.database().connect()) {
			PostgresRecordStore store = fixture.store;
			store.set("victim/seed", 1, Map.of()).join();
			blocker.setAutoCommit(false);
			try (Statement statement = blocker.createStatement()) {
				statement.execute("LOCK TABLE \"" + schema + "\".victim IN ACCESS EXCLUSIVE MODE");
			}
			CompletableFuture<Void> write = store.set("victim/x", 2, Map.of("survived", true));
			String waitingInsert = "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO \"" + schema + "\".%'";
			await().until(() -> !store.query(waitingInsert).isEmpty());
			int pid = (Integer) store.query(waitingInsert).get(0).get("pid");
			store.query("SELECT pg_terminate_backend(?)", pid);
			blocker.rollback();
			write.join();
			assertThat(store.statistics().retries()).isGreaterThanOrEqualTo(1);
			assertThat(store.get("victim/x").version()).isEqualTo(2);
			assertThat(store.query("SELECT version FROM \"" + schema + "\".victim WHERE id = 'x'")).containsExactly(Map.of("version", 2));
		}
	}

}
