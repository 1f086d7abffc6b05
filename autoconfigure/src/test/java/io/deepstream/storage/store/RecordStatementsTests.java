package io.deepstream.storage.store;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RecordStatementsTests {

	@Test
	void aTableNameIsQuotedOnceAndNeverReadAsATemplate() {
		RecordStatements sql = new RecordStatements("ds", "it's \"%s\" 100%", false);
		assertThat(sql.qualified()).isEqualTo("\"ds\".\"it's \"\"%s\"\" 100%\"");
		assertThat(sql.read()).isEqualTo("SELECT version, val::text FROM \"ds\".\"it's \"\"%s\"\" 100%\" WHERE id = ?");
		assertThat(sql.delete()).isEqualTo("DELETE FROM \"ds\".\"it's \"\"%s\"\" 100%\" WHERE id = ANY (?::text[])");
		assertThat(sql.dropTable()).isEqualTo("DROP TABLE \"ds\".\"it's \"\"%s\"\" 100%\"");
		assertThat(sql.tableLockKey()).isEqualTo("ds.it's \"%s\" 100%");
	}

	@Test
	void aNameThatLooksLikeAPlaceholderStaysAsItIs() {
		RecordStatements sql = new RecordStatements("{table}", "{value}{version}{table}", false);
		String qualified = "\"{table}\".\"{value}{version}{table}\"";
		assertThat(sql.qualified()).isEqualTo(qualified);
		assertThat(sql.upsert(PendingWrite.Guard.REPLACE)).isEqualTo("INSERT INTO " + qualified
				+ " AS t (id, version, val) SELECT u.id, u.version, u.val"
				+ " FROM unnest(?::text[], ?::int4[], ?::text[]) AS u(id, version, val)"
				+ " ON CONFLICT (id) DO UPDATE SET val = EXCLUDED.val, version = EXCLUDED.version");
		assertThat(sql.conditionalUpsert()).contains("INSERT INTO " + qualified + " AS t")
			.contains("UPDATE " + qualified + " AS t SET version = u.version, val = u.val ");
		assertThat(sql.read()).isEqualTo("SELECT version, val::text FROM " + qualified + " WHERE id = ?");
	}

	@Test
	void everyPlaceholderOfEveryStatementIsReplaced() {
		for (boolean jsonb : new boolean[] { false, true }) {
			RecordStatements sql = new RecordStatements("ds", "cars", jsonb);
			List<String> statements = new ArrayList<>(List.of(sql.read(), sql.readMany(), sql.insertNew(),
					sql.conditionalUpsert(), sql.lockRows(), sql.delete(), sql.isEmpty(), sql.lockTable(), sql.dropTable()));
			for (PendingWrite.Guard guard : PendingWrite.Guard.values()) {
				statements.add(sql.upsert(guard));
			}
			assertThat(statements).allSatisfy((statement) -> assertThat(statement).doesNotContain("{").doesNotContain("}")
				.contains("\"ds\".\"cars\""));
		}
	}

	@Test
	void idsVersionsAndValuesAreAlwaysBindParameters() {
		RecordStatements sql = new RecordStatements("ds", "cars", false);
		for (PendingWrite.Guard guard : PendingWrite.Guard.values()) {
			assertThat(sql.upsert(guard)).contains("unnest(?::text[], ?::int4[], ?::text[])").doesNotContain("'");
		}
		assertThat(sql.insertNew()).contains("unnest(?::text[], ?::int4[], ?::text[])").doesNotContain("'")
			.doesNotContain("ON CONFLICT");
		assertThat(sql.conditionalUpsert()).contains("unnest(?::text[], ?::int4[], ?::int4[], ?::text[])")
			.doesNotContain("'");
		assertThat(sql.readMany()).endsWith("WHERE id = ANY (?::text[])");
		assertThat(sql.lockRows()).startsWith("SELECT 1 FROM unnest(?::text[]) WITH ORDINALITY");
	}

	@Test
	void onlyTheVersionGuardsUpsertKeepsAHigherStoredVersion() {
		RecordStatements sql = new RecordStatements("ds", "cars", false);
		assertThat(sql.upsert(PendingWrite.Guard.REPLACE)).endsWith("version = EXCLUDED.version");
		assertThat(sql.upsert(PendingWrite.Guard.AT_LEAST)).endsWith("version = GREATEST(t.version, EXCLUDED.version)");
		assertThat(sql.upsert(PendingWrite.Guard.VERSIONED)).endsWith(
				"WHERE EXCLUDED.version >= t.version OR EXCLUDED.version <= 0 OR t.version IS NULL");
	}

	@Test
	void valuesGoToAJsonbColumnAsJsonb() {
		assertThat(new RecordStatements("ds", "cars", true).upsert(PendingWrite.Guard.REPLACE)).contains("u.val::jsonb");
		assertThat(new RecordStatements("ds", "cars", true).conditionalUpsert()).contains("val = u.val::jsonb");
		assertThat(new RecordStatements("ds", "cars", false).upsert(PendingWrite.Guard.REPLACE)).doesNotContain("jsonb");
	}

	@Test
	void theCacheExpandsATableOnce() {
		RecordStatements.Cache cache = new RecordStatements.Cache("ds", false);
		RecordStatements cars = cache.of("cars");
		assertThat(cache.of("cars")).isSameAs(cars);
		assertThat(cache.of("bikes").qualified()).isEqualTo("\"ds\".\"bikes\"");
	}

	@Test
	void theCacheForgetsTheLeastRecentlyUsedTablesBeyondItsSize() {
		RecordStatements.Cache cache = new RecordStatements.Cache("ds", false);
		RecordStatements first = cache.of("t0");
		RecordStatements second = cache.of("t1");
		for (int i = 2; i <= RecordStatements.Cache.MAX_TABLES; i++) {
			cache.of("t" + i);
			cache.of("t1"); // kept in use
		}
		assertThat(cache.of("t1")).isSameAs(second);
		assertThat(cache.of("t0")).isNotSameAs(first).usingRecursiveComparison().isEqualTo(first);
	}

}
