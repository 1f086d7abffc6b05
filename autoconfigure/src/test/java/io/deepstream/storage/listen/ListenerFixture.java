package io.deepstream.storage.listen;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;

import com.zaxxer.hikari.HikariDataSource;
import io.deepstream.storage.store.PostgresRecordStore;
import io.deepstream.storage.store.RecordStoreOptions;
import io.deepstream.storage.test.TestDatabase;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the listener tests share: one small pool per test class, record stores and listeners made on
 * it for a test and closed after it (newest first), and connections of the listener's kind. Register
 * it as a static {@code @RegisterExtension} field beside {@code @ExtendWith(TestSchema.class)}.
 */
final class ListenerFixture implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {

	/** How long the tests wait for something that should happen. */
	static final Duration WAIT = Duration.ofSeconds(20);

	private @Nullable HikariDataSource dataSource;

	private final List<AutoCloseable> resources = new ArrayList<>();

	@Override
	public void beforeAll(ExtensionContext context) {
		this.dataSource = TestDatabase.get().newDataSource(4);
	}

	@Override
	public void afterEach(ExtensionContext context) throws Exception {
		List<AutoCloseable> newestFirst = new ArrayList<>(this.resources);
		Collections.reverse(newestFirst);
		this.resources.clear();
		for (AutoCloseable resource : newestFirst) {
			resource.close();
		}
	}

	@Override
	public void afterAll(ExtensionContext context) {
		if (this.dataSource != null) {
			this.dataSource.close();
		}
	}

	/**
	 * A started record store on the class's pool, flushing every 20 ms, closed after the test.
	 * @param schema the schema
	 * @param customizer further options
	 * @return the store
	 */
	PostgresRecordStore store(String schema, UnaryOperator<RecordStoreOptions.Builder> customizer) {
		if (this.dataSource == null) {
			throw new IllegalStateException("ListenerFixture must be a static @RegisterExtension field");
		}
		PostgresRecordStore store = new PostgresRecordStore(this.dataSource, JsonMapper.builder().build(),
				customizer.apply(RecordStoreOptions.builder().schema(schema).writeInterval(Duration.ofMillis(20))).build());
		store.start();
		return track(store);
	}

	/**
	 * Closes a resource after the test.
	 * @param <T> its type
	 * @param resource the resource
	 * @return the resource
	 */
	<T extends AutoCloseable> T track(T resource) {
		this.resources.add(resource);
		return resource;
	}

	/**
	 * Listener options for a schema, polling every 100 ms.
	 * @param schema the schema
	 * @return a builder
	 */
	static ListenerOptions.Builder options(String schema) {
		return ListenerOptions.builder().schema(schema).pollTimeout(Duration.ofMillis(100));
	}

	/**
	 * Direct connections to the test database, as the listener opens them.
	 * @param database the database
	 * @return the factory
	 */
	static ListenerConnectionFactory connections(TestDatabase database) {
		return ListenerConnectionFactory.of(database.url(), database.username(), database.password());
	}

}
