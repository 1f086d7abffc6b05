package io.deepstream.storage.store;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import io.deepstream.storage.core.Identifiers;
import io.deepstream.storage.core.SqlStates;
import io.deepstream.storage.test.TestSchema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one flushed batch may hold: upserts and deletes of different ids together, several writes to
 * the same id in one write interval, and a write the database rejects, which fails its own batch
 * and nothing else, at once and without retries. The writes are buffered for an hour and flushed by
 * hand, so each test knows exactly what one batch holds.
 */
class MixedBatchIT {

	@RegisterExtension
	static final SharedStore shared = new SharedStore((options) -> options.writeInterval(Duration.ofHours(1)));

	private static PostgresRecordStore store;

	private static TestSchema.Name schema;

	@BeforeAll
	static void useTheSharedStore() {
		store = shared.store();
		schema = shared.schema();
	}

	@Test
	void upsertsAndDeletesOfDifferentIdsCommitTogether() {
		flushed(store.set("mixed/a", 1, Map.of("a", 1)), store.set("mixed/b", 1, Map.of("b", 1)),
				store.set("mixed/c", 1, Map.of("c", 1)));
		long batches = store.statistics().batchesCommitted();

		flushed(store.set("mixed/a", 2, Map.of("a", 2)), store.delete("mixed/b"), store.set("mixed/d", 1, Map.of("d", 1)),
				store.delete("mixed/never-stored"));

		assertThat(store.statistics().batchesCommitted()).as("one batch").isEqualTo(batches + 1);
		assertThat(rows("mixed")).isEqualTo(Map.of("a", "2 {\"a\":2}", "c", "1 {\"c\":1}", "d", "1 {\"d\":1}"));
	}

	@Test
	void anUpsertThenADeleteOfTheSameIdInOneBufferLeavesNoRow() {
		flushed(store.set("flip/keep", 1, Map.of()), store.set("flip/old", 4, Map.of("old", true)));

		CompletableFuture<Void> insertThenDelete = store.set("flip/new", 1, Map.of("new", true));
		CompletableFuture<Void> deleteOfNew = store.delete("flip/new");
		CompletableFuture<Void> updateOfOld = store.set("flip/old", 5, Map.of("old", false));
		CompletableFuture<Void> deleteOfOld = store.delete("flip/old");
		assertThat(store.get("flip/new")).isEqualTo(StoredRecord.MISSING);
		assertThat(store.get("flip/old")).isEqualTo(StoredRecord.MISSING);
		flushed(insertThenDelete, deleteOfNew, updateOfOld, deleteOfOld);

		assertThat(rows("flip")).isEqualTo(Map.of("keep", "1 {}"));
		assertThat(store.get("flip/old")).isEqualTo(StoredRecord.MISSING);
	}

	@Test
	void aDeleteThenAnUpsertOfTheSameIdInOneBufferLeavesTheUpsert() {
		flushed(store.set("again/x", 9, Map.of("life", 1)));
		flushed(store.delete("again/x"), store.set("again/x", 1, Map.of("life", 2)));
		assertThat(rows("again")).isEqualTo(Map.of("x", "1 {\"life\":2}"));
	}

	@Test
	void aNewTablesFirstBatchInsertsItsRowsAndStillChecksConditionalWrites() {
		// the batch that creates the table inserts instead of upserting: no row can exist yet
		long created = store.statistics().tablesCreated();
		CompletableFuture<Void> plain = store.set("fresh/a", 7, Map.of("a", 1));
		CompletableFuture<Void> createIfMissing = store.compareAndSet("fresh/b", -1, 1, Map.of("b", 1));
		CompletableFuture<Void> updateOfMissing = store.compareAndSet("fresh/c", 3, 4, Map.of("c", 1));
		CompletableFuture<Void> deleteOfMissing = store.delete("fresh/d");
		store.flush().join();

		assertThat(store.statistics().tablesCreated()).isEqualTo(created + 1);
		assertThat(plain).isCompleted();
		assertThat(createIfMissing).isCompleted();
		assertThat(deleteOfMissing).isCompleted();
		assertThat(updateOfMissing).failsWithin(Duration.ZERO)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(VersionConflictException.class);
		assertThat(rows("fresh")).isEqualTo(Map.of("a", "7 {\"a\":1}", "b", "1 {\"b\":1}"));

		// the next batch of the table upserts: existing rows are replaced, new ones inserted
		flushed(store.set("fresh/a", 8, Map.of("a", 2)), store.set("fresh/e", 1, Map.of("e", 1)));
		assertThat(rows("fresh")).isEqualTo(
				Map.of("a", "8 {\"a\":2}", "b", "1 {\"b\":1}", "e", "1 {\"e\":1}"));
	}

	@Test
	void aValueTheColumnRejectsFailsItsOwnBatchAtOnceAndNothingElse() {
		// a table of the reference's shape whose column refuses one value: the statement fails, every time
		schema.database().execute("CREATE TABLE " + Identifiers.qualify(schema.value(), "checked")
				+ " (id text PRIMARY KEY, version int, val text NOT NULL CHECK (val NOT LIKE '%forbidden%'))");
		flushed(store.set("healthy/before", 1, Map.of()), store.set("checked/before", 1, Map.of()));
		long retries = store.statistics().retries();
		long failed = store.statistics().writesFailed();

		CompletableFuture<Void> rejected = store.set("checked/x", 1, Map.of("word", "forbidden"));
		CompletableFuture<Void> sameBatch = store.set("checked/y", 1, Map.of("word", "fine"));
		CompletableFuture<Void> otherTable = store.set("healthy/after", 1, Map.of("word", "forbidden"));
		store.flush().join();

		for (CompletableFuture<Void> future : List.of(rejected, sameBatch)) {
			assertThat(future).failsWithin(Duration.ZERO)
				.withThrowableOfType(ExecutionException.class)
				.havingCause()
				.isInstanceOf(RecordWriteException.class)
				.withMessageContaining("checked")
				.satisfies((ex) -> assertThat(SqlStates.stateOf(ex)).isEqualTo("23514")) // check_violation
				.satisfies((ex) -> assertThat(SqlStates.isTransient(ex)).isFalse());
		}
		assertThat(otherTable).isCompleted();
		assertThat(store.statistics().retries()).as("not retried").isEqualTo(retries);
		assertThat(store.statistics().writesFailed()).isEqualTo(failed + 2);
		assertThat(rows("healthy")).containsOnlyKeys("before", "after");
		assertThat(rows("checked")).containsOnlyKeys("before");
		assertThat(store.get("checked/y")).as("a failed write is not readable").isEqualTo(StoredRecord.MISSING);

		// the table is not stuck: the next batch without the value commits
		flushed(store.set("checked/y", 1, Map.of("word", "fine")));
		assertThat(rows("checked")).containsOnlyKeys("before", "y");
	}

	@SafeVarargs
	private static void flushed(CompletableFuture<Void>... writes) {
		store.flush().join();
		for (CompletableFuture<Void> write : writes) {
			assertThat(write).isCompleted();
		}
	}

	/** id to "version value" of every row of a table. */
	private static Map<String, String> rows(String table) {
		Map<String, String> rows = new TreeMap<>();
		store.query("SELECT id, version, val FROM " + Identifiers.qualify(schema.value(), table))
			.forEach((row) -> rows.put((String) row.get("id"), row.get("version") + " " + row.get("val")));
		return rows;
	}

}
