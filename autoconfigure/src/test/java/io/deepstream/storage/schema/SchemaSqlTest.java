package io.deepstream.storage.schema;

import java.util.Set;

import io.deepstream.storage.core.ChangeKind;
import io.deepstream.storage.core.Identifiers;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The names of what {@link SchemaSql} creates.
 */
class SchemaSqlTest {

	@Test
	void namesThePrimaryKeySoThatNoTableCanCollideWithIt() {
		assertThat(SchemaSql.primaryKeyName("cars")).isEqualTo("cars:pkey");
		assertThat(SchemaSql.createTable("ds", "cars", false)).contains("CONSTRAINT \"cars:pkey\" PRIMARY KEY (id)");
	}

	@Test
	void keepsPrimaryKeyNamesOfLongTablesDistinctAndWithin63Bytes() {
		String prefix = "中".repeat(18); // 54 bytes
		Set<String> names = Set.of(SchemaSql.primaryKeyName(prefix + "abcdefghi"),
				SchemaSql.primaryKeyName(prefix + "abcdefghj"), SchemaSql.primaryKeyName(prefix + "🚗🚗"),
				SchemaSql.primaryKeyName("a".repeat(63)), SchemaSql.primaryKeyName("a".repeat(62) + "b"));
		assertThat(names).hasSize(5).allSatisfy((name) -> {
			assertThat(Identifiers.utf8Length(name)).isLessThanOrEqualTo(Identifiers.MAX_BYTES);
			assertThat(name).contains(":");
			Identifiers.quote(name);
		});
	}

	@Test
	void givesTheFirstEnabledTriggerTheReferenceNameAndTheOthersDistinctOnesWithin63Bytes() {
		String longTable = "t".repeat(63);
		String ddl = SchemaSql.createTrigger("ds", longTable, Set.of(ChangeKind.DELETE, ChangeKind.UPDATE, ChangeKind.INSERT));
		String reference = SchemaSql.triggerName("ds", longTable);
		String update = SchemaSql.triggerName("ds", longTable, ChangeKind.UPDATE);
		String delete = SchemaSql.triggerName("ds", longTable, ChangeKind.DELETE);
		assertThat(Set.of(reference, update, delete)).hasSize(3)
			.allSatisfy((name) -> assertThat(Identifiers.utf8Length(name)).isEqualTo(Identifiers.MAX_BYTES));
		assertThat(ddl).contains("CREATE TRIGGER " + Identifiers.quote(reference) + " AFTER INSERT ON",
				"CREATE TRIGGER " + Identifiers.quote(update) + " AFTER UPDATE ON",
				"CREATE TRIGGER " + Identifiers.quote(delete) + " AFTER DELETE ON");
		assertThat(SchemaSql.createTrigger("ds", "cars", Set.of(ChangeKind.DELETE)))
			.startsWith("CREATE TRIGGER \"broadcast_update_ds_cars\" AFTER DELETE ON \"ds\".\"cars\" REFERENCING OLD TABLE")
			.doesNotContain(";");
		assertThat(SchemaSql.createTrigger("ds", "cars", Set.of())).isNull();
	}

}
