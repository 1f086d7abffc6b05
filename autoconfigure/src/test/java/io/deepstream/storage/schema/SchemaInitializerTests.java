package io.deepstream.storage.schema;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The minimum server version check, on the numbers PostgreSQL reports as {@code server_version_num}
 * (no server of an unsupported version is available to the tests; {@code SchemaInitializerIT} runs the
 * same check against the real one).
 */
class SchemaInitializerTests {

	@Test
	void refusesAServerOlderThanTwelveNamingBothVersions() {
		assertThatIllegalStateException()
			.isThrownBy(() -> SchemaInitializer.requireSupportedVersion(110022, "PostgreSQL 11.22 on x86_64-pc-linux-gnu"))
			.withMessage("PostgreSQL 12 or later is required, the server is PostgreSQL 11.22 on x86_64-pc-linux-gnu");
		assertThatIllegalStateException()
			.isThrownBy(() -> SchemaInitializer.requireSupportedVersion(119999, "PostgreSQL 11.99"));
		assertThatIllegalStateException().isThrownBy(() -> SchemaInitializer.requireSupportedVersion(90624, "PostgreSQL 9.6.24"));
	}

	@Test
	void acceptsTwelveAndLater() {
		assertThatNoException().isThrownBy(() -> SchemaInitializer.requireSupportedVersion(120000, "PostgreSQL 12.0"));
		assertThatNoException().isThrownBy(() -> SchemaInitializer.requireSupportedVersion(150020, "PostgreSQL 15.20"));
		assertThatNoException().isThrownBy(() -> SchemaInitializer.requireSupportedVersion(180001, "PostgreSQL 18.1"));
	}

}
