package io.deepstream.storage.schema;

import java.util.Set;

import io.deepstream.storage.core.Identifiers;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The names of what {@link SchemaSql} creates.
 */
class SchemaSqlTests {

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

}
