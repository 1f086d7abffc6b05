package io.deepstream.storage.test;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PgBouncer of its own in front of a PostgreSQL server, in <em>transaction</em> mode (each
 * transaction gets whichever server connection is free, as most PgBouncer deployments run it), on a
 * free port of 127.0.0.1, configured in a temporary directory and stopped and deleted by
 * {@link #close()} (or a shutdown hook). Every database of the server is reachable through it under
 * its own name; clients log in without a password (PgBouncer's {@code auth_type = trust}) and
 * PgBouncer logs in to the server with the user and password given.
 * <p>
 * It is configured as pgjdbc needs: {@code ignore_startup_parameters = extra_float_digits} (pgjdbc
 * sends it at start-up, PgBouncer refuses unknown start-up parameters otherwise). Server-side prepared
 * statements do not survive transaction mode before PgBouncer 1.21 ({@code max_prepared_statements});
 * clients must use {@code prepareThreshold=0}.
 * <p>
 * The binary is {@value #BINARY_VARIABLE}, else {@code pgbouncer} on the {@code PATH}, else
 * {@code /usr/sbin/pgbouncer} (the Debian package {@code pgbouncer}, which {@code .ci/run} installs).
 * PgBouncer refuses to run as root: when the tests run as root it runs as the {@code postgres} user.
 * If no binary is found, {@link #start} fails with a message that says how to install one.
 */
public final class ThrowawayPgBouncer implements AutoCloseable {

	/** Environment variable naming the pgbouncer executable. */
	public static final String BINARY_VARIABLE = "DEEPSTREAM_TEST_PGBOUNCER";

	/** The server connections PgBouncer keeps per database and user. */
	public static final int POOL_SIZE = 4;

	private static final String OS_USER = "postgres";

	private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

	private static final Logger logger = LoggerFactory.getLogger(ThrowawayPgBouncer.class);

	private final Path directory;

	private final int port;

	private final Process process;

	private final Thread shutdownHook;

	private volatile boolean closed;

	private ThrowawayPgBouncer(Path directory, int port, Process process) {
		this.directory = directory;
		this.port = port;
		this.process = process;
		this.shutdownHook = new Thread(this::destroy, "throwaway-pgbouncer-cleanup");
	}

	/**
	 * Starts a PgBouncer in front of the server of a JDBC URL (its first host) and returns once it
	 * accepts connections.
	 * @param serverJdbcUrl a {@code jdbc:postgresql://host:port/db} URL of the server
	 * @param user the user PgBouncer logs in to the server as
	 * @param password that user's password (may be empty)
	 * @return the running PgBouncer
	 * @throws IllegalStateException if pgbouncer is not installed or does not start
	 */
	public static ThrowawayPgBouncer start(String serverJdbcUrl, String user, String password) {
		Path binary = findBinary();
		URI server = URI.create(serverJdbcUrl.substring("jdbc:".length()));
		String host = (server.getHost() != null) ? server.getHost() : "127.0.0.1";
		int serverPort = (server.getPort() > 0) ? server.getPort() : 5432;
		boolean root = "root".equals(System.getProperty("user.name"));
		Path directory;
		try {
			directory = Files.createTempDirectory("deepstream-pgbouncer-");
			if (root) {
				ThrowawayPostgres.changeOwner(directory, OS_USER);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create a directory for a throwaway PgBouncer", ex);
		}
		int port = ThrowawayPostgres.freePort();
		Path config = directory.resolve("pgbouncer.ini");
		Path output = directory.resolve("pgbouncer.out");
		try {
			Files.writeString(directory.resolve("userlist.txt"), quote(user) + " " + quote(password) + "\n",
					StandardCharsets.UTF_8);
			Files.writeString(config, """
					[databases]
					* = host=%s port=%d

					[pgbouncer]
					listen_addr = 127.0.0.1
					listen_port = %d
					unix_socket_dir =
					auth_type = trust
					auth_file = %s
					pool_mode = transaction
					default_pool_size = %d
					max_client_conn = 200
					ignore_startup_parameters = extra_float_digits
					logfile = %s
					pidfile = %s
					""".formatted(host, serverPort, port, directory.resolve("userlist.txt"), POOL_SIZE,
					directory.resolve("pgbouncer.log"), directory.resolve("pgbouncer.pid")), StandardCharsets.UTF_8);
			if (root) {
				try (Stream<Path> files = Files.list(directory)) {
					for (Path file : files.toList()) {
						ThrowawayPostgres.changeOwner(file, OS_USER);
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not configure a throwaway PgBouncer in " + directory, ex);
		}
		List<String> command = new ArrayList<>();
		if (root) {
			command.addAll(List.of("runuser", "-u", OS_USER, "--"));
		}
		command.add(binary.toString());
		command.add(config.toString());
		Process process;
		try {
			process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + command, ex);
		}
		ThrowawayPgBouncer bouncer = new ThrowawayPgBouncer(directory, port, process);
		Runtime.getRuntime().addShutdownHook(bouncer.shutdownHook);
		try {
			bouncer.awaitReady(user, password);
		}
		catch (RuntimeException ex) {
			String log = bouncer.logTail(20);
			bouncer.close();
			throw new IllegalStateException(ex.getMessage() + "\nPgBouncer log:\n" + log, ex);
		}
		logger.info("Throwaway PgBouncer (transaction mode) on port {} in front of {}:{} ({})", port, host, serverPort,
				directory);
		return bouncer;
	}

	private void awaitReady(String user, String password) {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		SQLException last = null;
		while (System.nanoTime() - deadline < 0) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("PgBouncer exited at start (exit " + this.process.exitValue() + ")");
			}
			Properties properties = new Properties();
			properties.setProperty("user", user);
			properties.setProperty("password", password);
			properties.setProperty("prepareThreshold", "0");
			properties.setProperty("connectTimeout", "2");
			properties.setProperty("socketTimeout", "5");
			try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), properties)) {
				if (connection.isValid(5)) {
					return;
				}
			}
			catch (SQLException ex) {
				last = ex;
			}
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for PgBouncer", ex);
			}
		}
		throw new IllegalStateException("PgBouncer did not accept connections within " + START_TIMEOUT
				+ ((last != null) ? ": " + last.getMessage() : ""), last);
	}

	/**
	 * The port on 127.0.0.1.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * The JDBC URL of a database through this PgBouncer. Clients need {@code prepareThreshold=0} (see
	 * above), which the URL leaves to them.
	 * @param database the database name on the server
	 * @return the URL
	 */
	public String jdbcUrl(String database) {
		return "jdbc:postgresql://127.0.0.1:" + this.port + "/" + database;
	}

	/**
	 * The JDBC URL, through this PgBouncer, of the database that a server URL names.
	 * @param serverJdbcUrl a {@code jdbc:postgresql://host:port/database?...} URL of the server
	 * @return the URL of the same database through PgBouncer, without parameters
	 */
	public String jdbcUrlOf(String serverJdbcUrl) {
		String path = URI.create(serverJdbcUrl.substring("jdbc:".length())).getPath();
		return jdbcUrl((path == null || path.length() <= 1) ? "postgres" : path.substring(1));
	}

	/**
	 * The end of PgBouncer's log, for failure messages.
	 * @param lines how many lines
	 * @return the last lines
	 */
	public String logTail(int lines) {
		List<String> all = new ArrayList<>();
		for (String file : List.of("pgbouncer.out", "pgbouncer.log")) {
			try {
				all.addAll(Files.readAllLines(this.directory.resolve(file), StandardCharsets.UTF_8));
			}
			catch (IOException ex) {
				// not written (yet)
			}
		}
		return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
	}

	/** Stops PgBouncer and deletes its directory. Idempotent. */
	@Override
	public void close() {
		destroy();
		try {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
		}
		catch (IllegalStateException ex) {
			// the JVM is shutting down: the hook runs (or ran) anyway
		}
	}

	private synchronized void destroy() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		// pgbouncer itself may be a child of runuser: end it by its own pid, then the launcher
		@Nullable Long pid = pgbouncerPid();
		if (pid != null) {
			ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
		}
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (pid != null) {
			ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(ProcessHandle::destroyForcibly);
		}
		try (Stream<Path> files = Files.walk(this.directory)) {
			for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
		catch (IOException | UncheckedIOException ex) {
			logger.warn("Could not delete the throwaway PgBouncer in {}: {}", this.directory, ex.getMessage());
		}
	}

	private @Nullable Long pgbouncerPid() {
		try {
			return Long.parseLong(Files.readString(this.directory.resolve("pgbouncer.pid"), StandardCharsets.UTF_8).trim());
		}
		catch (IOException | NumberFormatException ex) {
			return null;
		}
	}

	private static String quote(String value) {
		return "\"" + value.replace("\"", "\"\"") + "\"";
	}

	private static Path findBinary() {
		String configured = System.getenv(BINARY_VARIABLE);
		if (configured != null && !configured.isBlank()) {
			Path binary = Path.of(configured);
			if (!Files.isExecutable(binary)) {
				throw new IllegalStateException(BINARY_VARIABLE + "=" + configured + " is not an executable");
			}
			return binary;
		}
		List<Path> candidates = new ArrayList<>();
		String path = System.getenv("PATH");
		if (path != null) {
			for (String entry : path.split(File.pathSeparator)) {
				candidates.add(Path.of(entry, "pgbouncer"));
			}
		}
		candidates.add(Path.of("/usr/sbin/pgbouncer"));
		return candidates.stream()
			.filter(Files::isExecutable)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No pgbouncer executable for the PgBouncer tests: install the "
					+ "Debian package pgbouncer (apt-get install -y pgbouncer; .ci/run does it when it is missing), "
					+ "put pgbouncer on the PATH, or set " + BINARY_VARIABLE + " to it."));
	}

	@Override
	public String toString() {
		return "PgBouncer on 127.0.0.1:" + this.port + " (transaction mode, throwaway in " + this.directory + ")";
	}

}
