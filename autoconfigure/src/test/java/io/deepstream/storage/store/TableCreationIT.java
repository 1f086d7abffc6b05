package io.deepstream.storage.store;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.deepstream.storage.core.Identifiers;
import io.deepstream.storage.test.TestDatabase;
import io.deepstream.storage.test.TestRole;
import io.deepstream.storage.test.TestSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How a table comes to exist on its first write: owned by the configured {@code role}, and used as
 * it is when the reference creates it at the same moment (without the advisory lock this project
 * takes around its own DDL).
 */
@ExtendWith(TestSchema.class)
class TableCreationIT {

	@Test
	void theRoleOptionMakesTheRoleOwnerOfNewTables(TestSchema.Name schema) {
		TestDatabase database = schema.database();
		try (TestRole owner = TestRole.create(database, "owner")) {
			try (StoreFixture fixture = StoreFixture.start(schema.value(), (options) -> options.role(owner.name()))) {
				fixture.store.set("owned/x", 1, Map.of("n", 1)).join();
				assertThat(database.queryForString("SELECT tableowner FROM pg_tables WHERE schemaname = ? AND tablename = ?",
						schema.value(), "owned")).isEqualTo(owner.name());
				assertThat(fixture.store.get("owned/x").version()).isEqualTo(1);
				// the login user (the tests' superuser) still writes to it and drops it
				fixture.store.delete("owned/x").join();
				assertThat(fixture.store.getSchemaOverview()).doesNotContainKey("owned");
			}
			try (StoreFixture unowned = StoreFixture.start(schema.value())) {
				unowned.store.set("unowned/x", 1, Map.of()).join();
				assertThat(database.queryForString("SELECT tableowner FROM pg_tables WHERE schemaname = ? AND tablename = ?",
						schema.value(), "unowned")).isEqualTo(database.username());
			}
		}
	}

	@Test
	void aTableTheReferenceCreatesAtTheSameMomentIsUsedAsItIs(TestSchema.Name schema) throws Exception {
		TestDatabase database = schema.database();
		try (StoreFixture fixture = StoreFixture.start(schema.value()); Connection reference = database.connect()) {
			// The reference's DDL (statements.js of 3.0.4), in its one implicit transaction, not yet committed.
			String table = Identifiers.qualify(schema.value(), "race");
			reference.setAutoCommit(false);
			try (Statement statement = reference.createStatement()) {
				statement.execute("CREATE TABLE " + table + " (id text NOT NULL, version int DEFAULT 0, val text NOT NULL,"
						+ " PRIMARY KEY (id)) WITH (OIDS = FALSE) TABLESPACE pg_default");
				statement.execute("CREATE TRIGGER \"broadcast_update_" + schema.value() + "_race\" AFTER INSERT OR UPDATE"
						+ " OR DELETE ON " + table + " FOR EACH ROW EXECUTE PROCEDURE broadcast_update()");
				statement.execute("NOTIFY \"" + schema.value() + "\", 'CREATE_TABLE:race'");
			}
			CompletableFuture<Void> write = fixture.store.set("race/ours", 1, Map.of("by", "java"));
			// our CREATE TABLE waits for the reference's transaction to decide
			String waitingCreate = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
					+ " AND query LIKE 'CREATE TABLE " + table.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%'";
			await().until(() -> database.queryForLong(waitingCreate) == 1);
			reference.commit();

			write.get(20, TimeUnit.SECONDS);
			assertThat(fixture.store.get("race/ours").value()).hasToString("{\"by\":\"java\"}");
			assertThat(database.queryForLong("SELECT count(*) FROM " + table)).isOne();
			// the reference's table, with its trigger, and no second one of ours
			assertThat(database.queryForLong("SELECT count(*) FROM pg_trigger WHERE tgrelid = to_regclass(?) AND NOT tgisinternal",
					table)).isOne();
			assertThat(database.queryForString("SELECT conname FROM pg_constraint WHERE conrelid = to_regclass(?) AND contype = 'p'",
					table)).isEqualTo("race_pkey");
			assertThat(fixture.store.statistics().writesFailed()).isZero();
			assertThat(fixture.store.statistics().tablesCreated()).as("the reference created it").isZero();
		}
	}

}
