package io.deepstream.storage.listen;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.deepstream.storage.core.ChangeKind;
import io.deepstream.storage.core.Identifiers;
import io.deepstream.storage.core.NotificationSwitches;
import io.deepstream.storage.store.PostgresRecordStore;
import io.deepstream.storage.test.TestDatabase;
import io.deepstream.storage.test.TestSchema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The five switches shape both the trigger DDL of new tables and what the listener delivers.
 * {@code notificationsReceived} tells the two apart: a notification the trigger does not send is
 * not received at all, one the listener filters is received and not delivered.
 */
@ExtendWith(TestSchema.class)
class NotificationSwitchesIT {

	private static final Duration WAIT = ListenerFixture.WAIT;

	@RegisterExtension
	static final ListenerFixture fixture = new ListenerFixture();

	private String schema;

	private TestDatabase database;

	@BeforeEach
	void setUp(TestSchema.Name name) {
		this.schema = name.value();
		this.database = name.database();
	}

	@Test
	void updateOffMeansNoUpdateTriggerAndNoUpdateEvent() throws Exception {
		NotificationSwitches noUpdate = new NotificationSwitches(true, true, true, false, true);
		PostgresRecordStore store = store(noUpdate);
		NotificationListener listener = listener(noUpdate);
		Recorder recorder = new Recorder();
		listener.subscribe(recorder).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

		store.set("trucks/a", 1, Map.of()).join();
		assertThat(triggerEvents("trucks")).containsExactlyInAnyOrder("INSERT", "DELETE");
		store.set("trucks/a", 2, Map.of("v", 2)).join(); // an update through the store
		this.database.execute("UPDATE " + Identifiers.qualify(this.schema, "trucks") + " SET version = 3 WHERE id = ?",
				"a"); // and one from another connection
		store.set("trucks/b", 1, Map.of()).join();
		store.delete("trucks/a").join();
		store.delete("trucks/b").join();

		await().atMost(WAIT).untilAsserted(() -> assertThat(recorder.notifications).containsExactly(
				table(ChangeKind.CREATE_TABLE, "trucks"), record(ChangeKind.INSERT, "trucks", "a"),
				record(ChangeKind.INSERT, "trucks", "b"), record(ChangeKind.DELETE, "trucks", "a"),
				record(ChangeKind.DELETE, "trucks", "b"), table(ChangeKind.DESTROY_TABLE, "trucks")));
		// not filtered by the listener: never sent
		assertThat(listener.state().notificationsReceived()).isEqualTo(6);
	}

	@Test
	void tableNotificationsOffMeansNoCreateOrDestroyNotification() throws Exception {
		PostgresRecordStore store = store(new NotificationSwitches(false, false, true, true, true));
		NotificationListener listener = listener(NotificationSwitches.ALL);
		Recorder recorder = new Recorder();
		listener.subscribe(recorder).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

		store.set("vans/a", 1, Map.of()).join();
		assertThat(triggerEvents("vans")).containsExactlyInAnyOrder("INSERT", "UPDATE", "DELETE");
		store.set("vans/a", 2, Map.of()).join();
		store.delete("vans/a").join();

		await().atMost(WAIT).untilAsserted(() -> assertThat(recorder.notifications).containsExactly(
				record(ChangeKind.INSERT, "vans", "a"), record(ChangeKind.UPDATE, "vans", "a"),
				record(ChangeKind.DELETE, "vans", "a")));
		assertThat(tableExists("vans")).isFalse();
		// the table was dropped without DESTROY_TABLE; a sentinel proves nothing else is on its way
		this.database.execute("SELECT pg_notify(?, ?)", this.schema, "INSERT:sentinel:1");
		await().atMost(WAIT).untilAsserted(() -> assertThat(recorder.notifications).hasSize(4));
		assertThat(recorder.notifications.get(3)).isEqualTo(record(ChangeKind.INSERT, "sentinel", "1"));
	}

	@Test
	void recordNotificationsOffMeansNoTriggerAtAll() throws Exception {
		PostgresRecordStore store = store(new NotificationSwitches(true, true, false, false, false));
		NotificationListener listener = listener(NotificationSwitches.ALL);
		Recorder recorder = new Recorder();
		listener.subscribe(recorder).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

		store.set("bikes/a", 1, Map.of()).join();
		assertThat(triggerEvents("bikes")).isEmpty();
		store.set("bikes/a", 2, Map.of()).join();
		store.delete("bikes/a").join();

		await().atMost(WAIT).untilAsserted(() -> assertThat(recorder.notifications)
			.containsExactly(table(ChangeKind.CREATE_TABLE, "bikes"), table(ChangeKind.DESTROY_TABLE, "bikes")));
		assertThat(listener.state().notificationsReceived()).isEqualTo(2);
	}

	private PostgresRecordStore store(NotificationSwitches switches) {
		return fixture.store(this.schema, (options) -> options.notifications(switches));
	}

	private NotificationListener listener(NotificationSwitches switches) {
		NotificationListener listener = fixture.track(new NotificationListener(ListenerFixture.connections(this.database),
				ListenerFixture.options(this.schema).notifications(switches).build()));
		listener.start();
		return listener;
	}

	private List<String> triggerEvents(String table) throws SQLException {
		try (Connection connection = this.database.connect();
				PreparedStatement query = connection.prepareStatement("SELECT event_manipulation FROM information_schema.triggers "
						+ "WHERE event_object_schema = ? AND event_object_table = ?")) {
			query.setString(1, this.schema);
			query.setString(2, table);
			List<String> events = new ArrayList<>();
			try (ResultSet rs = query.executeQuery()) {
				while (rs.next()) {
					events.add(rs.getString(1));
				}
			}
			return events;
		}
	}

	private boolean tableExists(String table) throws SQLException {
		try (Connection connection = this.database.connect();
				PreparedStatement query = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
			query.setString(1, Identifiers.qualify(this.schema, table));
			try (ResultSet rs = query.executeQuery()) {
				rs.next();
				return rs.getBoolean(1);
			}
		}
	}

	private Notification record(ChangeKind kind, String table, String id) {
		return new Notification(kind, this.schema, table, id);
	}

	private Notification table(ChangeKind kind, String table) {
		return new Notification(kind, this.schema, table, null);
	}

}
