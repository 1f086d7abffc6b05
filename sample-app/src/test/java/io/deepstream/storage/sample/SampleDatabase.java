package io.deepstream.storage.sample;

import io.deepstream.storage.test.TestDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Points the application under test at the test run's PostgreSQL ({@link TestDatabase}), in a schema
 * of the test class's own.
 */
public final class SampleDatabase {

	private SampleDatabase() {
	}

	/**
	 * Registers the connection, the schema and settings that keep tests fast and small.
	 * @param registry the registry of a {@code @DynamicPropertySource} method
	 * @param schema the test class's schema, from {@link TestDatabase#uniqueSchemaName(String)}
	 */
	public static void register(DynamicPropertyRegistry registry, String schema) {
		TestDatabase database = TestDatabase.get();
		registry.add("deepstream.storage.url", database::url);
		registry.add("deepstream.storage.user", database::username);
		registry.add("deepstream.storage.password", database::password);
		registry.add("deepstream.storage.schema", () -> schema);
		registry.add("deepstream.storage.write-interval", () -> "20ms");
		registry.add("deepstream.storage.max", () -> "4");
	}

}
