package io.deepstream.storage.store;

import java.util.function.UnaryOperator;

import io.deepstream.storage.test.TestSchema;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One record store that every test of a class shares: a {@link StoreFixture} (a small pool of its
 * own, writes flushed every 20 ms unless the options say otherwise) in a schema of the class's own
 * ({@link TestSchema}), started before the class's first test and closed, its schema dropped, after
 * its last. Register it as a static {@code @RegisterExtension} field: a field's extension comes after
 * the class's {@code @ExtendWith} ones, so a subclass's {@link ThroughPgBouncer} is in place before
 * the store starts and still there when it closes.
 */
final class SharedStore implements BeforeAllCallback, AfterAllCallback {

	private final TestSchema schemas = new TestSchema();

	private final UnaryOperator<RecordStoreOptions.Builder> options;

	private @Nullable StoreFixture fixture;

	private TestSchema.@Nullable Name schema;

	/**
	 * A store with the fixture's options.
	 */
	SharedStore() {
		this(UnaryOperator.identity());
	}

	/**
	 * A store with further options.
	 * @param options changes to the fixture's options
	 */
	SharedStore(UnaryOperator<RecordStoreOptions.Builder> options) {
		this.options = options;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		this.schemas.beforeAll(context);
		this.schema = TestSchema.of(context);
		this.fixture = StoreFixture.start(this.schema.value(), this.options);
	}

	@Override
	public void afterAll(ExtensionContext context) {
		try {
			if (this.fixture != null) {
				this.fixture.close();
			}
		}
		finally {
			this.fixture = null;
			this.schema = null;
			this.schemas.afterAll(context);
		}
	}

	/**
	 * The started store of the running class.
	 * @return the store
	 */
	PostgresRecordStore store() {
		if (this.fixture == null) {
			throw new IllegalStateException("SharedStore must be a static @RegisterExtension field");
		}
		return this.fixture.store;
	}

	/**
	 * The running class's schema.
	 * @return the schema
	 */
	TestSchema.Name schema() {
		if (this.schema == null) {
			throw new IllegalStateException("SharedStore must be a static @RegisterExtension field");
		}
		return this.schema;
	}

}
