package io.deepstream.storage.benchmark;

import java.time.Duration;

import io.deepstream.storage.store.RecordStoreOptions;
import org.jspecify.annotations.Nullable;

/**
 * The command line of the benchmark. Every argument is optional; the defaults are the workload of
 * issue 6: 100,000 records over 10 tables, 200-byte values, a write interval of 200 ms, a text column
 * and every notification on.
 *
 * @param records how many records are set, each once
 * @param tables over how many tables they are spread (record {@code i} goes to table {@code i % tables})
 * @param valueBytes the length of each value's JSON text
 * @param writeInterval the store's write interval
 * @param jsonb whether tables store values as jsonb
 * @param batchSize the store's maximum batch size
 * @param maxBuffered the store's bound on buffered writes
 * @param flushThreads the store's flush threads
 * @param gets how many records are read one at a time after the writes
 * @param warmup how many records a discarded warm-up round writes (in a schema of its own) first
 * @param rounds how many measured rounds run (each in a fresh schema); the median one is reported
 * @param notifyTimeout how long to wait for the last INSERT notification
 * @param ceiling whether to measure the server-side ceiling instead of the store
 * @param rate sets per second of a steady load ({@code --rate}), or 0 for a burst
 * @param duration how long the steady load lasts
 * @param database where to connect
 * @param serverUrl a deepstream HTTP endpoint the store announces its writes to, or null
 * @param keepSchemas whether the schemas of the run stay when it ends (to be dropped with the database)
 */
