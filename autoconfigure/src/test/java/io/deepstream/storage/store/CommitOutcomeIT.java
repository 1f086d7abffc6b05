package io.deepstream.storage.store;

import java.time.Duration;
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
import org.junit.jupiter.api.TestInfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A batch whose {@code COMMIT} fails with a connection error although it may have committed: the store
 * asks PostgreSQL whether the transaction committed instead of writing the batch again. Each test has
 * a schema and a store of its own; the failure is injected around a real commit
 * ({@link LostCommitDataSource}).
 */
class CommitOutcomeIT {

	private String schema;

	private HikariDataSource pool;

	private LostCommitDataSource dataSource;

	private PostgresRecordStore store;

	@BeforeEach
	void start(TestInfo test) {
		this.schema = TestDatabase.uniqueSchemaName("commit_outcome");
		this.pool = TestDatabase.get().newDataSource(4);
		this.dataSource = new LostCommitDataSource(this.pool);
		RecordStoreOptions options = RecordStoreOptions.builder()
			.schema(this.schema)
			.writeInterval(Duration.ofMillis(20))
			.maxRetries(3)
			.retryInitialBackoff(Duration.ofMillis(10))
			.retryMaxBackoff(Duration.ofMillis(50))
			.build();
		this.store = new PostgresRecordStore(this.dataSource, StoreFixture.MAPPER, options);
		this.store.start();
	}

	@AfterEach
	void stop() {
		this.dataSource.refuseConnectionsAfterTheFault(false);
		this.store.close();
		this.pool.close();
		TestDatabase.get().dropSchema(this.schema);
	}

	@Test
	void anUpdateWhoseCommitAnswerIsLostIsAppliedOnce() throws Exception {
		settle(this.store.set("counter/c", 0, 0));
		int commits = this.dataSource.commits();
		this.dataSource.arm(Fault.COMMIT_THEN_FAIL);
		StoredRecord written = settle(this.store.update("counter/c", (value) -> value.asInt() + 1));
		assertThat(this.dataSource.faults()).isEqualTo(1);
		assertThat(written.version()).isEqualTo(1);
		assertThat(row("counter", "c")).isEqualTo("1:1");
		// not written again: the only commit was the one whose answer was lost
		assertThat(this.dataSource.commits() - commits).isEqualTo(1);
	}

	@Test
	void aCompareAndSetCreatingARecordWhoseCommitAnswerIsLostSucceeds() throws Exception {
		this.dataSource.arm(Fault.COMMIT_THEN_FAIL);
		settle(this.store.compareAndSet("counter/d", -1, 1, 7));
		assertThat(this.dataSource.faults()).isEqualTo(1);
		assertThat(row("counter", "d")).isEqualTo("1:7");
		assertThat(this.store.get("counter/d").version()).isEqualTo(1);
	}

	@Test
	void aSetWhoseCommitAnswerIsLostIsAcknowledged() throws Exception {
		settle(this.store.set("plain/p", 1, Map.of("a", 1)));
		int commits = this.dataSource.commits();
		this.dataSource.arm(Fault.COMMIT_THEN_FAIL);
		settle(this.store.set("plain/p", 2, Map.of("a", 2)));
		assertThat(this.dataSource.faults()).isEqualTo(1);
		assertThat(row("plain", "p")).isEqualTo("2:{\"a\":2}");
		assertThat(this.dataSource.commits() - commits).isEqualTo(1);
		assertThat(this.store.statistics().writesFailed()).isZero();
		assertThat(this.store.statistics().commitsInDoubt()).isEqualTo(1);
		assertThat(this.store.statistics().retries()).isZero();
	}

	@Test
	void aCommitThatDidNotCommitIsRetriedAndCommittedOnce() throws Exception {
		settle(this.store.set("counter/c", 0, 0));
		int commits = this.dataSource.commits();
		this.dataSource.arm(Fault.ROLLBACK_THEN_FAIL);
		StoredRecord written = settle(this.store.update("counter/c", (value) -> value.asInt() + 1));
		assertThat(this.dataSource.faults()).isEqualTo(1);
		assertThat(written.version()).isEqualTo(1);
		assertThat(row("counter", "c")).isEqualTo("1:1");
		// the failed commit, then the retry's
		assertThat(this.dataSource.commits() - commits).isEqualTo(2);
		assertThat(this.store.statistics().retries()).isEqualTo(1);
	}

	@Test
	void aTransactionThatWroteNothingIsRetriedWithoutAsking() throws Exception {
		settle(this.store.set("counter/c", 3, 0));
		int commits = this.dataSource.commits();
		int connections = this.dataSource.connections();
		// the record is at version 3: the write applies nothing, and its transaction gets no id
		this.dataSource.arm(Fault.COMMIT_THEN_FAIL);
		Throwable failure = failureOf(this.store.compareAndSet("counter/c", 5, 6, 1));
		assertThat(failure).isInstanceOf(VersionConflictException.class);
		assertThat(this.dataSource.faults()).isEqualTo(1);
		// the failed commit, then the retry's; one connection each, none for a question
		assertThat(this.dataSource.commits() - commits).isEqualTo(2);
		assertThat(this.dataSource.connections() - connections).isEqualTo(2);
		assertThat(this.store.statistics().retries()).isEqualTo(1);
	}

	@Test
	void aCommitWhoseOutcomeCannotBeLearnedFailsWithoutBeingWrittenAgain() throws Exception {
		settle(this.store.set("counter/c", 0, 0));
		int commits = this.dataSource.commits();
		this.dataSource.refuseConnectionsAfterTheFault(true);
		this.dataSource.arm(Fault.COMMIT_THEN_FAIL);
		Throwable failure = failureOf(this.store.update("counter/c", (value) -> value.asInt() + 1));
		assertThat(failure).isInstanceOf(CommitOutcomeUnknownException.class)
			.hasMessageContaining("Write to " + this.schema + ".counter")
			.hasMessageContaining("committed is unknown");
		// the first question and one per retry (3), none of them reached the server
		assertThat(this.dataSource.refused()).isEqualTo(3);
		this.dataSource.refuseConnectionsAfterTheFault(false);
		assertThat(this.dataSource.commits() - commits).isEqualTo(1);
		// it had committed: the store said it did not know, not that it failed
		assertThat(row("counter", "c")).isEqualTo("1:1");
		assertThat(this.store.statistics().retries()).isZero();
	}

	private String row(String table, String id) {
		return TestDatabase.get()
			.queryForString("SELECT version || ':' || val FROM \"" + this.schema + "\".\"" + table + "\" WHERE id = ?", id);
	}

	private static <T> T settle(CompletableFuture<T> future) throws Exception {
		return future.get(30, TimeUnit.SECONDS);
	}

	private static Throwable failureOf(CompletableFuture<?> future) {
		Throwable thrown = catchThrowable(() -> future.get(30, TimeUnit.SECONDS));
		assertThat(thrown).isInstanceOf(ExecutionException.class);
		return thrown.getCause();
	}

}
