package io.deepstream.storage.benchmark;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.deepstream.storage.core.Identifiers;
import io.deepstream.storage.listen.ListenerConnectionFactory;

/**
 * The PostgreSQL the benchmark runs against, named as the project's tests name theirs (the same
 * environment variables and default), and the fresh schema each run works in.
 *
 * @param url the JDBC URL
 * @param user the user
 * @param password the password, possibly empty
 */
record BenchmarkDatabase(String url, String user, String password) {

	static final String URL_VARIABLE = "DEEPSTREAM_TEST_JDBC_URL";

	static final String USER_VARIABLE = "DEEPSTREAM_TEST_USERNAME";

	static final String PASSWORD_VARIABLE = "DEEPSTREAM_TEST_PASSWORD";

	static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";

	static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null && !value.isBlank()) ? value : fallback;
	}

	/**
	 * A schema name no other run uses.
	 * @param prefix what runs in it
	 * @return the name
	 */
	static String freshSchema(String prefix) {
		return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
	}

	/**
	 * A pool for the store, as an application would configure one.
	 * @param size the pool size
	 * @param applicationName the {@code application_name} of its connections
	 * @return a new pool; the caller closes it
	 */
	HikariDataSource newPool(int size, String applicationName) {
		HikariConfig config = new HikariConfig();
		config.addDataSourceProperty("ApplicationName", applicationName);
		config.setJdbcUrl(this.url);
		config.setUsername(this.user);
		config.setPassword(this.password);
		config.setMaximumPoolSize(size);
		config.setMinimumIdle(size);
		config.setPoolName("benchmark");
		return new HikariDataSource(config);
	}

	ListenerConnectionFactory listenerConnections(String applicationName) {
		Properties properties = new Properties();
		properties.setProperty("user", this.user);
		properties.setProperty("password", this.password);
		properties.setProperty("ApplicationName", applicationName);
		return ListenerConnectionFactory.of(this.url, properties);
	}

	Connection connect() throws SQLException {
		return DriverManager.getConnection(this.url, this.user, this.password);
	}

	/**
	 * Drops a schema of a run, if it exists.
	 * @param schema the schema
	 */
	void dropSchema(String schema) {
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			statement.execute("DROP SCHEMA IF EXISTS " + Identifiers.quote(schema) + " CASCADE");
		}
		catch (SQLException ex) {
			System.err.println("Could not drop schema " + schema + ": " + ex.getMessage());
		}
	}

}
