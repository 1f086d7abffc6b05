package io.deepstream.storage.listen;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

import org.jspecify.annotations.Nullable;

/**
 * Opens the listener's own connection to PostgreSQL. It must be a plain pgjdbc connection
 * ({@code unwrap(PGConnection.class)} must work), and it must <em>not</em> come from the application's
 * connection pool:
 * <ul>
 * <li>the listener holds its connection for as long as it runs, so a pooled one would be missing
 * from the pool for good, and a small pool starves;</li>
 * <li>{@code LISTEN} is session state: if the connection went back to the pool, its next user would
 * inherit the subscriptions (and queue notifications nobody reads), and a pool that validates, resets
 * or retires connections would silently end the listening;</li>
 * <li>a pool hides the connection's death; the listener has to see it, to reconnect and to report
 * the gap.</li>
 * </ul>
 * The listener calls {@link #open()} again after each connection loss, so an implementation should
 * open a new connection every time.
 */
@FunctionalInterface
public interface ListenerConnectionFactory {

	/** The {@code ApplicationName} the connections of {@link #of} show in {@code pg_stat_activity}. */
	String APPLICATION_NAME = "deepstream-listener";

	/**
	 * How long a connection attempt of {@link #of} may take, both to reach the server (pgjdbc's
	 * {@code connectTimeout}) and for the server to answer the start-up (as {@code socketTimeout}, which
	 * the listener replaces with its own network timeout once connected). Without it, an attempt to a
	 * server that accepts connections but answers nothing (hung, frozen, or behind a dead proxy) would
	 * wait for ever: the listener could neither reconnect nor stop.
	 */
	Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

	/**
	 * Opens a new connection.
	 * @return a new pgjdbc connection, owned by the caller
	 * @throws SQLException if it cannot be opened
	 */
	Connection open() throws SQLException;

	/**
	 * A factory that opens connections through {@link DriverManager}, with TCP keep-alive on (so that
	 * the operating system eventually notices a peer that is gone, even where the listener's own
	 * validation is not running) and {@code ApplicationName=deepstream-listener} unless the URL names
	 * another.
	 * @param url the JDBC URL, {@code jdbc:postgresql://...}
	 * @param username the user, or null to leave it to the URL
	 * @param password the password, or null
	 * @return the factory
	 */
	static ListenerConnectionFactory of(String url, @Nullable String username, @Nullable String password) {
		Properties properties = new Properties();
		if (username != null) {
			properties.setProperty("user", username);
		}
		if (password != null) {
			properties.setProperty("password", password);
		}
		return of(url, properties);
	}

	/**
	 * A factory that opens connections through {@link DriverManager} with the given properties, plus
	 * {@code tcpKeepAlive=true}, a default {@code ApplicationName}, and unless given, a
	 * {@code connectTimeout} and {@code socketTimeout} of {@link #CONNECT_TIMEOUT}.
	 * @param url the JDBC URL
	 * @param properties driver properties (user, password, ssl settings, ...); copied
	 * @return the factory
	 */
	static ListenerConnectionFactory of(String url, Properties properties) {
		Properties copy = new Properties();
		copy.putAll(properties);
		copy.setProperty("tcpKeepAlive", "true");
		copy.putIfAbsent("ApplicationName", APPLICATION_NAME);
		copy.putIfAbsent("connectTimeout", Long.toString(CONNECT_TIMEOUT.toSeconds()));
		copy.putIfAbsent("socketTimeout", Long.toString(CONNECT_TIMEOUT.toSeconds()));
		return () -> DriverManager.getConnection(url, copy);
	}

}
