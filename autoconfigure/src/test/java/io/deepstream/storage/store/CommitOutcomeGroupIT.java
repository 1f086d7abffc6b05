package io.deepstream.storage.store;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import io.deepstream.storage.store.LostCommitDataSource.Fault;
import io.deepstream.storage.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Several tables' small batches written in one transaction ({@link BatchFlusher#groups},
 * {@link BatchWriter#writeTogether}) whose {@code COMMIT} fails with a connection error: the group is
 * written again table by table only when PostgreSQL says it did not commit. The write interval is an
 * hour, so that the writes wait for {@code flush()}, which takes them all at once: one group, one
 * commit (counted, to show that the group path was taken). Each test has a schema and a store of its
 * own.
 */
class CommitOutcomeGroupIT {

	private String schema;

	private HikariDataSource pool;

	private LostCommitDataSource dataSource;

	private PostgresRecordStore store;

	@BeforeEach
	void start() throws Exception {
		this.schema = TestDatabase.uniqueSchemaName("commit_outcome_group");
		this.pool = TestDatabase.get().newDataSource(4);
		this.dataSource = new LostCommitDataSource(this.pool);
		RecordStoreOptions options = RecordStoreOptions.builder()
			.schema(this.schema)
			.writeInterval(Duration.ofHours(1))
			.maxRetries(2)
			.retryInitialBackoff(Duration.ofMillis(10))
			.retryMaxBackoff(Duration.ofMillis(50))
			.build();
		this.store = new PostgresRecordStore(this.dataSource, StoreFixture.MAPPER, options);
		this.store.start();
		// one table exists with a counter at 0, the others are new
		CompletableFuture<Void> seed = this.store.set("counters/c", 0, 0);
		this.store.flush().get(30, TimeUnit.SECONDS);
		seed.get(30, TimeUnit.SECONDS);
	}

	@AfterEach
	void stop() {
		this.dataSource.refuseConnectionsAfterTheFault(false);
		this.store.close();
		this.pool.close();
		TestDatabase.get().dropSchema(this.schema);
	}

	@Test
	void aGroupWhoseCommitAnswerIsLostIsAcknowledgedAndAppliedOnce() throws Exception {
		int commits = this.dataSource.commits();
		this.dataSource.arm(Fault.COMMIT_THEN_FAIL);
		List<CompletableFuture<?>> writes = writeThreeTables();
		for (CompletableFuture<?> write : writes) {
			write.get(30, TimeUnit.SECONDS);
		}
		assertThat(this.dataSource.faults()).isEqualTo(1);
		// one transaction for the three tables, not written again
		assertThat(this.dataSource.commits() - commits).isEqualTo(1);
		assertStoredOnce();
	}

	@Test
	void aGroupThatDidNotCommitIsWrittenTableByTableOnce() throws Exception {
		int commits = this.dataSource.commits();
		this.dataSource.arm(Fault.ROLLBACK_THEN_FAIL);
		List<CompletableFuture<?>> writes = writeThreeTables();
		for (CompletableFuture<?> write : writes) {
			write.get(30, TimeUnit.SECONDS);
		}
		assertThat(this.dataSource.faults()).isEqualTo(1);
		// the group's failed commit, then one commit per table
		assertThat(this.dataSource.commits() - commits).isEqualTo(4);
		assertStoredOnce();
	}

	@Test
	void aGroupWhoseCommitOutcomeCannotBeLearnedFailsEveryWriteWithoutWritingItAgain() throws Exception {
		int commits = this.dataSource.commits();
		this.dataSource.refuseConnectionsAfterTheFault(true);
		this.dataSource.arm(Fault.COMMIT_THEN_FAIL);
		List<CompletableFuture<?>> writes = writeThreeTables();
		for (CompletableFuture<?> write : writes) {
			Throwable thrown = catchThrowable(() -> write.get(30, TimeUnit.SECONDS));
			assertThat(thrown).isInstanceOf(ExecutionException.class)
				.cause()
				.isInstanceOf(CommitOutcomeUnknownException.class)
				.hasMessageContaining("committed is unknown");
		}
		// the first question and one per retry, none of them reached the server
		assertThat(this.dataSource.refused()).isEqualTo(2);
		this.dataSource.refuseConnectionsAfterTheFault(false);
		assertThat(this.dataSource.commits() - commits).isEqualTo(1);
		// it had committed: the store said it did not know, and did not write it again
		assertStoredOnce();
	}

	/** An update of the counter, a create-if-absent and a plain set, each to a table of its own, then a flush. */
	private List<CompletableFuture<?>> writeThreeTables() {
		CompletableFuture<StoredRecord> update = this.store.update("counters/c", (value) -> value.asInt() + 1);
		CompletableFuture<Void> created = this.store.compareAndSet("created/d", -1, 1, 7);
		CompletableFuture<Void> set = this.store.set("plain/p", 1, Map.of("a", 1));
		this.store.flush();
		return List.of(update, created, set);
	}

	private void assertStoredOnce() {
		assertThat(row("counters", "c")).isEqualTo("1:1");
		assertThat(row("created", "d")).isEqualTo("1:7");
		assertThat(row("plain", "p")).isEqualTo("1:{\"a\":1}");
	}

	private String row(String table, String id) {
		return TestDatabase.get()
			.queryForString("SELECT version || ':' || val FROM \"" + this.schema + "\".\"" + table + "\" WHERE id = ?", id);
	}

}
