package io.deepstream.storage.autoconfigure.testcontainers;

import java.util.Map;

import io.deepstream.storage.autoconfigure.DeepstreamStorageAutoConfiguration;
import io.deepstream.storage.autoconfigure.DeepstreamStorageConnectionDetails;
import io.deepstream.storage.store.PostgresRecordStore;
import io.deepstream.storage.test.TestDatabase;
import io.deepstream.storage.test.TestSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.boot.testcontainers.service.connection.ServiceConnectionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.testcontainers.postgresql.PostgreSQLContainer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code @ServiceConnection PostgreSQLContainer} bean connects the storage, through Spring Boot's
 * own service-connection machinery and this project's registered factory. Without Docker here, the
 * container is one that is already "running": it answers with the coordinates of the test database
 * (the PostgreSQL behind it is real; only starting a container is skipped).
 */
@ExtendWith(TestSchema.class)
class ServiceConnectionIT {

	@Test
	void aServiceConnectionContainerReplacesThePropertiesConnection(TestSchema.Name schema) {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ServiceConnectionAutoConfiguration.class,
					DeepstreamStorageAutoConfiguration.class))
			.withUserConfiguration(ContainerConfiguration.class)
			.withPropertyValues("deepstream.storage.url=jdbc:postgresql://127.0.0.1:1/not-used",
					"deepstream.storage.startup-timeout=5s", "deepstream.storage.schema=" + schema.value())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				DeepstreamStorageConnectionDetails details = context.getBean(DeepstreamStorageConnectionDetails.class);
				assertThat(details.getClass().getName()).contains("DeepstreamStorageContainerConnectionDetailsFactory");
				assertThat(details.getJdbcUrl()).isEqualTo(TestDatabase.get().url());
				PostgresRecordStore store = context.getBean(PostgresRecordStore.class);
				store.set("served/x", 1, Map.of("via", "service connection")).join();
				assertThat(store.get("served/x").version()).isEqualTo(1);
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class ContainerConfiguration {

		@Bean
		@ServiceConnection
		PostgreSQLContainer postgres() {
			return new RunningDatabase();
		}

	}

	/** Stands in for a started container: its coordinates are those of the test database. */
	static class RunningDatabase extends PostgreSQLContainer {

		RunningDatabase() {
			super("postgres:15-alpine");
		}

		@Override
		public void start() {
		}

		@Override
		public boolean isRunning() {
			return true;
		}

		@Override
		public String getJdbcUrl() {
			return TestDatabase.get().url();
		}

		@Override
		public String getUsername() {
			return TestDatabase.get().username();
		}

		@Override
		public String getPassword() {
			return TestDatabase.get().password();
		}

	}

}
