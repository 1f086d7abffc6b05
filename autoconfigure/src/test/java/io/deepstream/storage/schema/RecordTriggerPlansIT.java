package io.deepstream.storage.schema;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumSet;

import com.zaxxer.hikari.HikariDataSource;
import io.deepstream.storage.core.ChangeKind;
import io.deepstream.storage.core.Identifiers;
import io.deepstream.storage.test.TestSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the record trigger leaves in a backend that fires it, against the real server: PL/pgSQL
 * compiles the trigger function once per table in each backend and keeps a plan for every expression
 * it evaluates, and every backend walks all of its plans for each relation invalidation (each
 * {@code CREATE TABLE} sends several). So the plans per table are what every table creation costs
 * every backend that has written to many tables (see {@link SchemaSql}'s record-change function).
 */
@ExtendWith(TestSchema.class)
class RecordTriggerPlansIT {

	private static final int TABLES = 12;

	private static final String PLANS = "SELECT count(*) FILTER (WHERE true), count(*) FILTER (WHERE ident LIKE '%pg_notify%')"
			+ " FROM pg_backend_memory_contexts WHERE name = 'CachedPlanSource'";

	@Test
	void firingTheTriggerOnATableLeavesOnePlanInTheBackendWhateverTheOperation(TestSchema.Name schema) throws Exception {
		try (HikariDataSource dataSource = schema.database().newDataSource(1)) {
			new SchemaInitializer(dataSource).initialize(schema.value());
			try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
				for (int i = 0; i < TABLES; i++) {
					statement.execute(SchemaSql.createTable(schema.value(), "t" + i, false));
					statement.execute(SchemaSql.createTrigger(schema.value(), "t" + i, EnumSet.of(ChangeKind.INSERT,
							ChangeKind.UPDATE, ChangeKind.DELETE)));
				}
				long[] before = plans(statement);
				for (int i = 0; i < TABLES; i++) {
					String table = Identifiers.qualify(schema.value(), "t" + i);
					statement.execute("INSERT INTO " + table + " (id, version, val) VALUES ('a', 1, '{}'), ('b', 1, '{}')");
					statement.execute("UPDATE " + table + " SET version = 2 WHERE id = 'a'");
					statement.execute("DELETE FROM " + table + " WHERE id = 'b'");
				}
				long[] after = plans(statement);
				// one compiled copy per table, each with the plan of its one expression (the pg_notify
				// assignment), whichever operations fired it; RETURN NULL would add a plan per table
				assertThat(after[0] - before[0]).isEqualTo(TABLES);
				assertThat(after[1] - before[1]).isEqualTo(TABLES);
			}
		}
	}

	/** The backend's plans: all of them, and those of the trigger's pg_notify assignment. */
	private static long[] plans(Statement statement) throws SQLException {
		try (ResultSet rs = statement.executeQuery(PLANS)) {
			rs.next();
			return new long[] { rs.getLong(1), rs.getLong(2) };
		}
	}

}
