package io.deepstream.storage.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import io.deepstream.storage.event.RecordDeletedEvent;
import io.deepstream.storage.event.RecordInsertedEvent;
import io.deepstream.storage.event.StorageChangeEvent;
import io.deepstream.storage.store.PostgresRecordStore;
import io.deepstream.storage.test.TestDatabase;
import io.deepstream.storage.test.TestSchema;
import io.deepstream.storage.test.ThrowawayPgBouncer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The auto-configured storage behind PgBouncer in transaction mode (a throwaway PgBouncer in front of
 * the test database): the pool goes through it with the default pool settings (no
 * {@code prepareThreshold} in the URL) and the listener connects directly through
 * {@code deepstream.storage.listener.url}; pointed at PgBouncer, the listener fails start-up, naming
 * {@code listener.url}, as it does when that URL does not answer.
 */
@ExtendWith(TestSchema.class)
class PgBouncerIT {

	private static ThrowawayPgBouncer bouncer;

	private static ApplicationContextRunner runner;

	private static String direct;

	private static String throughBouncer;

	@BeforeAll
	static void startPgBouncer(TestSchema.Name schema) {
		TestDatabase database = schema.database();
		bouncer = ThrowawayPgBouncer.start(database.url(), database.username(), database.password());
		direct = database.url();
		throughBouncer = bouncer.jdbcUrlOf(database.url());
		runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DeepstreamStorageAutoConfiguration.class))
			.withUserConfiguration(Events.class)
			.withPropertyValues("deepstream.storage.user=" + database.username(),
					"deepstream.storage.password=" + database.password(), "deepstream.storage.schema=" + schema.value(),
					"deepstream.storage.write-interval=20ms");
	}

	@AfterAll
	static void stopPgBouncer() {
		if (bouncer != null) {
			bouncer.close();
		}
	}

	@Test
	void poolThroughPgBouncerAndListenerDirect() {
		runner.withPropertyValues("deepstream.storage.url=" + throughBouncer, "deepstream.storage.listener.url=" + direct)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				HikariDataSource pool = (HikariDataSource) context.getBean(DeepstreamStorageDataSource.class).getDataSource();
				assertThat(pool.getJdbcUrl()).isEqualTo(throughBouncer);
				PostgresRecordStore store = context.getBean(PostgresRecordStore.class);
				List<StorageChangeEvent> events = context.getBean(Events.class).received;
				// every statement many times over, on transactions that PgBouncer spreads over its server
				// connections: a server-side prepared statement would be missing on most of them
				for (int round = 0; round < 10; round++) {
					List<CompletableFuture<Void>> writes = new java.util.ArrayList<>();
					for (int i = 0; i < 50; i++) {
						writes.add(store.set("bounced" + (i % 5) + "/r" + round + "-" + i, round, Map.of("i", i)));
					}
					CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
					assertThat(store.get("bounced" + round % 5 + "/r" + round + "-" + round % 5).version()).isEqualTo(round);
				}
				store.delete("bounced0/r9-0").get(30, TimeUnit.SECONDS);
				assertThat(store.get("bounced0/r9-0").version()).isEqualTo(-1);
				assertThat(store.statistics().writesFailed()).isZero();
				await().untilAsserted(() -> assertThat(events)
					.filteredOn(RecordInsertedEvent.class::isInstance)
					.hasSize(500));
				await().untilAsserted(() -> assertThat(events).filteredOn(RecordDeletedEvent.class::isInstance)
					.singleElement()
					.satisfies((event) -> assertThat(((RecordDeletedEvent) event).getRecordName()).isEqualTo("bounced0/r9-0")));
			});
	}

	@Test
	void listenerPointedAtPgBouncerFailsStartUpNamingListenerUrl() {
		runner.withPropertyValues("deepstream.storage.url=" + direct, "deepstream.storage.listener.url=" + throughBouncer)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("did not arrive");
				assertThat(context.getStartupFailure()).hasStackTraceContaining(
						"cannot receive notifications through deepstream.storage.listener.url (" + throughBouncer + ")");
			});
	}

	@Test
	void poolAndListenerBothOnPgBouncerFailsStartUpNamingListenerUrl() {
		runner.withPropertyValues("deepstream.storage.url=" + throughBouncer).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("Point deepstream.storage.listener.url at the primary "
					+ "PostgreSQL server directly").hasStackTraceContaining("pool_mode = transaction");
		});
	}

	@Test
	void listenerUrlThatDoesNotAnswerFailsStartUpNamingIt() {
		String nowhere = "jdbc:postgresql://127.0.0.1:1/postgres";
		runner.withPropertyValues("deepstream.storage.url=" + direct, "deepstream.storage.listener.url=" + nowhere,
				"deepstream.storage.startup-timeout=500ms")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasStackTraceContaining("PostgreSQL at " + nowhere + " did not answer")
					.hasStackTraceContaining("Check deepstream.storage.listener.url");
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class Events {

		final List<StorageChangeEvent> received = new CopyOnWriteArrayList<>();

		@EventListener
		void on(StorageChangeEvent event) {
			this.received.add(event);
		}

	}

}
