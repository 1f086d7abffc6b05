package io.deepstream.storage.store;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import io.deepstream.storage.core.InvalidRecordException;
import io.deepstream.storage.test.TestSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.NonTransientDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import tools.jackson.databind.util.RawValue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A Spring caller catches the store's failures with what it already knows: write failures are
 * {@link DataAccessException}s, transient when the database was unavailable, and invalid input has an
 * exception of its own that is still an {@link IllegalArgumentException}.
 */
@ExtendWith(TestSchema.class)
class WriteFailuresIT {

	@Test
	void aWriteTheDatabaseRefusesFailsNonTransiently(TestSchema.Name schema) {
		try (StoreFixture fixture = StoreFixture.start(schema.value())) {
			schema.database().execute("CREATE TABLE \"" + schema + "\".typed (id text PRIMARY KEY, version int, val int NOT NULL)");
			CompletableFuture<Void> write = fixture.store.set("typed/x", 1, Map.of("a", 1));
			assertThat(write).failsWithin(Duration.ofSeconds(30))
				.withThrowableOfType(ExecutionException.class)
				.havingCause()
				.isInstanceOf(RecordWriteException.class)
				.isInstanceOf(NonTransientDataAccessException.class)
				.withMessageContaining(schema + ".typed");
		}
	}

	@Test
	void aTableTheDatabaseRefusesFailsOnlyItsOwnWritesWhenWrittenTogetherWithOthers(TestSchema.Name schema) {
		// an interval long enough that all writes below go in one flush, i.e. one transaction at first
		try (StoreFixture fixture = StoreFixture.start(schema.value(), (options) -> options.writeInterval(Duration.ofSeconds(1)))) {
			schema.database().execute("CREATE TABLE \"" + schema + "\".refused (id text PRIMARY KEY, version int, val int NOT NULL)");
			CompletableFuture<Void> before = fixture.store.set("good1/x", 1, Map.of("a", 1));
			CompletableFuture<Void> refused = fixture.store.set("refused/x", 1, Map.of("a", 1));
			CompletableFuture<Void> after = fixture.store.set("good2/x", 1, Map.of("a", 2));
			assertThat(refused).failsWithin(Duration.ofSeconds(30))
				.withThrowableOfType(ExecutionException.class)
				.havingCause()
				.isInstanceOf(RecordWriteException.class)
				.withMessageContaining(schema + ".refused");
			assertThat(before).succeedsWithin(Duration.ofSeconds(30));
			assertThat(after).succeedsWithin(Duration.ofSeconds(30));
			assertThat(fixture.store.get("good1/x").version()).isEqualTo(1);
			assertThat(fixture.store.get("good2/x").value().get("a").asInt()).isEqualTo(2);
			assertThat(fixture.store.statistics().tablesCreated()).isEqualTo(2);
		}
	}

	@Test
	void aWriteThatOutlastsEveryRetryOfAnUnavailableDatabaseFailsTransiently() {
		try (HikariDataSource unreachable = new HikariDataSource()) {
			unreachable.setJdbcUrl("jdbc:postgresql://127.0.0.1:1/none");
			unreachable.setConnectionTimeout(250);
			unreachable.setInitializationFailTimeout(-1);
			// the schema is "initialised elsewhere": start() does not connect, only the write does
			PostgresRecordStore store = new PostgresRecordStore(unreachable, StoreFixture.MAPPER,
					RecordStoreOptions.builder()
						.writeInterval(Duration.ofMillis(10))
						.maxRetries(2)
						.retryInitialBackoff(Duration.ofMillis(10))
						.retryMaxBackoff(Duration.ofMillis(20))
						.build(),
					RecordStoreObserver.NONE, false);
			try (store) {
				store.start();
				CompletableFuture<Void> write = store.set("cars/x", 1, Map.of());
				assertThat(write).failsWithin(Duration.ofSeconds(30))
					.withThrowableOfType(ExecutionException.class)
					.havingCause()
					.isInstanceOf(TransientRecordWriteException.class)
					.isInstanceOf(TransientDataAccessException.class);
				assertThat(store.statistics().retries()).isEqualTo(2);
			}
		}
	}

	@Test
	void anObserverThatThrowsNeitherFailsNorRewritesACommittedBatch(TestSchema.Name schema) {
		AtomicInteger told = new AtomicInteger();
		// given to the store directly, as plain code does: the auto-configuration's composite is not there
		RecordStoreObserver throwing = new RecordStoreObserver() {

			@Override
			public void recordsCommitted(String table, List<String> ids) {
				told.incrementAndGet();
				throw new IllegalStateException("observer bug (expected by the test)");
			}

		};
		try (HikariDataSource pool = schema.database().newDataSource(2);
				PostgresRecordStore store = new PostgresRecordStore(pool, StoreFixture.MAPPER,
						RecordStoreOptions.builder().schema(schema.value()).writeInterval(Duration.ofMillis(10)).build(),
						throwing)) {
			store.start();
			assertThat(store.set("obs/a", 1, Map.of("n", 1))).succeedsWithin(Duration.ofSeconds(30));
			assertThat(store.update("obs/counter", (value) -> StoreFixture.MAPPER.valueToTree(Map.of("n",
					(value == null) ? 1 : value.get("n").asInt() + 1)))).succeedsWithin(Duration.ofSeconds(30));
			assertThat(store.get("obs/a").version()).isEqualTo(1);
			assertThat(store.get("obs/counter").value().get("n").asInt()).as("applied once").isEqualTo(1);
			assertThat(told).hasValue(2);
			assertThat(store.statistics().batchesFailed()).isZero();
		}
	}

	@Test
	void aValueThatIsNotOneJsonValueIsRefusedAndLeavesTheOthersOfItsBatchAlone(TestSchema.Name schema) {
		// jsonb: PostgreSQL itself would refuse "{} {}", failing every write of the batch with it
		try (StoreFixture fixture = StoreFixture.start(schema.value(),
				(options) -> options.useJsonb(true).writeInterval(Duration.ofMillis(200)))) {
			CompletableFuture<Void> good = fixture.store.set("j/good", 1, Map.of("a", 1));
			assertThatExceptionOfType(InvalidRecordException.class)
				.isThrownBy(() -> fixture.store.set("j/bad", 1, new RawValue("{} {}")))
				.withMessageContaining("more than one JSON value");
			assertThat(good).succeedsWithin(Duration.ofSeconds(30));
			assertThat(fixture.store.get("j/bad").version()).isEqualTo(-1);
		}
	}

	@Test
	void invalidRecordNamesAndValuesHaveAnExceptionOfTheirOwn(TestSchema.Name schema) {
		try (StoreFixture fixture = StoreFixture.start(schema.value())) {
			assertThatExceptionOfType(InvalidRecordException.class).isThrownBy(() -> fixture.store.set("a:b/x", 1, Map.of()))
				.isInstanceOf(IllegalArgumentException.class)
				.withMessageContaining("must not contain ':'");
			assertThatExceptionOfType(InvalidRecordException.class).isThrownBy(() -> fixture.store.set("cars/", 1, Map.of()))
				.withMessageContaining("the id must not be empty");
			assertThatExceptionOfType(InvalidRecordException.class).isThrownBy(() -> fixture.store.set("cars/x", 1, null))
				.withMessageContaining("must not be null");
			assertThatExceptionOfType(InvalidRecordException.class).isThrownBy(() -> fixture.store.delete("t".repeat(64) + "/x"));
			assertThat(fixture.store.statistics().writesAccepted()).isZero();
		}
	}

}
