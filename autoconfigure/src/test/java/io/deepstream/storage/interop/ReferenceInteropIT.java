package io.deepstream.storage.interop;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import io.deepstream.storage.listen.ListenerConnectionFactory;
import io.deepstream.storage.listen.ListenerOptions;
import io.deepstream.storage.listen.Notification;
import io.deepstream.storage.listen.NotificationListener;
import io.deepstream.storage.store.PostgresRecordStore;
import io.deepstream.storage.store.RecordStoreOptions;
import io.deepstream.storage.store.StoredRecord;
import io.deepstream.storage.test.TestSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A process running the reference Node.js connector and this store share one database: each reads
 * what the other wrote, and both sides see the same notifications for each other's writes.
 */
@ExtendWith(TestSchema.class)
class ReferenceInteropIT {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	@Test
	void theReferenceAndThisStoreReadEachOthersRecordsAndSeeTheSameNotifications(TestSchema.Name schema) throws Exception {
		ReferenceConnector reference = new ReferenceConnector(schema.database(), schema.value());
		try (HikariDataSource dataSource = schema.database().newDataSource(4)) {
			PostgresRecordStore store = new PostgresRecordStore(dataSource, MAPPER,
					RecordStoreOptions.builder().schema(schema.value()).writeInterval(Duration.ofMillis(20)).build());
			store.start();
			NotificationListener listener = new NotificationListener(ListenerConnectionFactory.of(schema.database().url(),
					schema.database().username(), schema.database().password()),
					ListenerOptions.builder().schema(schema.value()).build());
			List<String> ours = new CopyOnWriteArrayList<>();
			listener.subscribe((n) -> ours.add(describe(n)));
			listener.start();
			List<JsonNode> theirs = new CopyOnWriteArrayList<>();
			try {
				Process referenceListener = reference.listen(60_000, theirs);
				await().until(() -> listener.state().connected() && listener.state().channels().contains(schema.value()));

				store.set("interop/from-java", 2, Map.of("by", "java", "quote", "it's")).join();
				assertThat(reference.run("get", "interop/from-java")).singleElement().satisfies((line) -> {
					assertThat(line.get("version").asInt()).isEqualTo(2);
					assertThat(line.get("value")).isEqualTo(MAPPER.readTree("{\"by\":\"java\",\"quote\":\"it's\"}"));
				});

				assertThat(reference.run("set", "interop/from-node", "5", "{\"by\":\"node\",\"list\":[1,2.5,null]}"))
					.singleElement().satisfies((line) -> assertThat(line.get("ok").asBoolean()).isTrue());
				StoredRecord fromNode = store.get("interop/from-node");
				assertThat(fromNode.version()).isEqualTo(5);
				// the store reads numbers exactly (2.5 as a decimal), so compare the JSON text
				assertThat(fromNode.value().toString()).isEqualTo("{\"by\":\"node\",\"list\":[1,2.5,null]}");

				assertThat(reference.run("get", "interop/missing")).singleElement()
					.satisfies((line) -> assertThat(line.get("version").asInt()).isEqualTo(-1));
				store.set("interop/from-java", 3, Map.of("by", "java again")).join();
				reference.run("delete", "interop/from-node");
				store.delete("interop/from-java").join();

				List<String> expected = List.of("CREATE_TABLE interop", "INSERT interop from-java", "INSERT interop from-node",
						"UPDATE interop from-java", "DELETE interop from-node", "DELETE interop from-java",
						"DESTROY_TABLE interop");
				await().untilAsserted(() -> assertThat(ours).containsExactlyElementsOf(expected));
				await().untilAsserted(() -> assertThat(theirs).map(ReferenceInteropIT::describe).containsExactlyElementsOf(expected));
				referenceListener.destroy();
				referenceListener.waitFor(10, TimeUnit.SECONDS);
				assertThat(store.getSchemaOverview()).doesNotContainKey("interop");
			}
			finally {
				listener.stop();
				store.close();
			}
		}
	}

