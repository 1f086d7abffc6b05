package io.deepstream.storage.schema;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.deepstream.storage.core.ChangeKind;
import io.deepstream.storage.listen.ListenerConnectionFactory;
import io.deepstream.storage.listen.ListenerOptions;
import io.deepstream.storage.listen.Notification;
import io.deepstream.storage.listen.NotificationListener;
import io.deepstream.storage.store.PostgresRecordStore;
import io.deepstream.storage.store.RecordStoreOptions;
import io.deepstream.storage.test.TestDatabase;
import io.deepstream.storage.test.TestRole;
import io.deepstream.storage.test.TestSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What start-up does to the database, against the real server: the version check it passes, and a
 * start by a role that may not replace the shared {@code broadcast_update()} because another role owns
 * it.
 */
@ExtendWith(TestSchema.class)
class SchemaInitializerIT {

	@Test
	void theTestServerPassesTheVersionCheckThatStartUpRuns(TestSchema.Name schema) throws Exception {
		TestDatabase database = schema.database();
		long serverVersion = database.queryForLong("SELECT current_setting('server_version_num')::int");
		assertThat(serverVersion).isGreaterThanOrEqualTo(SchemaInitializer.MINIMUM_SERVER_VERSION);
		try (HikariDataSource dataSource = database.newDataSource(1)) {
			new SchemaInitializer(dataSource).initialize(schema.value());
		}
		assertThat(database.queryForLong("SELECT count(*) FROM pg_namespace WHERE nspname = ?", schema.value())).isOne();
	}

	@Test
	void aRoleThatCannotReplaceBroadcastUpdateStillStartsAndItsTablesNotify(TestSchema.Name schema) throws Exception {
		TestDatabase database = schema.database();
		// The shared function exists, owned by the superuser: as after a start by another role.
		try (HikariDataSource dataSource = database.newDataSource(1)) {
			new SchemaInitializer(dataSource).initialize(schema.value());
		}
		String owner = "SELECT r.rolname FROM pg_proc p JOIN pg_roles r ON r.oid = p.proowner"
				+ " WHERE p.oid = to_regprocedure('broadcast_update()')";
		String ownerBefore = database.queryForString(owner);
		String own = schema.value() + "_own";
		try (TestRole role = TestRole.create(database, "initializer");
				HikariDataSource dataSource = dataSourceAs(database, role)) {
			assertThat(ownerBefore).isNotEqualTo(role.name());
			PostgresRecordStore store = new PostgresRecordStore(dataSource, JsonMapper.builder().build(),
					RecordStoreOptions.builder().schema(own).writeInterval(Duration.ofMillis(20)).build());
			NotificationListener listener = new NotificationListener(
					ListenerConnectionFactory.of(database.url(), role.name(), role.password()),
					ListenerOptions.builder().schema(own).build());
			try {
				store.start(); // 42501 on broadcast_update() is not fatal
				listener.start();
				List<Notification> heard = new CopyOnWriteArrayList<>();
				listener.subscribe(heard::add).get(20, TimeUnit.SECONDS);
				store.set("cars/x", 1, Map.of("by", "role")).get(20, TimeUnit.SECONDS);
				assertThat(store.get("cars/x").version()).isEqualTo(1);
				await().untilAsserted(() -> assertThat(heard).containsExactly(
						new Notification(ChangeKind.CREATE_TABLE, own, "cars", null),
						new Notification(ChangeKind.INSERT, own, "cars", "x")));
			}
			finally {
				listener.close();
				store.close();
			}
			assertThat(database.queryForString(owner)).as("broadcast_update() was left alone").isEqualTo(ownerBefore);
		}
		finally {
			database.dropSchema(own);
		}
	}

	private static HikariDataSource dataSourceAs(TestDatabase database, TestRole role) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(database.url());
		config.setUsername(role.name());
		config.setPassword(role.password());
		config.setMaximumPoolSize(2);
		return new HikariDataSource(config);
	}

}
