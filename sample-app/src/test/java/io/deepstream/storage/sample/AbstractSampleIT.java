package io.deepstream.storage.sample;

import io.deepstream.storage.test.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What every integration test of the sample shares: the application on a random port, pointed at the
 * test run's PostgreSQL ({@link TestDatabase}) in a schema of its own, with settings that keep tests
 * fast and small; after the test class the schema is dropped and the context closed. A test class
 * adds settings with {@code @TestPropertySource}, or with a {@code @DynamicPropertySource} method of
 * another name.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
public abstract class AbstractSampleIT {

	/** The application's port. */
	@LocalServerPort
	protected int port;

	/** The schema of the records, new for every test class. */
	@Value("${deepstream.storage.schema}")
	protected String schema;

	@DynamicPropertySource
	static void sampleDatabase(DynamicPropertyRegistry registry) {
		// called once for each context, and @DirtiesContext gives every test class a context of its own
		String schema = TestDatabase.uniqueSchemaName("sample");
		TestDatabase database = TestDatabase.get();
		registry.add("deepstream.storage.url", database::url);
		registry.add("deepstream.storage.user", database::username);
		registry.add("deepstream.storage.password", database::password);
		registry.add("deepstream.storage.schema", () -> schema);
		registry.add("deepstream.storage.write-interval", () -> "20ms");
		registry.add("deepstream.storage.max", () -> "4");
	}

	@AfterAll
	static void dropSchema(@Value("${deepstream.storage.schema}") String schema) {
		TestDatabase.get().dropSchema(schema);
	}

}