record BenchmarkOptions(int records, int tables, int valueBytes, Duration writeInterval, boolean jsonb, int batchSize,
		int maxBuffered, int flushThreads, int gets, int warmup, int rounds, Duration notifyTimeout, boolean ceiling,
		int rate, Duration duration, BenchmarkDatabase database, @Nullable String serverUrl, boolean keepSchemas) {

	static final String USAGE = """
			Usage: java -jar deepstream-storage-benchmarks.jar [options]
			  --records N            records to set, each once (default 100000)
			  --tables N             tables they are spread over (default 10)
			  --value-bytes N        length of each value's JSON text (default 200)
			  --write-interval-ms N  the store's write interval (default 200)
			  --jsonb                store values as jsonb (default text)
			  --batch-size N         the store's maxBatchSize (default: the store's default)
			  --max-buffered N       the store's maxBufferedWrites (default: the store's default)
			  --flush-threads N      the store's flushThreads (default: the store's default)
			  --gets N               records read one at a time afterwards (default min(records, 10000))
			  --warmup N             records of a discarded warm-up round (default min(records, 200000))
			  --rounds N             measured rounds, each in a fresh schema; the median is reported (default 3;
			                         with --rate 1)
			  --notify-timeout-ms N  longest wait for the last notification (default 120000)
			  --ceiling              measure the server-side ceiling instead: one INSERT ... SELECT; with
			                         --tables above 1 also the rows over that many tables, created and
			                         filled 8 per transaction on --flush-threads connections
			  --rate N               a steady load instead of a burst: N sets per second, evenly spaced,
			                         for --duration-s; reports commit-to-event and set-to-event latencies
			                         (records = N x duration; the warm-up is still a burst)
			  --duration-s N         how long the steady load lasts (default 30)
			  --server-url URL       announce the store's writes to this deepstream HTTP endpoint
			                         (deepstream.storage.server.urls) and wait for the last announcement
			  --keep-schemas         leave every round's schema (and the ceiling's tables) in place, for whoever
			                         drops the database afterwards, as run.sh does: dropping thousands of
			                         tables slows the creation of files for minutes after on some file systems
			  --url URL --user U --password P
			                         the database (default: DEEPSTREAM_TEST_JDBC_URL, DEEPSTREAM_TEST_USERNAME,
			                         DEEPSTREAM_TEST_PASSWORD, else jdbc:postgresql://127.0.0.1:5432/postgres as postgres)
			""";

	/**
	 * Reads the command line.
	 * @param args the arguments
	 * @return the options
	 * @throws IllegalArgumentException for an unknown argument or a bad number
	 */
	static BenchmarkOptions parse(String[] args) {
		RecordStoreOptions defaults = RecordStoreOptions.defaults();
		int records = 100_000;
		int tables = 10;
		int valueBytes = 200;
		long writeIntervalMs = defaults.writeInterval().toMillis();
		boolean jsonb = false;
		int batchSize = defaults.maxBatchSize();
		int maxBuffered = defaults.maxBufferedWrites();
		int flushThreads = defaults.flushThreads();
		Integer gets = null;
		Integer warmup = null;
		Integer rounds = null;
		long notifyTimeoutMs = 120_000;
		boolean ceiling = false;
		int rate = 0;
		int durationS = 30;
		String serverUrl = null;
		boolean keepSchemas = false;
		String url = BenchmarkDatabase.env(BenchmarkDatabase.URL_VARIABLE, BenchmarkDatabase.DEFAULT_URL);
		String user = BenchmarkDatabase.env(BenchmarkDatabase.USER_VARIABLE, "postgres");
		String password = BenchmarkDatabase.env(BenchmarkDatabase.PASSWORD_VARIABLE, "");
		for (int i = 0; i < args.length; i++) {
			String arg = args[i];
			switch (arg) {
				case "--records" -> records = positive(arg, args, ++i);
				case "--tables" -> tables = positive(arg, args, ++i);
				case "--value-bytes" -> valueBytes = positive(arg, args, ++i);
				case "--write-interval-ms" -> writeIntervalMs = positive(arg, args, ++i);
				case "--jsonb" -> jsonb = true;
				case "--batch-size" -> batchSize = positive(arg, args, ++i);
				case "--max-buffered" -> maxBuffered = positive(arg, args, ++i);
				case "--flush-threads" -> flushThreads = positive(arg, args, ++i);
				case "--gets" -> gets = nonNegative(arg, args, ++i);
				case "--warmup" -> warmup = nonNegative(arg, args, ++i);
				case "--rounds" -> rounds = positive(arg, args, ++i);
				case "--notify-timeout-ms" -> notifyTimeoutMs = positive(arg, args, ++i);
				case "--ceiling" -> ceiling = true;
				case "--rate" -> rate = positive(arg, args, ++i);
				case "--duration-s" -> durationS = positive(arg, args, ++i);
				case "--server-url" -> serverUrl = value(arg, args, ++i);
				case "--keep-schemas" -> keepSchemas = true;
				case "--url" -> url = value(arg, args, ++i);
				case "--user" -> user = value(arg, args, ++i);
				case "--password" -> password = value(arg, args, ++i);
				default -> throw new IllegalArgumentException("Unknown argument '" + arg + "'");
			}
		}
		if (rate > 0) {
			if (ceiling) {
				throw new IllegalArgumentException("--rate and --ceiling measure different things; give one");
			}
			long steadyRecords = (long) rate * durationS;
			if (steadyRecords > 50_000_000) {
				throw new IllegalArgumentException("--rate x --duration-s must be at most 50,000,000 sets");
			}
			// the warm-up (a burst) defaults to what it would be for the burst workload
			warmup = (warmup != null) ? warmup : Math.min(records, 200_000);
			records = (int) steadyRecords;
		}
		return new BenchmarkOptions(records, tables, valueBytes, Duration.ofMillis(writeIntervalMs), jsonb, batchSize,
				maxBuffered, flushThreads, (gets != null) ? gets : Math.min(records, 10_000),
				(warmup != null) ? warmup : Math.min(records, 200_000),
				(rounds != null) ? rounds : (rate > 0) ? 1 : 3, Duration.ofMillis(notifyTimeoutMs), ceiling,
				rate, Duration.ofSeconds(durationS), new BenchmarkDatabase(url, user, password), serverUrl, keepSchemas);
	}

	/**
	 * These options with another number of records (and as many reads at most), for the warm-up round.
	 * @param count the number of records
	 * @return the options
	 */
	BenchmarkOptions withRecords(int count) {
		return new BenchmarkOptions(count, this.tables, this.valueBytes, this.writeInterval, this.jsonb, this.batchSize,
				this.maxBuffered, this.flushThreads, Math.min(this.gets, count), 0, 1, this.notifyTimeout, this.ceiling, 0,
				this.duration, this.database, this.serverUrl, this.keepSchemas);
	}

	/**
	 * The store options of this run, in a schema of its own.
	 * @param schema the schema
	 * @return the options
	 */
	RecordStoreOptions storeOptions(String schema) {
		return RecordStoreOptions.builder()
			.schema(schema)
			.writeInterval(this.writeInterval)
			.useJsonb(this.jsonb)
			.maxBatchSize(this.batchSize)
			.maxBufferedWrites(this.maxBuffered)
			.flushThreads(this.flushThreads)
			.build();
	}

	private static String value(String name, String[] args, int index) {
		if (index >= args.length) {
			throw new IllegalArgumentException(name + " needs a value");
		}
		return args[index];
	}

	private static int positive(String name, String[] args, int index) {
		int value = nonNegative(name, args, index);
		if (value < 1) {
			throw new IllegalArgumentException(name + " must be at least 1");
		}
		return value;
	}

	private static int nonNegative(String name, String[] args, int index) {
		String text = value(name, args, index);
		try {
			int value = Integer.parseInt(text.replace("_", ""));
			if (value < 0) {
				throw new IllegalArgumentException(name + " must not be negative");
			}
			return value;
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(name + " takes a whole number, not '" + text + "'", ex);
		}
	}

}
