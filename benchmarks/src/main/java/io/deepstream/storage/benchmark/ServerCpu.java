package io.deepstream.storage.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * CPU time of the PostgreSQL backends that serve one run (every connection whose
 * {@code application_name} is the run's), read from {@code /proc/<pid>/stat}: so it works only when
 * the server runs on this machine, and reports nothing otherwise. On a machine shared with other
 * work, CPU time per record is a steadier measure than throughput. It samples every 50 ms on a
 * connection of its own (which it does not count), so that backends that come and go are counted.
 */
final class ServerCpu implements AutoCloseable {

	private static final long CLOCK_TICK_MS = 10;

	private final Connection connection;

	private final String applicationName;

	private final Thread thread;

	/** Backend pid to its CPU ticks: when counting started, and at the latest sample. Guarded by this. */
	private final Map<Integer, long[]> ticks = new HashMap<>();

	private volatile boolean running = true;

	private volatile boolean available = true;

	/** Whether any backend was found at all (none on a server elsewhere, whose pids mean nothing here). */
	private volatile boolean seen;

	ServerCpu(BenchmarkDatabase database, String applicationName) throws SQLException {
		this.connection = database.connect();
		this.applicationName = applicationName;
		sample(true);
		this.thread = new Thread(this::run, "benchmark-server-cpu");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	private void run() {
		while (this.running) {
			try {
				Thread.sleep(50);
				sample(false);
			}
			catch (InterruptedException ex) {
				return;
			}
			catch (SQLException ex) {
				this.available = false;
				return;
			}
		}
	}

	/**
	 * Reads the CPU time of every backend of the run.
	 * @param baseline whether to count every backend from now; otherwise a backend not seen before
	 * was opened since the last sample, and is counted from zero
	 */
	private synchronized void sample(boolean baseline) throws SQLException {
		try (PreparedStatement query = this.connection
			.prepareStatement("SELECT pid FROM pg_stat_activity WHERE application_name = ?")) {
			query.setString(1, this.applicationName);
			try (ResultSet rs = query.executeQuery()) {
				while (rs.next()) {
					int pid = rs.getInt(1);
					long cpu = cpuTicks(pid);
					if (cpu < 0) {
						continue; // ended since the query
					}
					long[] known = this.ticks.computeIfAbsent(pid, (key) -> new long[] { baseline ? cpu : 0, cpu });
					known[1] = cpu;
				}
			}
		}
	}

	/**
	 * The CPU ticks of a local PostgreSQL process.
	 * @return the ticks, or -1 if there is no such process; a process that is not PostgreSQL's (the
	 * server runs elsewhere) makes the measurement unavailable
	 */
	private long cpuTicks(int pid) {
		String stat;
		try {
			stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
		}
		catch (IOException ex) {
			return -1;
		}
		if (!stat.contains("(postgres)")) {
			this.available = false;
			return -1;
		}
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		this.seen = true;
		return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
	}

	/** Starts counting from now: the backends' CPU so far is not counted. */
	synchronized void reset() throws SQLException {
		this.ticks.clear();
		sample(true);
	}

	/**
	 * CPU milliseconds of the run's backends since {@link #reset()}.
	 * @return the milliseconds, or null if the server's processes cannot be read
	 */
	synchronized @Nullable Long millis() {
		try {
			sample(false);
		}
		catch (SQLException ex) {
			return null;
		}
		if (!this.available || !this.seen) {
			return null;
		}
		long sum = 0;
		for (long[] known : this.ticks.values()) {
			sum += known[1] - known[0];
		}
		return sum * CLOCK_TICK_MS;
	}

	@Override
	public void close() throws SQLException {
		this.running = false;
		this.thread.interrupt();
		try {
			this.thread.join(1000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.connection.close();
	}

}
