package io.deepstream.storage.store;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.deepstream.storage.test.TestSchema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The reference connector's own scenarios, in spirit, against a real PostgreSQL.
 */
class RecordStoreIT {

	@RegisterExtension
	static final SharedStore shared = new SharedStore();

	private static PostgresRecordStore store;

	private static TestSchema.Name schema;

	@BeforeAll
	static void useTheSharedStore() {
		store = shared.store();
		schema = shared.schema();
	}

	private static JsonNode json(String text) {
		return StoreFixture.MAPPER.readTree(text);
	}

	@Test
	void setsAndGetsOnANewTable() {
		store.set("fresh/a", 3, Map.of("firstname", "Wolfram")).join();
		StoredRecord record = store.get("fresh/a");
		assertThat(record.version()).isEqualTo(3);
		assertThat(record.value()).isEqualTo(json("{\"firstname\":\"Wolfram\"}"));
		assertThat(store.query("SELECT id, version, val FROM \"" + schema + "\".fresh"))
			.containsExactly(Map.of("id", "a", "version", 3, "val", "{\"firstname\":\"Wolfram\"}"));
	}

	@Test
	void setsOnAnExistingTableAndOverwrites() {
		store.set("existing/a", 1, Map.of("n", 1)).join();
		store.set("existing/a", 2, Map.of("n", 2)).join();
		assertThat(store.get("existing/a")).isEqualTo(new StoredRecord(2, json("{\"n\":2}")));
	}

	@Test
	void missingRecordsReadAsVersionMinusOne() {
		assertThat(store.get("nowhere/x")).isEqualTo(StoredRecord.MISSING);
		store.set("somewhere/x", 1, Map.of()).join();
		assertThat(store.get("somewhere/y").version()).isEqualTo(-1);
		assertThat(store.get("somewhere/y").value()).isNull();
		assertThat(store.get("somewhere/y", Map.class)).isEmpty();
	}

	@Test
	void quickSuccessiveWritesLastOneWinsAndEveryFutureCompletes() {
		List<CompletableFuture<Void>> futures = new java.util.ArrayList<>();
		for (int i = 1; i <= 100; i++) {
			futures.add(store.set("quick/same", i, Map.of("i", i)));
		}
		CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
		assertThat(futures).allMatch((future) -> future.isDone() && !future.isCompletedExceptionally());
		assertThat(store.get("quick/same")).isEqualTo(new StoredRecord(100, json("{\"i\":100}")));
		assertThat(store.getSchemaOverview()).containsEntry("quick", 1L);
	}

	@Test
	void keysWithoutSlashGoToTheDefaultTableAndTheIdIsSplitAtTheFirstSlash() {
		store.set("plainkey", 1, Map.of("a", 1)).join();
		store.set("deep/b/c", 1, Map.of("b", 2)).join();
		assertThat(store.query("SELECT id, version, val FROM \"" + schema + "\".\"default\""))
			.containsExactly(Map.of("id", "plainkey", "version", 1, "val", "{\"a\":1}"));
		List<Map<String, Object>> rows = store.query("SELECT id FROM \"" + schema + "\".deep");
		assertThat(rows).extracting((row) -> row.get("id")).containsExactly("b/c");
		assertThat(store.get("deep/b/c").value()).isEqualTo(json("{\"b\":2}"));
	}

	@Test
	void writesToSeveralTablesAtOnceAndCountsThemInTheOverview() {
		List<CompletableFuture<Void>> futures = new java.util.ArrayList<>();
		for (String table : List.of("multi-a", "multi-b", "multi-c")) {
			for (int i = 0; i < (table.equals("multi-a") ? 2 : 1) + (table.equals("multi-c") ? 2 : 0); i++) {
				futures.add(store.set(table + "/" + i, 1, Map.of("i", i)));
			}
		}
		CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
		assertThat(store.getSchemaOverview()).containsEntry("multi-a", 2L).containsEntry("multi-b", 1L)
			.containsEntry("multi-c", 3L);
	}

	@Test
	void deletesARecordAndTheLastDeleteDropsTheTable() {
		store.set("doomed/1", 1, Map.of()).join();
		store.set("doomed/2", 1, Map.of()).join();
		store.delete("doomed/1").join();
		assertThat(store.get("doomed/1")).isEqualTo(StoredRecord.MISSING);
		assertThat(store.getSchemaOverview()).containsEntry("doomed", 1L);
		store.delete("doomed/2").join();
		assertThat(store.getSchemaOverview()).doesNotContainKey("doomed");
		assertThat(store.statistics().tablesDropped()).isGreaterThanOrEqualTo(1);
	}

