package io.deepstream.storage.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.zaxxer.hikari.HikariDataSource;
import io.deepstream.storage.test.ThrowawayPostgres;
import io.deepstream.storage.test.ThrowawayPostgres.StopMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first writes to many new tables at once, on a server with a small lock table (a throwaway
 * cluster of its own, {@code max_locks_per_transaction = 10}, {@code max_connections = 20}: room for a
 * few hundred locks in all). Creating a table takes several locks (the table, its TOAST table and
 * index, its primary key, the store's advisory lock) until commit, so a transaction that created
 * hundreds of tables ran out of shared memory; the store used to put every small batch of a flush in
 * one transaction, which then failed, after seconds of work, and was written again table by table.
 * Now each transaction creates at most {@link BatchFlusher#MAX_NEW_TABLES_PER_GROUP} tables.
 */
class ManyNewTablesIT {

	private static final int TABLES = 400;

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static ThrowawayPostgres postgres;

	@BeforeAll
	static void startPostgres() {
		postgres = ThrowawayPostgres.start();
		postgres.execute("ALTER SYSTEM SET max_locks_per_transaction = 10");
		postgres.execute("ALTER SYSTEM SET max_connections = 20");
		postgres.restart(StopMode.FAST);
	}

	@AfterAll
	static void stopPostgres() {
		if (postgres != null) {
			postgres.close();
		}
	}

	@Test
	void aFlushOfHundredsOfNewTablesNeverRunsOutOfLocks() {
		String schema = "many_new_tables";
		RecordStoreOptions options = RecordStoreOptions.builder().schema(schema)
			.writeInterval(Duration.ofMillis(500)).build();
		try (HikariDataSource dataSource = postgres.newDataSource(4);
				PostgresRecordStore store = new PostgresRecordStore(dataSource, MAPPER, options)) {
			store.start();
			List<CompletableFuture<Void>> writes = new ArrayList<>();
			for (int table = 0; table < TABLES; table++) {
				writes.add(store.set("t" + table + "/r", 1, Map.of("table", table)));
			}
			CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();

			assertThat(postgres.queryForLong("SELECT count(*) FROM pg_tables WHERE schemaname = ?", schema))
				.isEqualTo(TABLES);
			assertThat(store.get("t" + (TABLES - 1) + "/r").version()).isEqualTo(1);
			assertThat(store.statistics().tablesCreated()).isEqualTo(TABLES);
			assertThat(postgres.logTail(10_000)).doesNotContain("out of shared memory");
		}
	}

}
