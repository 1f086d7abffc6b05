package io.deepstream.storage.autoconfigure;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import io.deepstream.storage.autoconfigure.health.DeepstreamStorageHealthIndicator;
import io.deepstream.storage.listen.ListenerOptions;
import io.deepstream.storage.listen.NotificationListener;
import io.deepstream.storage.store.PostgresRecordStore;
import io.deepstream.storage.store.RecordStoreOptions;
import io.deepstream.storage.test.TestSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The health indicator goes DOWN, with a reason an operator can act on, for each problem it watches.
 */
@ExtendWith(TestSchema.class)
class DeepstreamStorageHealthIndicatorIT {

	@Test
	void downWhenTheListenerCannotConnect(TestSchema.Name schema) {
		try (HikariDataSource pool = schema.database().newDataSource(2)) {
			PostgresRecordStore store = new PostgresRecordStore(pool, JsonMapper.builder().build(),
					RecordStoreOptions.builder().schema(schema.value()).build());
			NotificationListener listener = new NotificationListener(() -> {
				throw new SQLException("connection refused", "08001");
			}, ListenerOptions.builder().schema(schema.value()).build());
			listener.start();
			try {
				Health health = new DeepstreamStorageHealthIndicator(store, listener).health();
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails()).containsEntry("database", "reachable")
					.containsEntry("listener", "disconnected");
				assertThat((String) health.getDetails().get("reason")).contains("listener is disconnected");
			}
			finally {
				listener.stop();
			}
		}
	}

	@Test
	void downWhenTheListenerIsNotRunning(TestSchema.Name schema) {
		try (HikariDataSource pool = schema.database().newDataSource(2)) {
			PostgresRecordStore store = new PostgresRecordStore(pool, JsonMapper.builder().build(),
					RecordStoreOptions.builder().schema(schema.value()).build());
			// stopped, or its thread died of an error it could not survive: no changes are published
			NotificationListener listener = new NotificationListener(() -> schema.database().connect(),
					ListenerOptions.builder().schema(schema.value()).build());
			Health health = new DeepstreamStorageHealthIndicator(store, listener).health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat((String) health.getDetails().get("reason")).contains("listener is not running");
		}
	}

	@Test
	void downWhenTheWriteBacklogNearlyFillsTheBuffer(TestSchema.Name schema) throws Exception {
		try (HikariDataSource pool = schema.database().newDataSource(3); Connection blocker = schema.database().connect()) {
			PostgresRecordStore store = new PostgresRecordStore(pool, JsonMapper.builder().build(),
					RecordStoreOptions.builder().schema(schema.value()).writeInterval(Duration.ofMillis(20))
						.maxBatchSize(10).maxBufferedWrites(10).build());
			store.start();
			try {
				store.set("backlog/seed", 1, Map.of()).join();
				DeepstreamStorageHealthIndicator indicator = new DeepstreamStorageHealthIndicator(store, null);
				assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
				blocker.setAutoCommit(false);
				try (Statement statement = blocker.createStatement()) {
					statement.execute("LOCK TABLE \"" + schema + "\".backlog IN ACCESS EXCLUSIVE MODE");
				}
				for (int i = 0; i < 9; i++) {
					store.set("backlog/" + i, 1, Map.of());
				}
				Health health = indicator.health();
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails()).containsEntry("bufferedWrites", 9).containsEntry("maxBufferedWrites", 10);
				assertThat((String) health.getDetails().get("reason")).contains("write backlog at 9 of 10");
				blocker.rollback();
				await().until(() -> indicator.health().getStatus().equals(Status.UP));
			}
			finally {
				store.close();
			}
		}
	}

}
