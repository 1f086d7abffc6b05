package io.deepstream.storage.store;

import java.util.UUID;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.deepstream.storage.test.TestDatabase;
import io.deepstream.storage.test.ThrowawayPgBouncer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a store test class with every {@link StoreFixture} pool going through a PgBouncer in
 * transaction mode (a {@link ThrowawayPgBouncer} in front of the test database), with the pool
 * settings the auto-configuration uses ({@code prepareThreshold=0}). The tests' own checks still read
 * the database directly.
 */
final class ThroughPgBouncer implements BeforeAllCallback, AfterAllCallback {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ThroughPgBouncer.class);

	@Override
	public void beforeAll(ExtensionContext context) {
		TestDatabase database = TestDatabase.get();
		ThrowawayPgBouncer bouncer = ThrowawayPgBouncer.start(database.url(), database.username(), database.password());
		context.getStore(NAMESPACE).put("bouncer", bouncer);
		String url = bouncer.jdbcUrlOf(database.url());
		StoreFixture.pools = (size) -> {
			HikariConfig config = new HikariConfig();
			config.setJdbcUrl(url);
			config.setUsername(database.username());
			config.setPassword(database.password());
			config.setMaximumPoolSize(size);
			// as the auto-configuration's pool (deepstream.storage.pool.prepare-threshold)
			config.addDataSourceProperty("prepareThreshold", "0");
			config.setPoolName("pgbouncer-" + UUID.randomUUID().toString().substring(0, 8));
			return new HikariDataSource(config);
		};
	}

	@Override
	public void afterAll(ExtensionContext context) {
		StoreFixture.pools = StoreFixture.DIRECT;
		ThrowawayPgBouncer bouncer = context.getStore(NAMESPACE).remove("bouncer", ThrowawayPgBouncer.class);
		if (bouncer != null) {
			bouncer.close();
		}
	}

}