	@Test
	void deleteBulkDeletesEveryRecord() {
		store.set("bulk/1", 1, Map.of()).join();
		store.set("bulk/2", 1, Map.of()).join();
		store.set("bulk/3", 1, Map.of()).join();
		store.deleteBulk(List.of("bulk/1", "bulk/3")).join();
		assertThat(store.get("bulk/1").exists()).isFalse();
		assertThat(store.get("bulk/2").exists()).isTrue();
		assertThat(store.get("bulk/3").exists()).isFalse();
	}

	@Test
	void deleteBulkChecksEveryNameBeforeDeletingAnything() {
		store.set("bulkcheck/1", 1, Map.of()).join();
		assertThatIllegalArgumentException().isThrownBy(() -> store.deleteBulk(List.of("bulkcheck/1", "bad:table/x")));
		store.flush().join();
		assertThat(store.get("bulkcheck/1").exists()).isTrue();
	}

	@Test
	void readsItsOwnBufferedWritesAndDeletes() {
		try (StoreFixture slow = StoreFixture.start(schema.value(), (options) -> options.writeInterval(java.time.Duration.ofHours(1)))) {
			CompletableFuture<Void> write = slow.store.set("buffered/1", 7, Map.of("v", "new"));
			assertThat(write).isNotDone();
			assertThat(slow.store.get("buffered/1")).isEqualTo(new StoredRecord(7, json("{\"v\":\"new\"}")));
			assertThat(store.get("buffered/1").exists()).as("not committed, so invisible to others").isFalse();
			slow.store.flush().join();
			assertThat(write).isCompleted();
			CompletableFuture<Void> delete = slow.store.delete("buffered/1");
			assertThat(slow.store.get("buffered/1")).isEqualTo(StoredRecord.MISSING);
			assertThat(store.get("buffered/1").version()).isEqualTo(7);
			slow.store.flush().join();
			assertThat(delete).isCompleted();
		}
	}

	@Test
	void readsTypedValues() {
		store.set("typed/p", 1, new Person("Ada", 36)).join();
		assertThat(store.get("typed/p", Person.class)).contains(new Person("Ada", 36));
		ObjectNode tree = StoreFixture.MAPPER.createObjectNode().put("name", "Grace").put("age", 85);
		store.set("typed/q", 1, tree).join();
		assertThat(store.get("typed/q", Person.class)).contains(new Person("Grace", 85));
	}

	@Test
	void createsAndDestroysSchemas() {
		String other = schema.value() + "_x";
		store.createSchema(other);
		assertThat(store.query("SELECT 1 FROM information_schema.schemata WHERE schema_name = ?", other)).hasSize(1);
		assertThat(store.getSchemaOverview(other)).isEmpty();
		store.destroySchema(other);
		assertThat(store.query("SELECT 1 FROM information_schema.schemata WHERE schema_name = ?", other)).isEmpty();
	}

	@Test
	void destroyingAMissingSchemaFails() {
		assertThatThrownBy(() -> store.destroySchema(schema.value() + "_missing"))
			.hasMessageContaining("does not exist");
	}

	@Test
	void rejectsBadInputBeforeItReachesTheDatabase() {
		assertThatIllegalArgumentException().isThrownBy(() -> store.set("bad:table/x", 1, Map.of()))
			.withMessageContaining("bad:table/x").withMessageContaining("':'");
		assertThatIllegalArgumentException().isThrownBy(() -> store.set("/x", 1, Map.of()))
			.withMessageContaining("must not be empty");
		assertThatIllegalArgumentException().isThrownBy(() -> store.set("t".repeat(64) + "/x", 1, Map.of()))
			.withMessageContaining("at most 63");
		assertThatIllegalArgumentException().isThrownBy(() -> store.set("ok/x\0y", 1, Map.of()))
			.withMessageContaining("NUL");
		assertThatIllegalArgumentException().isThrownBy(() -> store.set("ok/" + "i".repeat(8000), 1, Map.of()))
			.withMessageContaining("primary key");
		assertThatIllegalArgumentException().isThrownBy(() -> store.set("ok/x", 1, null))
			.withMessageContaining("must not be null");
		assertThatIllegalArgumentException().isThrownBy(() -> store.set("ok/x", 1, new Unwritable()))
			.withMessageContaining("cannot be written as JSON");
		store.flush().join();
		assertThat(store.getSchemaOverview()).doesNotContainKeys("bad:table", "ok", "t".repeat(63));
	}

	@Test
	void runsRawParameterisedQueries() {
		store.set("raw/1", 4, Map.of("x", 1)).join();
		List<Map<String, Object>> rows = store.query("SELECT version FROM \"" + schema + "\".raw WHERE id = ?", "1");
		assertThat(rows).containsExactly(Map.of("version", 4));
	}

	record Person(String name, int age) {
	}

	static class Unwritable {

		public String getBoom() {
			throw new IllegalStateException("boom");
		}

	}

}
