package io.deepstream.storage.store;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.deepstream.storage.core.NotificationSwitches;
import io.deepstream.storage.test.TestSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the store leaves in PostgreSQL is exactly what the reference connector writes and reads:
 * schema objects, table DDL, trigger, values, and notification payloads.
 */
@ExtendWith(TestSchema.class)
class WireFormatIT {

	private static StoreFixture fixture;

	private static TestSchema.Name schema;

	@BeforeAll
	static void startStore(TestSchema.Name name) {
		schema = name;
		fixture = StoreFixture.start(name.value());
	}

	@AfterAll
	static void closeStore() {
		fixture.close();
	}

	@Test
	void createsTheReferenceFunctions() {
		List<Map<String, Object>> functions = fixture.store.query(
				"SELECT to_regprocedure('count_rows(text,text)') IS NOT NULL AS count_rows, "
						+ "to_regprocedure('delete_if_empty(text,text)') IS NOT NULL AS delete_if_empty, "
						+ "to_regprocedure('broadcast_update()') IS NOT NULL AS broadcast_update");
		assertThat(functions).containsExactly(Map.of("count_rows", true, "delete_if_empty", true, "broadcast_update", true));
	}

	@Test
	void createsTablesWithTheReferenceColumnsKeyAndTrigger() {
		fixture.store.set("layout/x", 1, Map.of("a", 1)).join();
		List<Map<String, Object>> columns = fixture.store.query("""
				SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns
				WHERE table_schema = ? AND table_name = 'layout' ORDER BY ordinal_position""", schema.value());
		assertThat(columns).extracting((c) -> c.get("column_name") + " " + c.get("data_type") + " " + c.get("is_nullable")
				+ " " + c.get("column_default"))
			.containsExactly("id text NO null", "version integer YES 0", "val text NO null");
		List<Map<String, Object>> key = fixture.store.query("""
				SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
				WHERE i.indrelid = to_regclass(?) AND i.indisprimary""", "\"" + schema + "\".layout");
		assertThat(key).containsExactly(Map.of("attname", "id"));
		List<Map<String, Object>> triggers = fixture.store.query("""
				SELECT trigger_name, event_manipulation, action_timing, action_orientation FROM information_schema.triggers
				WHERE event_object_schema = ? AND event_object_table = 'layout' ORDER BY event_manipulation""", schema.value());
		assertThat(triggers).extracting((t) -> t.get("trigger_name") + " " + t.get("action_timing") + " "
				+ t.get("event_manipulation") + " " + t.get("action_orientation"))
			.containsExactly("broadcast_update_" + schema + "_layout AFTER DELETE ROW",
					"broadcast_update_" + schema + "_layout AFTER INSERT ROW",
					"broadcast_update_" + schema + "_layout AFTER UPDATE ROW");
	}

	@Test
	void storesTheValueAsJsonTextAndTheVersionAsGiven() {
		fixture.store.set("stored/x", 42, Map.of("name", "O'Brien")).join();
		assertThat(fixture.store.query("SELECT id, version, val FROM \"" + schema + "\".stored"))
			.containsExactly(Map.of("id", "x", "version", 42, "val", "{\"name\":\"O'Brien\"}"));
	}

	@Test
	void readsRowsWrittenByAnotherProcessInTheReferenceFormat() {
		fixture.store.set("foreign/seed", 1, Map.of()).join();
		schema.database().execute("INSERT INTO \"" + schema + "\".foreign (id, version, val) VALUES (?, ?, ?)", "car",
				5, "{\"brand\":\"bmw\",\"tags\":[1,2]}");
		StoredRecord record = fixture.store.get("foreign/car");
		assertThat(record.version()).isEqualTo(5);
		assertThat(record.value().get("brand").asString()).isEqualTo("bmw");
		assertThat(record.value().get("tags").size()).isEqualTo(2);
	}

