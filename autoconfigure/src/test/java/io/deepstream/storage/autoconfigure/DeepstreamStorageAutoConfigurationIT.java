package io.deepstream.storage.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.deepstream.storage.autoconfigure.health.DeepstreamStorageHealthAutoConfiguration;
import io.deepstream.storage.autoconfigure.health.DeepstreamStorageHealthIndicator;
import io.deepstream.storage.autoconfigure.metrics.DeepstreamStorageMetricsAutoConfiguration;
import io.deepstream.storage.event.NotificationEventBridge;
import io.deepstream.storage.event.RecordInsertedEvent;
import io.deepstream.storage.event.StorageChangeEvent;
import io.deepstream.storage.listen.NotificationListener;
import io.deepstream.storage.store.PostgresRecordStore;
import io.deepstream.storage.store.RecordStoreObserver;
import io.deepstream.storage.store.RecordStoreOptions;
import io.deepstream.storage.test.TestDatabase;
import io.deepstream.storage.test.TestSchema;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The auto-configuration against a real PostgreSQL: beans, conditions and back-off, coexistence with
 * the application's own DataSource, events, health, metrics, start-up and shutdown.
 */
@ExtendWith(TestSchema.class)
class DeepstreamStorageAutoConfigurationIT {

	private static TestSchema.Name schema;

	private static ApplicationContextRunner runner;