	@Test
	void aTableTheReferenceCreatesMeetsOurWritesAndListenerAndWeRecreateItAfterItsDrop(TestSchema.Name schema)
			throws Exception {
		ReferenceConnector reference = new ReferenceConnector(schema.database(), schema.value());
		try (HikariDataSource dataSource = schema.database().newDataSource(4)) {
			PostgresRecordStore store = new PostgresRecordStore(dataSource, MAPPER,
					RecordStoreOptions.builder().schema(schema.value()).writeInterval(Duration.ofMillis(20)).build());
			store.start();
			NotificationListener listener = new NotificationListener(ListenerConnectionFactory.of(schema.database().url(),
					schema.database().username(), schema.database().password()),
					ListenerOptions.builder().schema(schema.value()).build());
			List<String> ours = new CopyOnWriteArrayList<>();
			listener.start();
			listener.subscribe((n) -> ours.add(describe(n))).get(30, TimeUnit.SECONDS);
			List<JsonNode> theirs = new CopyOnWriteArrayList<>();
			try {
				Process referenceListener = reference.listen(60_000, theirs);

				// the reference creates the table, with its DDL and its trigger
				assertThat(reference.run("set", "theirs/a", "1", "{\"by\":\"node\"}")).singleElement()
					.satisfies((line) -> assertThat(line.get("ok").asBoolean()).isTrue());
				assertThat(schema.database().queryForString("SELECT tgname FROM pg_trigger WHERE tgrelid = to_regclass(?)"
						+ " AND NOT tgisinternal", "\"" + schema.value() + "\".theirs"))
					.isEqualTo("broadcast_update_" + schema.value() + "_theirs");
				assertThat(store.get("theirs/a").value()).hasToString("{\"by\":\"node\"}");

				// our writes to its table fire its trigger, and it reads them
				store.set("theirs/b", 2, Map.of("by", "java")).join();
				store.set("theirs/a", 3, Map.of("by", "java")).join();
				assertThat(reference.run("get", "theirs/b")).singleElement().satisfies((line) -> {
					assertThat(line.get("version").asInt()).isEqualTo(2);
					assertThat(line.get("value")).isEqualTo(MAPPER.readTree("{\"by\":\"java\"}"));
				});

				// it drops its table after its delete of the last row; our next write creates it again
				store.delete("theirs/a").join();
				reference.run("delete", "theirs/b");
				assertThat(store.getSchemaOverview()).doesNotContainKey("theirs");
				store.set("theirs/c", 1, Map.of("by", "java")).join();
				assertThat(reference.run("get", "theirs/c")).singleElement()
					.satisfies((line) -> assertThat(line.get("version").asInt()).isEqualTo(1));
				reference.run("delete", "theirs/c");

				List<String> expected = List.of("CREATE_TABLE theirs", "INSERT theirs a", "INSERT theirs b",
						"UPDATE theirs a", "DELETE theirs a", "DELETE theirs b", "DESTROY_TABLE theirs",
						"CREATE_TABLE theirs", "INSERT theirs c", "DELETE theirs c", "DESTROY_TABLE theirs");
				await().untilAsserted(() -> assertThat(ours).containsExactlyElementsOf(expected));
				await().untilAsserted(() -> assertThat(theirs).map(ReferenceInteropIT::describe).containsExactlyElementsOf(expected));
				referenceListener.destroy();
				referenceListener.waitFor(10, TimeUnit.SECONDS);
				assertThat(store.getSchemaOverview()).doesNotContainKey("theirs");
				assertThat(store.statistics().writesFailed()).isZero();
			}
			finally {
				listener.stop();
				store.close();
			}
		}
	}

	private static String describe(Notification notification) {
		return notification.kind() + " " + notification.table() + ((notification.id() != null) ? " " + notification.id() : "");
	}

	private static String describe(JsonNode event) {
		return event.get("event").asString() + " " + event.get("table").asString()
				+ (event.has("key") ? " " + event.get("key").asString() : "");
	}

}
