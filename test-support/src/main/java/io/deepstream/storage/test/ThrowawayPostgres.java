package io.deepstream.storage.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL cluster of its own for a test that must do to the server what no shared server may
 * suffer: restart it, crash it, freeze its processes. It is created with {@code initdb} in a temporary
 * directory, runs on a free port of 127.0.0.1 (and a Unix socket in that directory only), and is
 * stopped and deleted by {@link #close()}, or by a shutdown hook if the test never gets that far.
 * <p>
 * The binaries ({@code initdb}, {@code pg_ctl}) are taken from {@value #BIN_VARIABLE}, else from the
 * {@code PATH}, else from the newest {@code /usr/lib/postgresql/<version>/bin}. PostgreSQL refuses to
 * run as root, so when the tests run as root the cluster belongs to, and every command runs as, the
 * {@code postgres} operating-system user (through {@code runuser}). Works as a JUnit field:
 *
 * <pre>{@code
 * @AutoClose
 * static ThrowawayPostgres postgres = ThrowawayPostgres.start();
 * }</pre>
 *
 * If no binaries are found, {@link #start()} fails with a message that says how to provide them;
 * tests never skip for want of a database.
 */
public final class ThrowawayPostgres implements AutoCloseable {

	/** Environment variable naming the directory with {@code initdb} and {@code pg_ctl}. */
	public static final String BIN_VARIABLE = "DEEPSTREAM_TEST_PG_BIN";

	/** The superuser of the cluster; it logs in without a password (trust). */
	public static final String USERNAME = "postgres";

	/** The operating-system user that owns the cluster when the tests run as root. */
	private static final String OS_USER = "postgres";

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

	private static final Logger logger = LoggerFactory.getLogger(ThrowawayPostgres.class);

	/**
	 * How {@link #stop(StopMode)} and {@link #restart(StopMode)} shut the server down, as
	 * {@code pg_ctl -m}.
	 */
	public enum StopMode {

		/** Waits for every client to disconnect. */
		SMART,

		/** Terminates every session, rolls back what is open, then shuts down cleanly. */
		FAST,

		/**
		 * Quits every process at once without a shutdown checkpoint, as a crash would; the next start
		 * runs crash recovery.
		 */
		IMMEDIATE;

		String option() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	private final Path bin;

	private final Path directory;

	private final Path dataDirectory;

	private final Path logFile;

	private final boolean asOsUser;

	private final int port;

	private final Thread shutdownHook;

	private volatile boolean closed;

	private ThrowawayPostgres(Path bin, Path directory, boolean asOsUser, int port) {
		this.bin = bin;
		this.directory = directory;
		this.dataDirectory = directory.resolve("data");
		this.logFile = directory.resolve("postgres.log");
		this.asOsUser = asOsUser;
		this.port = port;
		this.shutdownHook = new Thread(this::destroy, "throwaway-postgres-cleanup");
	}

	/**
	 * Creates a new cluster and starts it; returns once it accepts connections.
	 * @return the running cluster
	 * @throws IllegalStateException if no binaries are found or the cluster does not start
	 */
	public static ThrowawayPostgres start() {
		ThrowawayPostgres postgres = create();
		try {
			long started = System.nanoTime();
			postgres.run("initdb", "-D", postgres.dataDirectory.toString(), "-A", "trust", "-U", USERNAME, "-E", "UTF8",
					"--locale=C", "--no-sync", "--no-instructions");
			postgres.configure();
			postgres.launch();
			logger.info("Throwaway PostgreSQL started on port {} in {} ms ({})", postgres.port,
					TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), postgres.directory);
			return postgres;
		}
		catch (RuntimeException ex) {
			postgres.close();
			throw ex;
		}
	}

	/**
	 * Creates a streaming standby of this cluster ({@code pg_basebackup -R}: a hot standby that
	 * connects to this cluster as its primary) and starts it; returns once it accepts (read-only)
	 * connections. It is a throwaway cluster of its own, with its own port and directory, and can be
	 * {@linkplain #promote() promoted} when this one is gone. Make replication synchronous afterwards
	 * (on this cluster: {@code synchronous_standby_names}), not before: the standby copies this
	 * cluster's configuration, and a promoted standby that waits for a standby of its own would never
	 * commit.
	 * @return the running standby
	 * @throws IllegalStateException if the base backup or the start fails
	 */
	public ThrowawayPostgres startStandby() {
		requireOpen();
		ThrowawayPostgres standby = create();
		try {
			long started = System.nanoTime();
			standby.run("pg_basebackup", "-D", standby.dataDirectory.toString(), "-h", "127.0.0.1", "-p",
					Integer.toString(this.port), "-U", USERNAME, "-X", "stream", "-R", "-c", "fast", "--no-sync");
			standby.configure();
			standby.launch();
			logger.info("Throwaway PostgreSQL standby of port {} started on port {} in {} ms ({})", this.port, standby.port,
					TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), standby.directory);
			return standby;
		}
		catch (RuntimeException ex) {
			standby.close();
			throw ex;
		}
	}

	/**
	 * Promotes a {@linkplain #startStandby() standby} to a primary ({@code pg_ctl promote -w}); returns
	 * once it accepts writes.
	 */
	public void promote() {
		requireOpen();
		run("pg_ctl", "-D", this.dataDirectory.toString(), "-w", "-t", "60", "promote");
	}

	/**
	 * Freezes the whole server ({@code SIGSTOP} to the postmaster and every process of it): every
	 * connection stays open and answers nothing, new connections are accepted by the kernel and never
	 * answered, as a hung machine would. {@link #resumeAll()} undoes it; {@link #close()} too.
	 */
	public void suspendAll() {
		signalAll("STOP");
	}

	/** Lets every process of a {@linkplain #suspendAll() frozen} server run again ({@code SIGCONT}). */
	public void resumeAll() {
		signalAll("CONT");
	}

	private void signalAll(String signal) {
		requireOpen();
		List<String> processes = processesOfTheServer();
		if (processes.isEmpty()) {
			throw new IllegalStateException("The throwaway PostgreSQL is not running");
		}
		Result result = exec(Stream.concat(Stream.of("kill", "-" + signal), processes.stream()).toList());
		if (result.exitCode() != 0) {
			throw new IllegalStateException("kill -" + signal + " " + processes + " failed: " + result.output());
		}
	}

	/** A new, empty cluster directory on a free port, cleaned up by a shutdown hook if never closed. */
	private static ThrowawayPostgres create() {
		Path bin = withServerTools(findBinaries());
		boolean root = "root".equals(System.getProperty("user.name"));
		Path directory;
		try {
			directory = Files.createTempDirectory("deepstream-pg-");
			if (root) {
				changeOwner(directory, OS_USER);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create a directory for a throwaway PostgreSQL", ex);
		}
		ThrowawayPostgres postgres = new ThrowawayPostgres(bin, directory, root, freePort());
		Runtime.getRuntime().addShutdownHook(postgres.shutdownHook);
		return postgres;
	}

	/**
	 * Writes where the server listens into its configuration, so that every start, first or not,
	 * uses this cluster's port and directory and never a default (5432 is the shared server's).
	 */
	private void configure() {
		String settings = """

				# throwaway cluster for tests
				port = %d
				listen_addresses = '127.0.0.1'
				unix_socket_directories = '%s'
				max_connections = 200
				log_min_messages = warning
				""".formatted(this.port, this.directory);
		try {
			Files.writeString(this.dataDirectory.resolve("postgresql.conf"), settings, StandardCharsets.UTF_8,
					StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not configure the throwaway PostgreSQL", ex);
		}
	}

	private void launch() {
		run("pg_ctl", "-D", this.dataDirectory.toString(), "-l", this.logFile.toString(), "-w", "-t", "60", "start");
	}

	/**
	 * Starts the server again after {@link #stop(StopMode)}; returns once it accepts connections
	 * (after crash recovery, if it was stopped {@linkplain StopMode#IMMEDIATE immediately}).
	 */
	public void startAgain() {
		requireOpen();
		launch();
	}

	/**
	 * Stops the server and waits until it is down.
	 * @param mode how
	 */
	public void stop(StopMode mode) {
		requireOpen();
		run("pg_ctl", "-D", this.dataDirectory.toString(), "-m", mode.option(), "-w", "-t", "60", "stop");
	}

	/**
	 * Stops the server as a crash would ({@link StopMode#IMMEDIATE}): every process quits at once, and
	 * the next {@link #startAgain()} runs crash recovery.
	 */
	public void kill() {
		stop(StopMode.IMMEDIATE);
	}

	/**
	 * Stops and starts the server ({@code pg_ctl restart}); returns once it accepts connections again.
	 * @param mode how it stops
	 */
	public void restart(StopMode mode) {
		requireOpen();
		run("pg_ctl", "-D", this.dataDirectory.toString(), "-l", this.logFile.toString(), "-m", mode.option(), "-w",
				"-t", "60", "restart");
	}

	/**
	 * Whether the server is running ({@code pg_ctl status}).
	 * @return true if it is
	 */
	public boolean isRunning() {
		return !this.closed && exec(command("pg_ctl", "-D", this.dataDirectory.toString(), "status")).exitCode() == 0;
	}

	/**
	 * Freezes one process of this cluster ({@code SIGSTOP}): its connections stay open, but it
	 * answers nothing, as a hung server or a dead network would. Freezing the {@linkplain #serverPid()
	 * postmaster} freezes new connections: the kernel still accepts them, but nobody answers.
	 * @param pid a backend of this cluster, such as {@code pg_backend_pid()} of a session, or the
	 * postmaster
	 */
	public void suspend(int pid) {
		signal(pid, "STOP");
	}

	/**
	 * Lets a {@linkplain #suspend suspended} process run again ({@code SIGCONT}).
	 * @param pid the process
	 */
	public void resume(int pid) {
		signal(pid, "CONT");
	}

	/**
	 * Kills one backend of this cluster with {@code SIGKILL}. PostgreSQL then treats the whole cluster
	 * as crashed: it ends every session and runs crash recovery before it accepts connections again.
	 * @param pid a backend of this cluster
	 */
	public void killBackend(int pid) {
		signal(pid, "KILL");
	}

	private void signal(int pid, String signal) {
		requireOpen();
		int postmaster = serverPid();
		// Never signal anything but this cluster's processes (the shared server is sacred).
		long parent = ProcessHandle.of(pid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(-1L);
		if (parent != postmaster && (pid != postmaster || "KILL".equals(signal))) {
			throw new IllegalArgumentException("Process " + pid + " is not a backend of this cluster (postmaster "
					+ postmaster + ", its parent is " + parent + ")");
		}
		Result result = exec(List.of("kill", "-" + signal, Integer.toString(pid)));
		if (result.exitCode() != 0) {
			throw new IllegalStateException("kill -" + signal + " " + pid + " failed: " + result.output());
		}
	}

	/**
	 * The process id of the running server's postmaster.
	 * @return the pid
	 * @throws IllegalStateException if the server is not running
	 */
	public int serverPid() {
		try {
			List<String> lines = Files.readAllLines(this.dataDirectory.resolve("postmaster.pid"), StandardCharsets.UTF_8);
			return Integer.parseInt(lines.get(0).trim());
		}
		catch (IOException | RuntimeException ex) {
			throw new IllegalStateException("The throwaway PostgreSQL is not running", ex);
		}
	}

	/**
	 * The port on 127.0.0.1.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * The JDBC URL of the cluster's {@code postgres} database.
	 * @return the URL
	 */
	public String jdbcUrl() {
		return jdbcUrl("postgres");
	}

	/**
	 * The JDBC URL of a database of the cluster.
	 * @param database the database name
	 * @return the URL
	 */
	public String jdbcUrl(String database) {
		return "jdbc:postgresql://127.0.0.1:" + this.port + "/" + database;
	}

	/**
	 * The superuser, who needs no password.
	 * @return {@value #USERNAME}
	 */
	public String username() {
		return USERNAME;
	}

	/**
	 * The password: none (trust authentication).
	 * @return the empty string
	 */
	public String password() {
		return "";
	}

	/**
	 * Opens a plain connection, outside any pool.
	 * @return a new connection
	 * @throws SQLException if it cannot be opened
	 */
	public Connection connect() throws SQLException {
		return connect("postgres");
	}

	/**
	 * Opens a plain connection to a database of the cluster, outside any pool.
	 * @param database the database name
	 * @return a new connection
	 * @throws SQLException if it cannot be opened
	 */
	public Connection connect(String database) throws SQLException {
		return DriverManager.getConnection(jdbcUrl(database), USERNAME, "");
	}

	/**
	 * Builds a small pool of its own; the caller closes it.
	 * @param maximumPoolSize the pool size
	 * @return a new pool
	 */
	public HikariDataSource newDataSource(int maximumPoolSize) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(jdbcUrl());
		config.setUsername(USERNAME);
		config.setPassword("");
		config.setMaximumPoolSize(maximumPoolSize);
		config.setPoolName("throwaway-" + UUID.randomUUID().toString().substring(0, 8));
		return new HikariDataSource(config);
	}

	/**
	 * Runs one SQL statement on a connection of its own (auto-commit).
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
	 * The end of the server log, for failure messages.
	 * @param lines how many lines
	 * @return the last lines of the log
	 */
	public String logTail(int lines) {
		try {
			List<String> all = Files.readAllLines(this.logFile, StandardCharsets.UTF_8);
			return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	/** Stops the server at once and deletes the cluster. Idempotent. */
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
		if (Files.exists(this.dataDirectory.resolve("postmaster.pid"))) {
			List<String> processes = processesOfTheServer();
			// a test that failed while it had frozen a process must not leave it frozen for ever
			if (!processes.isEmpty()) {
				exec(Stream.concat(Stream.of("kill", "-CONT"), processes.stream()).toList());
			}
			Result result = exec(command("pg_ctl", "-D", this.dataDirectory.toString(), "-m", "immediate", "-w", "-t", "60",
					"stop"));
			if (result.exitCode() != 0 && !processes.isEmpty()) {
				logger.warn("Could not stop the throwaway PostgreSQL in {}, killing it: {}", this.directory, result.output());
				exec(Stream.concat(Stream.of("kill", "-KILL"), processes.stream()).toList());
			}
		}
		try (Stream<Path> files = Files.walk(this.directory)) {
			for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
		catch (IOException | UncheckedIOException ex) {
			logger.warn("Could not delete the throwaway PostgreSQL in {}: {}", this.directory, ex.getMessage());
		}
	}

	/** The postmaster and its children, as arguments for kill; empty if it is not running. */
	private List<String> processesOfTheServer() {
		try {
			int postmaster = Integer.parseInt(Files.readAllLines(this.dataDirectory.resolve("postmaster.pid"),
					StandardCharsets.UTF_8).get(0).trim());
			return ProcessHandle.of(postmaster)
				.filter(ProcessHandle::isAlive)
				.map((server) -> Stream.concat(Stream.of(server), server.children())
					.map((process) -> Long.toString(process.pid()))
					.toList())
				.orElse(List.of());
		}
		catch (IOException | RuntimeException ex) {
			return List.of();
		}
	}

	private void requireOpen() {
		if (this.closed) {
			throw new IllegalStateException("The throwaway PostgreSQL is closed");
		}
	}

	private void run(String program, String... args) {
		Result result = exec(command(program, args));
		if (result.exitCode() != 0) {
			throw new IllegalStateException(program + " " + String.join(" ", args) + " failed (exit " + result.exitCode()
					+ "):\n" + result.output() + "\nServer log:\n" + logTail(30));
		}
	}

	private List<String> command(String program, String... args) {
		List<String> command = new ArrayList<>();
		if (this.asOsUser) {
			command.addAll(List.of("runuser", "-u", OS_USER, "--"));
		}
		command.add(this.bin.resolve(program).toString());
		command.addAll(Arrays.asList(args));
		return command;
	}

	record Result(int exitCode, String output) {
	}

	private static Result exec(List<String> command) {
		return exec(command, COMMAND_TIMEOUT);
	}

	/**
	 * Runs a command and waits for it, at most {@code timeout}. Its output goes to a file, not to a pipe
	 * read before the wait: a child that inherits the output and outlives the command (a server started
	 * without {@code -l}) would keep such a read, and so the command, from ever timing out.
	 */
	static Result exec(List<String> command, Duration timeout) {
		Path output = null;
		try {
			output = Files.createTempFile("throwaway-postgres-", ".out");
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
				.start();
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				return new Result(-1, new String(Files.readAllBytes(output), StandardCharsets.UTF_8) + "\n(timed out after " + timeout + ")");
			}
			return new Result(process.exitValue(), new String(Files.readAllBytes(output), StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			return new Result(-1, "could not run " + command + ": " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Result(-1, "interrupted while running " + command);
		}
		finally {
			if (output != null) {
				try {
					Files.deleteIfExists(output);
				}
				catch (IOException ex) {
					// a temporary file left behind
				}
			}
		}
	}

	private static Path findBinaries() {
		String configured = System.getenv(BIN_VARIABLE);
		if (configured != null && !configured.isBlank()) {
			Path bin = Path.of(configured);
			if (!Files.isExecutable(bin.resolve("pg_ctl"))) {
				throw new IllegalStateException(BIN_VARIABLE + "=" + configured + " has no executable pg_ctl");
			}
			return bin;
		}
		String path = System.getenv("PATH");
		if (path != null) {
			for (String entry : path.split(java.io.File.pathSeparator)) {
				Path bin = Path.of(entry);
				if (Files.isExecutable(bin.resolve("pg_ctl")) && Files.isExecutable(bin.resolve("initdb"))) {
					return bin;
				}
			}
		}
		Optional<Path> packaged = newestPackagedBinaries();
		return packaged.orElseThrow(() -> new IllegalStateException("No PostgreSQL binaries for a throwaway cluster: "
				+ "put initdb and pg_ctl on the PATH, set " + BIN_VARIABLE + " to their directory, or install the "
				+ "PostgreSQL server package (Debian: postgresql-15)."));
	}

	/**
	 * The directory the binaries really live in, when the one found holds links to some of them only
	 * (such as {@code /usr/local/bin/pg_ctl} linking to the packaged one without {@code pg_basebackup}).
	 */
	private static Path withServerTools(Path bin) {
		if (Files.isExecutable(bin.resolve("pg_basebackup"))) {
			return bin;
		}
		try {
			Path real = bin.resolve("pg_ctl").toRealPath().getParent();
			return (real != null && Files.isExecutable(real.resolve("pg_basebackup"))) ? real : bin;
		}
		catch (IOException ex) {
			return bin;
		}
	}

	private static Optional<Path> newestPackagedBinaries() {
		Path root = Path.of("/usr/lib/postgresql");
		if (!Files.isDirectory(root)) {
			return Optional.empty();
		}
		try (Stream<Path> versions = Files.list(root)) {
			return versions.filter((version) -> Files.isExecutable(version.resolve("bin/pg_ctl")))
				.max(Comparator.comparingInt(ThrowawayPostgres::majorVersion))
				.map((version) -> version.resolve("bin"));
		}
		catch (IOException ex) {
			return Optional.empty();
		}
	}

	private static int majorVersion(Path directory) {
		try {
			return Integer.parseInt(directory.getFileName().toString());
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No free port for a throwaway PostgreSQL", ex);
		}
	}

	static void changeOwner(Path directory, String user) throws IOException {
		UserPrincipalLookupService lookup = directory.getFileSystem().getUserPrincipalLookupService();
		UserPrincipal owner = lookup.lookupPrincipalByName(user);
		PosixFileAttributeView view = Files.getFileAttributeView(directory, PosixFileAttributeView.class);
		view.setOwner(owner);
		@Nullable GroupPrincipal group = groupOf(lookup, user);
		if (group != null) {
			view.setGroup(group);
		}
	}

	private static @Nullable GroupPrincipal groupOf(UserPrincipalLookupService lookup, String name) {
		try {
			return lookup.lookupPrincipalByGroupName(name);
		}
		catch (IOException ex) {
			return null;
		}
	}

	@Override
	public String toString() {
		return jdbcUrl() + " (throwaway cluster in " + this.directory + ")";
	}

}