	@Test
	void sendsTheReferencePayloadsOnTheSchemaChannel() throws Exception {
		try (Connection listener = schema.database().connect(); Statement statement = listener.createStatement()) {
			statement.execute("LISTEN \"" + schema + "\"");
			fixture.store.set("payloads/a:b'c", 1, Map.of()).join();
			fixture.store.set("payloads/a:b'c", 2, Map.of()).join();
			fixture.store.delete("payloads/a:b'c").join();
			List<String> received = new ArrayList<>();
			await().until(() -> {
				PGNotification[] notifications = listener.unwrap(PGConnection.class).getNotifications(100);
				if (notifications != null) {
					for (PGNotification notification : notifications) {
						assertThat(notification.getName()).isEqualTo(schema.value());
						received.add(notification.getParameter());
					}
				}
				return received.size() >= 5;
			});
			assertThat(received).containsExactly("CREATE_TABLE:payloads", "INSERT:payloads:a:b'c",
					"UPDATE:payloads:a:b'c", "DELETE:payloads:a:b'c", "DESTROY_TABLE:payloads");
		}
	}

	@Test
	void sendsOneNotificationPerRowOfBatchesThatInsertAndUpdateSeveralTablesTogether() throws Exception {
		fixture.store.set("mixed/old1", 1, Map.of()).join();
		fixture.store.set("mixed/old2", 1, Map.of()).join();
		fixture.store.set("other/old", 1, Map.of()).join();
		try (Connection listener = schema.database().connect(); Statement statement = listener.createStatement()) {
			statement.execute("LISTEN \"" + schema + "\"");
			List<CompletableFuture<Void>> writes = new ArrayList<>();
			for (String name : List.of("mixed/old1", "other/new", "mixed/new1", "mixed/old2", "other/old", "mixed/new2")) {
				writes.add(fixture.store.set(name, 2, Map.of("name", name)));
			}
			writes.forEach(CompletableFuture::join);
			List<String> received = new ArrayList<>();
			await().until(() -> {
				PGNotification[] notifications = listener.unwrap(PGConnection.class).getNotifications(100);
				if (notifications != null) {
					for (PGNotification notification : notifications) {
						received.add(notification.getParameter());
					}
				}
				return received.size() >= 6;
			});
			// nothing more arrives: exactly one per row
			assertThat(listener.unwrap(PGConnection.class).getNotifications(300)).isNullOrEmpty();
			assertThat(received).containsExactlyInAnyOrder("UPDATE:mixed:old1", "UPDATE:mixed:old2", "INSERT:mixed:new1",
					"INSERT:mixed:new2", "INSERT:other:new", "UPDATE:other:old");
		}
	}

	@Test
	void shapesTheTriggerByTheSwitches() {
		try (StoreFixture quiet = StoreFixture.start(schema.value(),
				(options) -> options.notifications(new NotificationSwitches(false, true, true, false, true)))) {
			quiet.store.set("noupdates/x", 1, Map.of()).join();
			List<Map<String, Object>> events = quiet.store.query("""
					SELECT event_manipulation FROM information_schema.triggers
					WHERE event_object_schema = ? AND event_object_table = 'noupdates' ORDER BY 1""", schema.value());
			assertThat(events).extracting((e) -> e.get("event_manipulation")).containsExactly("DELETE", "INSERT");
		}
		try (StoreFixture silent = StoreFixture.start(schema.value(), (options) -> options.notifications(NotificationSwitches.NONE))) {
			silent.store.set("notrigger/x", 1, Map.of()).join();
			assertThat(silent.store.query("SELECT 1 FROM information_schema.triggers WHERE event_object_schema = ? "
					+ "AND event_object_table = 'notrigger'", schema.value())).isEmpty();
		}
	}

	@Test
	void storesJsonbWhenAsked() {
		try (StoreFixture jsonb = StoreFixture.start(schema.value(), (options) -> options.useJsonb(true))) {
			jsonb.store.set("binary/x", 3, Map.of("deep", Map.of("list", List.of(1, "two")))).join();
			assertThat(jsonb.store.query("SELECT data_type FROM information_schema.columns WHERE table_schema = ? "
					+ "AND table_name = 'binary' AND column_name = 'val'", schema.value()))
				.containsExactly(Map.of("data_type", "jsonb"));
			assertThat(jsonb.store.get("binary/x").value()).isEqualTo(
					StoreFixture.MAPPER.readTree("{\"deep\":{\"list\":[1,\"two\"]}}"));
			assertThat(jsonb.store.query("SELECT val->'deep'->'list'->>1 AS two FROM \"" + schema + "\".\"binary\""))
				.containsExactly(Map.of("two", "two"));
		}
	}

}