	@BeforeAll
	static void database(TestSchema.Name name) {
		schema = name;
		TestDatabase database = name.database();
		runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DeepstreamStorageAutoConfiguration.class,
					DeepstreamStorageHealthAutoConfiguration.class, DeepstreamStorageMetricsAutoConfiguration.class))
			.withPropertyValues("deepstream.storage.url=" + database.url(), "deepstream.storage.user=" + database.username(),
					"deepstream.storage.password=" + database.password(), "deepstream.storage.schema=" + name.value(),
					"deepstream.storage.write-interval=20ms");
	}

	@Test
	void configuresThePoolStoreListenerAndBridgeWithoutADataSourceBean() {
		runner.run((context) -> {
			assertThat(context).hasSingleBean(PostgresRecordStore.class)
				.hasSingleBean(NotificationListener.class)
				.hasSingleBean(NotificationEventBridge.class)
				.hasSingleBean(DeepstreamStorageDataSource.class)
				.hasSingleBean(DeepstreamStorageHealthIndicator.class)
				.doesNotHaveBean(DataSource.class)
				.doesNotHaveBean(JdbcTemplate.class)
				.doesNotHaveBean(JsonMapper.class);
			DeepstreamStorageDataSource storage = context.getBean(DeepstreamStorageDataSource.class);
			assertThat(storage.isOwnPool()).isTrue();
			assertThat(storage.getDataSource()).isInstanceOfSatisfying(HikariDataSource.class,
					(pool) -> assertThat(pool.getPoolName()).isEqualTo("deepstream-storage"));
			PostgresRecordStore store = context.getBean(PostgresRecordStore.class);
			assertThat(store.options().schema()).isEqualTo(schema.value());
			store.set("auto/x", 1, Map.of("a", 1)).join();
			assertThat(store.get("auto/x").version()).isEqualTo(1);
		});
	}

	@Test
	void leavesTheApplicationsDataSourceJdbcTemplateAndJsonMapperAlone() {
		runner
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
					JacksonAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=" + schema.database().url() + "?ApplicationName=app-own",
					"spring.datasource.username=" + schema.database().username(),
					"spring.datasource.password=" + schema.database().password())
			.run((context) -> {
				assertThat(context).hasSingleBean(DataSource.class).hasSingleBean(JdbcTemplate.class)
					.hasSingleBean(JsonMapper.class).hasSingleBean(PostgresRecordStore.class);
				HikariDataSource application = context.getBean(HikariDataSource.class);
				assertThat(application.getJdbcUrl()).endsWith("ApplicationName=app-own");
				assertThat(application.getPoolName()).isNotEqualTo("deepstream-storage");
				assertThat(context.getBean(PostgresRecordStore.class).dataSource()).isNotSameAs(application);
				assertThat(context.getBean(JdbcTemplate.class).getDataSource()).isSameAs(application);
			});
	}

	@Test
	void canUseTheApplicationsDataSource() {
		runner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
			.withPropertyValues("deepstream.storage.use-application-data-source=true",
					"spring.datasource.url=" + schema.database().url(),
					"spring.datasource.username=" + schema.database().username(),
					"spring.datasource.password=" + schema.database().password())
			.run((context) -> {
				DataSource application = context.getBean(DataSource.class);
				assertThat(context.getBean(PostgresRecordStore.class).dataSource()).isSameAs(application);
				assertThat(context.getBean(DeepstreamStorageDataSource.class).isOwnPool()).isFalse();
				context.getBean(PostgresRecordStore.class).set("shared/x", 1, Map.of()).join();
			});
	}

	@Test
	void switchesOffEntirely() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DeepstreamStorageAutoConfiguration.class,
				DeepstreamStorageHealthAutoConfiguration.class, DeepstreamStorageMetricsAutoConfiguration.class))
			.withPropertyValues("deepstream.storage.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(PostgresRecordStore.class)
				.doesNotHaveBean(DeepstreamStorageDataSource.class)
				.doesNotHaveBean(DeepstreamStorageProperties.class)
				.doesNotHaveBean(DeepstreamStorageHealthIndicator.class));
	}

	@Test
	void backsOffWithoutHikariPgjdbcOrJackson() {
		runner.withClassLoader(new FilteredClassLoader(HikariDataSource.class))
			.run((context) -> assertThat(context).doesNotHaveBean(PostgresRecordStore.class));
		runner.withClassLoader(new FilteredClassLoader(org.postgresql.Driver.class))
			.run((context) -> assertThat(context).doesNotHaveBean(PostgresRecordStore.class));
		runner.withClassLoader(new FilteredClassLoader(JsonMapper.class))
			.run((context) -> assertThat(context).doesNotHaveBean(PostgresRecordStore.class));
	}

	@Test
	void hasNoListenerWhenEveryNotificationIsOff() {
		runner
			.withPropertyValues("deepstream.storage.notifications.CREATE_TABLE=false",
					"deepstream.storage.notifications.destroy-table=false", "deepstream.storage.notifications.insert=false",
					"deepstream.storage.notifications.update=false", "deepstream.storage.notifications.delete=false")
			.run((context) -> assertThat(context).hasSingleBean(PostgresRecordStore.class)
				.doesNotHaveBean(NotificationListener.class)
				.doesNotHaveBean(NotificationEventBridge.class));
	}

	@Test
	void backsOffForAUserDefinedStore() {
		runner.withUserConfiguration(OwnStore.class).run((context) -> {
			assertThat(context).hasSingleBean(PostgresRecordStore.class);
			assertThat(context.getBean(PostgresRecordStore.class).options().defaultTable()).isEqualTo("mine");
		});
	}

	@Test
	void publishesChangesMadeFromAnotherConnectionToEventListenerBeans() {
		runner.withUserConfiguration(Listeners.class).run((context) -> {
			Listeners listeners = context.getBean(Listeners.class);
			PostgresRecordStore store = context.getBean(PostgresRecordStore.class);
			context.getBean(NotificationEventBridge.class).subscribe().join();
			store.set("cars/seed", 1, Map.of()).join();
			store.set("bikes/seed", 1, Map.of()).join();
			schema.database().execute("INSERT INTO \"" + schema + "\".cars (id, version, val) VALUES (?, 1, '{}')", "from:psql");
			schema.database().execute("INSERT INTO \"" + schema + "\".bikes (id, version, val) VALUES (?, 1, '{}')", "also:psql");
			await().untilAsserted(() -> assertThat(listeners.cars).containsExactly("cars/seed", "cars/from:psql"));
			await().untilAsserted(() -> assertThat(listeners.all).contains("INSERT cars/from:psql", "INSERT bikes/also:psql",
					"CREATE_TABLE cars", "CREATE_TABLE bikes"));
			assertThat(listeners.threads).allMatch((thread) -> !thread.equals(Thread.currentThread().getName()));
		});
	}

	@Test
	void makesTheStoresAndTheListenersThreadsWithTheQualifiedThreadFactory() {
		runner.withUserConfiguration(QualifiedThreadFactory.class, ThreadWitnesses.class).run((context) -> {
			QualifiedThreadFactory factory = context.getBean(QualifiedThreadFactory.class);
			ThreadWitnesses witnesses = context.getBean(ThreadWitnesses.class);
			context.getBean(NotificationEventBridge.class).subscribe().join();
			context.getBean(PostgresRecordStore.class).set("threads/x", 1, Map.of()).join();
			await().untilAsserted(() -> assertThat(witnesses.listenerThreads).isNotEmpty());
			assertThat(witnesses.flushThreads).isNotEmpty().allMatch(factory.made::contains);
			assertThat(witnesses.listenerThreads).allMatch(factory.made::contains);
			// and the flusher's coordinator: one thread more than the flush workers and the listener
			assertThat(factory.made).hasSizeGreaterThanOrEqualTo(3)
				.allMatch((thread) -> thread.getName().startsWith("app-storage-"));
		});
	}

	@Test
	void leavesAThreadFactoryWithoutTheQualifierAlone() {
		runner.withUserConfiguration(PlainThreadFactory.class).run((context) -> {
			context.getBean(PostgresRecordStore.class).set("plain-threads/x", 1, Map.of()).join();
			assertThat(context).hasSingleBean(NotificationListener.class);
			assertThat(context.getBean(PlainThreadFactory.class).made).hasValue(0);
		});
	}

	@Test
	void flushesBufferedWritesWhenTheContextCloses() {
		List<CompletableFuture<Void>> writes = new CopyOnWriteArrayList<>();
		runner.withPropertyValues("deepstream.storage.write-interval=1h").run((context) -> {
			PostgresRecordStore store = context.getBean(PostgresRecordStore.class);
			for (int i = 0; i < 500; i++) {
				writes.add(store.set("shutdown/" + i, 1, Map.of("i", i)));
			}
			assertThat(writes).noneMatch(CompletableFuture::isDone);
		});
		assertThat(writes).allMatch((write) -> write.isDone() && !write.isCompletedExceptionally());
		assertThat(schema.database().queryForLong("SELECT count(*) FROM \"" + schema + "\".shutdown")).isEqualTo(500);
	}

	@Test
	void reportsHealthWithDetails() {
		runner.run((context) -> {
			context.getBean(NotificationEventBridge.class).subscribe().join();
			Health health = context.getBean(DeepstreamStorageHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("database", "reachable")
				.containsEntry("listener", "connected")
				.containsEntry("schema", schema.value())
				.containsKeys("bufferedWrites", "maxBufferedWrites", "reconnects");
		});
	}

	@Test
	void reportsDownWithAReasonWhenPostgresIsUnreachable() {
		HikariDataSource unreachable = new HikariDataSource();
		unreachable.setJdbcUrl("jdbc:postgresql://127.0.0.1:1/none");
		unreachable.setConnectionTimeout(250);
		try (unreachable) {
			PostgresRecordStore store = new PostgresRecordStore(unreachable, JsonMapper.builder().build(),
					RecordStoreOptions.defaults());
			Health health = new DeepstreamStorageHealthIndicator(store, null).health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("reason", "PostgreSQL is unreachable");
		}
	}

	@Test
	void recordsMetrics() {
		runner
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
			.run((context) -> {
				// the LISTEN is in place before the first write, so every notification is received
				context.getBean(NotificationEventBridge.class).subscribe().join();
				PostgresRecordStore store = context.getBean(PostgresRecordStore.class);
				store.set("metered/a", 1, Map.of()).join();
				store.set("metered/b", 1, Map.of()).join();
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("deepstream.storage.writes.accepted").functionCounter().count()).isEqualTo(2);
				assertThat(registry.get("deepstream.storage.writes.committed").functionCounter().count()).isEqualTo(2);
				assertThat(registry.get("deepstream.storage.writes.failed").functionCounter().count()).isZero();
				// each write was joined before the next: one batch each
				assertThat(registry.get("deepstream.storage.flush").timer().count()).isEqualTo(2);
				assertThat(registry.get("deepstream.storage.batch.size").summary().count()).isEqualTo(2);
				assertThat(registry.get("deepstream.storage.batch.size").summary().totalAmount()).isEqualTo(2);
				assertThat(registry.get("deepstream.storage.flush.failures").functionCounter().count()).isZero();
				assertThat(registry.get("deepstream.storage.retries").functionCounter().count()).isZero();
				assertThat(registry.get("deepstream.storage.writes.buffered").gauge().value()).isZero();
				assertThat(registry.get("deepstream.storage.listener.connected").gauge().value()).isOne();
				assertThat(registry.get("deepstream.storage.listener.reconnects").functionCounter().count()).isZero();
				assertThat(registry.get("hikaricp.connections.max").tag("pool", "deepstream-storage").gauge().value())
					.isEqualTo(10); // the max property's default
				// CREATE_TABLE metered, INSERT metered a, INSERT metered b
				await().untilAsserted(() -> assertThat(
						registry.get("deepstream.storage.notifications.received").functionCounter().count()).isEqualTo(3));

				// three writes to one record (coalesced or not) and a flush while they wait: three writes, not more
				CompletableFuture<Void> three = CompletableFuture.allOf(store.set("metered/c", 1, Map.of()),
						store.set("metered/c", 2, Map.of()), store.set("metered/c", 3, Map.of()));
				store.flush().join();
				three.join();
				assertThat(registry.get("deepstream.storage.writes.accepted").functionCounter().count()).isEqualTo(5);
				assertThat(registry.get("deepstream.storage.writes.committed").functionCounter().count()).isEqualTo(5);

				// a batch PostgreSQL refuses (not transient: no retry) is one failure, its write one failed write
				schema.database().execute("CREATE TABLE \"" + schema + "\".refused (id text PRIMARY KEY, version int,"
						+ " val text NOT NULL CHECK (val <> '\"no\"'))");
				long batchesBefore = registry.get("deepstream.storage.batch.size").summary().count();
				assertThat(store.set("refused/x", 1, "no")).failsWithin(java.time.Duration.ofSeconds(10));
				assertThat(registry.get("deepstream.storage.flush.failures").functionCounter().count()).isOne();
				assertThat(registry.get("deepstream.storage.writes.failed").functionCounter().count()).isOne();
				assertThat(registry.get("deepstream.storage.retries").functionCounter().count()).isZero();
				assertThat(registry.get("deepstream.storage.batch.size").summary().count()).as("failed batches too")
					.isEqualTo(batchesBefore + 1);
			});
	}

	@Test
	void waitsForPostgresThenFailsWithAClearMessage() {
		runner.withPropertyValues("deepstream.storage.url=jdbc:postgresql://127.0.0.1:1/none",
				"deepstream.storage.startup-timeout=1s").run((context) -> {
					assertThat(context).hasFailed();
					assertThat(context.getStartupFailure()).rootCause().isNotNull();
					assertThat(context.getStartupFailure()).hasStackTraceContaining("did not answer within PT1S")
						.hasStackTraceContaining("deepstream.storage.startup-timeout");
				});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnStore {

		@Bean
		PostgresRecordStore ownStore(DeepstreamStorageDataSource dataSource) {
			PostgresRecordStore store = new PostgresRecordStore(dataSource.getDataSource(), JsonMapper.builder().build(),
					RecordStoreOptions.builder().schema(schema.value()).defaultTable("mine").build());
			store.start();
			return store;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class QualifiedThreadFactory {

		final List<Thread> made = new CopyOnWriteArrayList<>();

		@Bean
		@DeepstreamStorageThreadFactory
		ThreadFactory storageThreads() {
			AtomicInteger count = new AtomicInteger();
			return (runnable) -> {
				Thread thread = new Thread(runnable, "app-storage-" + count.incrementAndGet());
				this.made.add(thread);
				return thread;
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PlainThreadFactory {

		final AtomicInteger made = new AtomicInteger();

		@Bean
		ThreadFactory applicationThreads() {
			return (runnable) -> {
				this.made.incrementAndGet();
				return new Thread(runnable);
			};
		}

	}

	/** Sees on which threads the store reports its commits and the listener delivers its events. */
	@Configuration(proxyBeanMethods = false)
	static class ThreadWitnesses {

		final List<Thread> flushThreads = new CopyOnWriteArrayList<>();

		final List<Thread> listenerThreads = new CopyOnWriteArrayList<>();

		@Bean
		RecordStoreObserver flushThreadWitness() {
			return new RecordStoreObserver() {

				@Override
				public void batchCommitted(String table, int writes, long nanos) {
					ThreadWitnesses.this.flushThreads.add(Thread.currentThread());
				}

			};
		}

		@EventListener
		void onAnyChange(StorageChangeEvent event) {
			this.listenerThreads.add(Thread.currentThread());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		final List<String> cars = new CopyOnWriteArrayList<>();

		final List<String> all = new CopyOnWriteArrayList<>();

		final List<String> threads = new CopyOnWriteArrayList<>();

		@EventListener(condition = "#event.table == 'cars'")
		void onCar(RecordInsertedEvent event) {
			this.cars.add(event.getRecordName());
		}

		@EventListener
		void onAnyChange(StorageChangeEvent event) {
			this.all.add(event.getKind() + " " + ((event instanceof io.deepstream.storage.event.RecordChangeEvent record)
					? record.getRecordName() : event.getTable()));
			this.threads.add(Thread.currentThread().getName());
		}

	}

}
