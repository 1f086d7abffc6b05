package io.deepstream.storage.test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The PostgreSQL server that the tests run against, chosen once per JVM:
 * <ol>
 * <li>Testcontainers' PostgreSQL when a Docker engine is available;</li>
 * <li>otherwise the database named by {@value #URL_VARIABLE} (with {@value #USER_VARIABLE} and
 * {@value #PASSWORD_VARIABLE});</li>
 * <li>otherwise the local server, {@value #DEFAULT_URL}, user {@code postgres}.</li>
 * </ol>
 * If the chosen server does not answer, every test that asks for it fails with a message that says how
 * to provide one. Tests never skip for want of a database.
 */
public final class TestDatabase {

	/** Environment variable with the JDBC URL of the database to test against. */
	public static final String URL_VARIABLE = "DEEPSTREAM_TEST_JDBC_URL";

	/** Environment variable with the user name. */
	public static final String USER_VARIABLE = "DEEPSTREAM_TEST_USERNAME";

	/** Environment variable with the password. */
	public static final String PASSWORD_VARIABLE = "DEEPSTREAM_TEST_PASSWORD";

	/** Set to {@code false} to ignore a Docker engine and use the environment or the local server. */
	public static final String DOCKER_VARIABLE = "DEEPSTREAM_TEST_DOCKER";

	/** The local server used when there is neither Docker nor an environment variable. */
	public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";

	private static final Logger logger = LoggerFactory.getLogger(TestDatabase.class);

	private static @Nullable TestDatabase instance;

	private final String url;

	private final String username;

	private final String password;

	private final String origin;

	private TestDatabase(String url, String username, String password, String origin) {
		this.url = url;
		this.username = username;
		this.password = password;
		this.origin = origin;
	}

	/**
	 * The database of this test run, started or found on first use and checked to answer.
	 * @return the database
	 * @throws IllegalStateException if no database answers, saying how to provide one
	 */
	public static synchronized TestDatabase get() {
		if (instance == null) {
			TestDatabase database = choose();
			database.requireReachable();
			logger.info("Tests run against PostgreSQL at {} ({})", database.url, database.origin);
			instance = database;
		}
		return instance;
	}

	private static TestDatabase choose() {
		if (!"false".equalsIgnoreCase(System.getenv(DOCKER_VARIABLE)) && dockerAvailable()) {
			PostgreSQLContainer container = new PostgreSQLContainer("postgres:15-alpine");
			container.start();
			Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "test-postgres-stop"));
			return new TestDatabase(container.getJdbcUrl(), container.getUsername(), container.getPassword(),
					"Testcontainers " + container.getDockerImageName());
		}
		String url = System.getenv(URL_VARIABLE);
		if (url != null && !url.isBlank()) {
			return new TestDatabase(url, envOr(USER_VARIABLE, "postgres"), envOr(PASSWORD_VARIABLE, ""),
					"from " + URL_VARIABLE);
		}
		return new TestDatabase(DEFAULT_URL, "postgres", envOr(PASSWORD_VARIABLE, ""), "local default");
	}

	private static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException | LinkageError ex) {
			return false;
		}
	}

	private static String envOr(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null) ? value : fallback;
	}

	private void requireReachable() {
		try (Connection connection = connect()) {
			connection.isValid(5);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("No PostgreSQL for the tests: " + this.url + " (" + this.origin
					+ ") did not answer: " + ex.getMessage() + ". Provide one of: a running Docker engine "
					+ "(Testcontainers starts PostgreSQL), the variables " + URL_VARIABLE + ", " + USER_VARIABLE
					+ " and " + PASSWORD_VARIABLE + ", or a server on 127.0.0.1:5432 accepting user postgres "
					+ "(e.g. pg_ctlcluster <version> main start).", ex);
		}
	}

	/**
	 * The JDBC URL.
	 * @return the URL
	 */
	public String url() {
		return this.url;
	}

	/**
	 * The user name.
	 * @return the user name
	 */
	public String username() {
		return this.username;
	}

	/**
	 * The password.
	 * @return the password, possibly empty
	 */
	public String password() {
		return this.password;
	}

	/**
	 * Opens a plain connection, outside any pool.
	 * @return a new connection
	 * @throws SQLException if it cannot be opened
	 */
	public Connection connect() throws SQLException {
		return DriverManager.getConnection(this.url, this.username, this.password);
	}

	/**
	 * Builds a small pool of its own; the caller closes it.
	 * @param maximumPoolSize the pool size
	 * @return a new pool
	 */
	public HikariDataSource newDataSource(int maximumPoolSize) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(this.url);
		config.setUsername(this.username);
		config.setPassword(this.password);
		config.setMaximumPoolSize(maximumPoolSize);
		config.setPoolName("test-" + UUID.randomUUID().toString().substring(0, 8));
		return new HikariDataSource(config);
	}

	/**
	 * A fresh schema name that no other test uses (the schema itself is not created).
	 * @param prefix a readable prefix
	 * @return a unique name, valid as an identifier
	 */
	public static String uniqueSchemaName(String prefix) {
		String clean = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
		if (clean.length() > 40) {
			clean = clean.substring(0, 40);
		}
		return "t_" + clean + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
	}

	/**
	 * Drops a schema and everything in it, if it exists.
	 * @param schema the schema name
	 */
	public void dropSchema(String schema) {
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			statement.execute("DROP SCHEMA IF EXISTS \"" + schema.replace("\"", "\"\"") + "\" CASCADE");
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not drop test schema " + schema, ex);
		}
	}

	/**
	 * Runs one SQL statement on a connection of its own (auto-commit), outside the code under test.
	 * @param sql the statement
	 * @param args bind parameters
	 * @return the update count, or -1 for a query
	 */
	public int execute(String sql, Object... args) {
		return OneShotSql.execute(this::connect, sql, args);
	}


	/**
	 * Runs a query that returns one number, on a connection of its own.
	 * @param sql the query
	 * @param args bind parameters
	 * @return the first column of the first row
	 */
	public long queryForLong(String sql, Object... args) {
		return OneShotSql.queryForLong(this::connect, sql, args);
	}

	/**
	 * Runs a query that returns one text, on a connection of its own.
	 * @param sql the query
	 * @param args bind parameters
	 * @return the first column of the first row, null if it is SQL NULL
	 */
	public @Nullable String queryForString(String sql, Object... args) {
		return OneShotSql.queryForString(this::connect, sql, args);
	}


	@Override
	public String toString() {
		return this.url + " (" + this.origin + ")";
	}

}
