package io.deepstream.storage.store;

import java.time.Duration;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;

import com.zaxxer.hikari.HikariDataSource;
import io.deepstream.storage.test.TestDatabase;
import tools.jackson.databind.json.JsonMapper;

/**
 * A record store on its own small pool, closed together.
 */
final class StoreFixture implements AutoCloseable {

	static final JsonMapper MAPPER = JsonMapper.builder().build();

	/** Builds the fixtures' pools (of a given size): on the test database, unless {@link ThroughPgBouncer} says otherwise. */
	static final IntFunction<HikariDataSource> DIRECT = (size) -> TestDatabase.get().newDataSource(size);

	static volatile IntFunction<HikariDataSource> pools = DIRECT;

	final HikariDataSource dataSource;

	final PostgresRecordStore store;

	private StoreFixture(HikariDataSource dataSource, PostgresRecordStore store) {
		this.dataSource = dataSource;
		this.store = store;
	}

	static StoreFixture start(String schema) {
		return start(schema, UnaryOperator.identity());
	}

	static StoreFixture start(String schema, UnaryOperator<RecordStoreOptions.Builder> customizer) {
		RecordStoreOptions options = customizer
			.apply(RecordStoreOptions.builder().schema(schema).writeInterval(Duration.ofMillis(20)))
			.build();
		HikariDataSource dataSource = pools.apply(4);
		PostgresRecordStore store = new PostgresRecordStore(dataSource, MAPPER, options);
		store.start();
		return new StoreFixture(dataSource, store);
	}

	@Override
	public void close() {
		this.store.close();
		this.dataSource.close();
	}

}
