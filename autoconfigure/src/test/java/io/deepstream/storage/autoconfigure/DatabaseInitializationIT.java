package io.deepstream.storage.autoconfigure;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

import javax.sql.DataSource;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.deepstream.storage.schema.SchemaInitializer;
import io.deepstream.storage.store.PostgresRecordStore;
import io.deepstream.storage.store.StoredRecord;
import io.deepstream.storage.test.TestSchema;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The schema is a database initializer of Spring Boot's: created once per start, before every bean
 * that depends on database initialisation and before Flyway's migrations, and no {@code @Bean} method
 * starts the store.
 */
@ExtendWith(TestSchema.class)
class DatabaseInitializationIT {

	private static TestSchema.Name schema;

	private static ApplicationContextRunner runner;

	@BeforeAll
	static void database(TestSchema.Name name) {
		schema = name;
		runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DeepstreamStorageAutoConfiguration.class, DataSourceAutoConfiguration.class))
			.withPropertyValues("deepstream.storage.url=" + name.database().url(),
					"deepstream.storage.user=" + name.database().username(),
					"deepstream.storage.password=" + name.database().password(),
					"deepstream.storage.schema=" + name.value(), "deepstream.storage.write-interval=20ms",
					"spring.datasource.url=" + name.database().url(),
					"spring.datasource.username=" + name.database().username(),
					"spring.datasource.password=" + name.database().password());
	}

	@Test
	void createsTheSchemaBeforeBeansThatDependOnDatabaseInitialization() {
		// a schema no other test created, so that only the ordering can have created it in time
		String fresh = probedSchema();
		schema.database().dropSchema(fresh);
		try {
			runner.withPropertyValues("deepstream.storage.schema=" + fresh)
				.withUserConfiguration(SchemaProbeConfiguration.class)
				.run((context) -> {
					assertThat(context).hasNotFailed().hasSingleBean(DeepstreamStorageSchemaInitializer.class);
					// the probe uses only the application's DataSource and no deepstream bean
					assertThat(context.getBean(SchemaProbe.class).triggerFunctionExisted).isTrue();
				});
		}
		finally {
			schema.database().dropSchema(fresh);
		}
	}

	@Test
	void runsFlywayMigrationsAfterTheSchemaIsCreated() {
		String fresh = probedSchema();
		String history = schema.value() + "_fw";
		schema.database().dropSchema(fresh);
		schema.database().dropSchema(history);
		try {
			runner.withConfiguration(AutoConfigurations.of(FlywayAutoConfiguration.class))
				.withPropertyValues("deepstream.storage.schema=" + fresh, "spring.flyway.locations=classpath:db/after-deepstream",
						"spring.flyway.schemas=" + history, "spring.flyway.placeholders.dsSchema=" + fresh)
				.run((context) -> {
					assertThat(context).hasNotFailed().hasSingleBean(Flyway.class);
					JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
					assertThat(jdbc.queryForObject("SELECT obj_description(to_regproc(?), 'pg_proc')", String.class,
							"\"" + fresh + "\".deepstream_record_change")).isEqualTo("seen by a Flyway migration");
				});
		}
		finally {
			schema.database().dropSchema(fresh);
			schema.database().dropSchema(history);
		}
	}

	static String probedSchema() {
		return schema.value() + "_p";
	}

	@Test
	void createsTheSchemaOncePerStart() {
		Logger logger = (Logger) LoggerFactory.getLogger(SchemaInitializer.class);
		Level level = logger.getLevel();
		ListAppender<ILoggingEvent> events = new ListAppender<>();
		events.start();
		logger.addAppender(events);
		logger.setLevel(Level.DEBUG);
		try {
			runner.run((context) -> {
				PostgresRecordStore store = context.getBean(PostgresRecordStore.class);
				store.set("once/x", 1, Map.of()).join();
				assertThat(store.get("once/x")).isNotEqualTo(StoredRecord.MISSING);
			});
		}
		finally {
			logger.detachAppender(events);
			logger.setLevel(level);
		}
		assertThat(events.list).filteredOn((event) -> event.getFormattedMessage().equals("Schema " + schema + " is ready"))
			.hasSize(1);
	}

	@Test
	void theLifecycleStartsTheStoreNotItsBeanMethod() {
		runner.withUserConfiguration(StoreWatcherConfiguration.class).run((context) -> {
			assertThat(context.getBean(StoreWatcher.class).runningWhenInjected).isFalse();
			assertThat(context.getBean(PostgresRecordStore.class).isRunning()).isTrue();
		});
	}

	@Test
	void isUsableFromAnotherBeansInitialisation() {
		runner.withUserConfiguration(StartupWriterConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(PostgresRecordStore.class).get("startup/written").version()).isEqualTo(7);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class SchemaProbeConfiguration {

		@Bean
		@DependsOnDatabaseInitialization
		SchemaProbe schemaProbe(DataSource applicationDataSource) throws SQLException {
			return new SchemaProbe(applicationDataSource);
		}

	}

	static class SchemaProbe {

		final boolean triggerFunctionExisted;

		SchemaProbe(DataSource dataSource) throws SQLException {
			try (Connection connection = dataSource.getConnection();
					PreparedStatement query = connection.prepareStatement("SELECT to_regproc(?) IS NOT NULL")) {
				query.setString(1, "\"" + probedSchema() + "\".deepstream_record_change");
				try (ResultSet rs = query.executeQuery()) {
					rs.next();
					this.triggerFunctionExisted = rs.getBoolean(1);
				}
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class StoreWatcherConfiguration {

		@Bean
		StoreWatcher storeWatcher(PostgresRecordStore store) {
			return new StoreWatcher(store.isRunning());
		}

	}

	record StoreWatcher(boolean runningWhenInjected) {
	}

	@Configuration(proxyBeanMethods = false)
	static class StartupWriterConfiguration {

		@Bean
		InitializingBean startupWriter(PostgresRecordStore store) {
			return () -> store.set("startup/written", 7, Map.of("at", "start-up")).join();
		}

	}

}
