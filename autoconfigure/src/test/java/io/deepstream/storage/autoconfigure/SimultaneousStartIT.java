package io.deepstream.storage.autoconfigure;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.deepstream.storage.event.NotificationEventBridge;
import io.deepstream.storage.event.TableCreatedEvent;
import io.deepstream.storage.store.PostgresRecordStore;
import io.deepstream.storage.test.ThrowawayPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Four application instances (Spring contexts with the auto-configuration, each with a pool of its
 * own) start at the same moment on an empty database of a throwaway cluster, so that the schema and
 * the reference's functions in {@code public} are created from scratch: all four start, every schema
 * object exists exactly once, and the first writes of all four to the same new tables all land, each
 * table created (and announced) once.
 */
class SimultaneousStartIT {

	private static final int INSTANCES = 4;

	private static final int TABLES = 10;

	private static final int RECORDS = 25;

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static ThrowawayPostgres postgres;

	@BeforeAll
	static void startPostgres() {
		postgres = ThrowawayPostgres.start();
	}

	@AfterAll
	static void stopPostgres() {
		if (postgres != null) {
			postgres.close();
		}
	}

	@ParameterizedTest(name = "round {0}")
	@ValueSource(ints = { 1, 2, 3 })
	void fourInstancesStartAtOnceOnAnEmptyDatabase(int round) throws Exception {
		String database = "empty" + round;
		postgres.execute("CREATE DATABASE " + database);
		CyclicBarrier together = new CyclicBarrier(INSTANCES);
		ApplicationContextRunner runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DeepstreamStorageAutoConfiguration.class))
			.withPropertyValues("deepstream.storage.url=" + postgres.jdbcUrl(database),
					"deepstream.storage.user=" + postgres.username(), "deepstream.storage.password=" + postgres.password(),
					"deepstream.storage.write-interval=20ms")
			// every instance waits here, just before start-up reaches the database, until all four do
			.withBean(DeepstreamStoragePoolCustomizer.class, () -> (config) -> meet(together))
			.withBean(TablesCreated.class);
		ExecutorService instances = Executors.newFixedThreadPool(INSTANCES);
		List<Future<Instance>> started = new ArrayList<>();
		try {
			for (int i = 0; i < INSTANCES; i++) {
				int instance = i;
				started.add(instances.submit(() -> run(runner, database, instance, together)));
			}
			List<Instance> results = new ArrayList<>();
			for (Future<Instance> instance : started) {
				results.add(instance.get(WAIT.toSeconds(), TimeUnit.SECONDS));
			}
			assertThat(results).allSatisfy((instance) -> {
				assertThat(instance.failure).as("start-up of instance %d", instance.number).isNull();
				assertThat(instance.tablesCreated).as("CREATE_TABLE seen by instance %d", instance.number)
					.containsExactlyInAnyOrderElementsOf(tables());
			});
			assertThat(results.stream().mapToLong((instance) -> instance.tablesCreatedByIt).sum()).isEqualTo(TABLES);
		}
		finally {
			instances.shutdownNow();
		}
		assertThat(count(database, "SELECT count(*) FROM pg_namespace WHERE nspname = 'ds'")).isOne();
		assertThat(count(database,
				"SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
						+ " WHERE n.nspname = 'public' AND p.proname IN ('count_rows', 'delete_if_empty', 'broadcast_update')"))
			.isEqualTo(3);
		assertThat(count(database, "SELECT count(*) FROM pg_proc"
				+ " WHERE proname IN ('count_rows', 'delete_if_empty', 'broadcast_update', 'deepstream_record_change')"))
			.as("functions of deepstream in any schema").isEqualTo(4);
		for (String table : tables()) {
			assertThat(count(database, "SELECT count(*) FROM ds.\"" + table + "\"")).as(table)
				.isEqualTo((long) INSTANCES * RECORDS);
			assertThat(count(database, "SELECT count(*) FROM pg_trigger"
					+ " WHERE tgrelid = 'ds.\"" + table + "\"'::regclass AND NOT tgisinternal")).as("triggers of %s", table)
				.isOne();
		}
		assertThat(count(database, "SELECT count(*) FROM pg_tables WHERE schemaname = 'ds'"))
			.isEqualTo(TABLES);
	}

	/** What one instance saw. */
	private record Instance(int number, Throwable failure, List<String> tablesCreated, long tablesCreatedByIt) {
	}

	private static Instance run(ApplicationContextRunner runner, String database, int number, CyclicBarrier together) {
		List<Instance> result = new ArrayList<>(1);
		runner.run((context) -> {
			if (context.getStartupFailure() != null) {
				result.add(new Instance(number, context.getStartupFailure(), List.of(), 0));
				for (int step = 0; step < 3; step++) {
					meet(together); // keep step with the others, so that they finish and the failure is reported
				}
				return;
			}
			PostgresRecordStore store = context.getBean(PostgresRecordStore.class);
			TablesCreated created = context.getBean(TablesCreated.class);
			context.getBean(NotificationEventBridge.class).subscribe().get(WAIT.toSeconds(), TimeUnit.SECONDS);
			meet(together); // all four are up and listening
			List<CompletableFuture<Void>> writes = new ArrayList<>();
			for (String table : tables()) {
				for (int record = 0; record < RECORDS; record++) {
					writes.add(store.set(table + "/instance" + number + "-" + record, 1, Map.of("by", number)));
				}
			}
			CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
			meet(together); // all four have written
			// Notifications arrive in commit order: once this one is here, every CREATE_TABLE is.
			String sentinel = "sentinel" + number;
			count(database, "SELECT count(*) FROM pg_notify('ds', 'CREATE_TABLE:" + sentinel + "')");
			await().atMost(WAIT).until(() -> created.tables.contains(sentinel));
			List<String> seen = new ArrayList<>(created.tables);
			seen.removeIf((table) -> table.startsWith("sentinel"));
			result.add(new Instance(number, null, seen, store.statistics().tablesCreated()));
			meet(together); // nobody closes before everybody has seen everything
		});
		return result.get(0);
	}

	private static long count(String database, String sql) throws SQLException {
		try (Connection connection = postgres.connect(database); Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery(sql)) {
			rs.next();
			return rs.getLong(1);
		}
	}

	private static List<String> tables() {
		List<String> tables = new ArrayList<>();
		for (int table = 0; table < TABLES; table++) {
			tables.add("first" + table);
		}
		return tables;
	}

	private static void meet(CyclicBarrier barrier) {
		try {
			barrier.await(WAIT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (BrokenBarrierException | TimeoutException ex) {
			throw new IllegalStateException("Another instance did not get here", ex);
		}
	}

	/** Collects the tables whose CREATE_TABLE the instance's listener announced. */
	static class TablesCreated {

		final List<String> tables = new CopyOnWriteArrayList<>();

		@EventListener
		void onTableCreated(TableCreatedEvent event) {
			this.tables.add(event.getTable());
		}

	}

}
