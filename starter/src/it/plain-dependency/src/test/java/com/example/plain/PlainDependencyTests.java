package com.example.plain;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.jar.JarFile;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.deepstream.storage.autoconfigure.DeepstreamStorageDataSource;
import io.deepstream.storage.autoconfigure.DeepstreamStorageProperties;
import io.deepstream.storage.autoconfigure.health.DeepstreamStorageHealthIndicator;
import io.deepstream.storage.event.NotificationEventBridge;
import io.deepstream.storage.store.PostgresRecordStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A separate application that depends on the installed starter the plain way, with its own
 * spring.datasource and its own JSON settings, and the deepstream block pasted from config.yml. Runs
 * against the PostgreSQL the project's tests use (DEEPSTREAM_TEST_JDBC_URL, DEEPSTREAM_TEST_USERNAME,
 * DEEPSTREAM_TEST_PASSWORD, or 127.0.0.1:5432 as user postgres), in a schema of its own.
 */
@SpringBootTest
class PlainDependencyTests {

	private static final String URL = env("DEEPSTREAM_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");

	private static final String USER = env("DEEPSTREAM_TEST_USERNAME", "postgres");

	private static final String PASSWORD = env("DEEPSTREAM_TEST_PASSWORD", "");

	private static final String SCHEMA = "plain_it_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());

	@Autowired
	private ApplicationContext context;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		requireDatabase();
		registry.add("spring.datasource.url", () -> URL + separator(URL) + "ApplicationName=plain-app");
		registry.add("spring.datasource.username", () -> USER);
		registry.add("spring.datasource.password", () -> PASSWORD);
		// the pasted block names host, port and database; the test database may be elsewhere
		registry.add("deepstream.storage.url", () -> URL);
		registry.add("deepstream.storage.user", () -> USER);
		registry.add("deepstream.storage.password", () -> PASSWORD);
		registry.add("deepstream.storage.schema", () -> SCHEMA);
	}

	@Test
	void theStarterIsAJarOfDependenciesOnly() throws IOException {
		List<URL> manifests = Collections.list(getClass().getClassLoader().getResources("META-INF/MANIFEST.MF"));
		URL starter = manifests.stream()
			.filter((url) -> url.toString().contains("/deepstream-storage-spring-boot-starter-"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("the starter jar is not on the classpath: " + manifests));
		try (JarFile jar = ((JarURLConnection) starter.openConnection()).getJarFile()) {
			assertThat(jar.getManifest().getMainAttributes().getValue("Spring-Boot-Jar-Type"))
				.isEqualTo("dependencies-starter");
			assertThat(jar.stream().map((entry) -> entry.getName()).filter((name) -> name.endsWith(".class"))).isEmpty();
		}
		checked("the starter resolved from a plain <dependency> as a jar without classes, marked dependencies-starter");
	}

	@Test
	void theApplicationKeepsItsOwnDataSourceJdbcTemplateAndJsonMapper() {
		assertThat(this.context.getBeansOfType(DataSource.class)).hasSize(1);
		HikariDataSource application = (HikariDataSource) this.context.getBean(DataSource.class);
		assertThat(application.getPoolName()).isEqualTo("application-pool");
		assertThat(application.getJdbcUrl()).endsWith("ApplicationName=plain-app");
		checked("the only DataSource bean is the application's own (pool 'application-pool', from spring.datasource)");

		assertThat(this.context.getBeansOfType(JdbcTemplate.class)).hasSize(1);
		assertThat(this.context.getBean(JdbcTemplate.class).getDataSource()).isSameAs(application);
		assertThat(this.context.getBean(JdbcTemplate.class).queryForObject("SELECT current_setting('application_name')",
				String.class)).isEqualTo("plain-app");
		checked("the only JdbcTemplate is Boot's, on the application's DataSource");

		assertThat(this.context.getBeansOfType(JsonMapper.class)).hasSize(1);
		JsonMapper mapper = this.context.getBean(JsonMapper.class);
		assertThat(mapper.writeValueAsString(new Car("blue", 250))).isEqualTo("{\"paint_color\":\"blue\",\"top_speed\":250}");
		checked("the only JsonMapper is Boot's, with the application's spring.jackson settings (snake_case)");

		DeepstreamStorageDataSource storage = this.context.getBean(DeepstreamStorageDataSource.class);
		assertThat(storage.getDataSource()).isNotSameAs(application);
		checked("deepstream's storage writes through a pool of its own");
	}

	@Test
	void thePastedDeepstreamBlockBinds() {
		DeepstreamStorageProperties properties = this.context.getBean(DeepstreamStorageProperties.class);
		assertThat(properties.getMax()).isEqualTo(3);
		assertThat(properties.getWriteInterval()).isEqualTo(Duration.ofMillis(50));
		assertThat(properties.getNotifications().isCreateTable()).isTrue();
		assertThat(properties.getNotifications().isUpdate()).isFalse();
		assertThat(properties.getSchema()).isEqualTo(SCHEMA);
		HikariDataSource pool = (HikariDataSource) this.context.getBean(DeepstreamStorageDataSource.class).getDataSource();
		assertThat(pool.getPoolName()).isEqualTo("deepstream-storage");
		assertThat(pool.getMaximumPoolSize()).isEqualTo(3);
		checked("the pasted config.yml block binds (max: 3, writeInterval: 50, notifications.UPDATE: false)");
	}

	@Test
	void anEventListenerBeanReceivesAChangeAndHealthIsUp() {
		PostgresRecordStore store = this.context.getBean(PostgresRecordStore.class);
		this.context.getBean(NotificationEventBridge.class).subscribe().join();
		store.set("cars/bmw", 1, new Car("blue", 250)).join();
		CarEvents events = this.context.getBean(CarEvents.class);
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(events.inserted()).contains("cars/bmw"));
		assertThat(store.get("cars/bmw").value().get("paint_color").asString()).isEqualTo("blue");
		checked("an @EventListener bean received RecordInsertedEvent cars/bmw");

		assertThat(this.context.getBean(DeepstreamStorageHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
		checked("the deepstream storage health indicator is UP");
	}

	@AfterAll
	static void dropSchema() throws SQLException {
		try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
				Statement statement = connection.createStatement()) {
			statement.execute("DROP SCHEMA IF EXISTS \"" + SCHEMA + "\" CASCADE");
		}
	}

	record Car(String paintColor, int topSpeed) {
	}

	private static void requireDatabase() {
		try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD)) {
			connection.isValid(5);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("No PostgreSQL at " + URL + " as " + USER + " (" + ex.getMessage()
					+ "): start one, or set DEEPSTREAM_TEST_JDBC_URL, DEEPSTREAM_TEST_USERNAME and DEEPSTREAM_TEST_PASSWORD", ex);
		}
	}

	private static void checked(String what) {
		System.out.println("[plain-dependency] checked: " + what);
	}

	private static String separator(String url) {
		return url.contains("?") ? "&" : "?";
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value == null || value.isBlank()) ? fallback : value;
	}

}
