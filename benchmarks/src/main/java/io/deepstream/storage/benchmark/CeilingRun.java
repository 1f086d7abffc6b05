package io.deepstream.storage.benchmark;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import io.deepstream.storage.core.ChangeKind;
import io.deepstream.storage.core.Identifiers;
import io.deepstream.storage.schema.SchemaInitializer;
import io.deepstream.storage.schema.SchemaSql;
import org.jspecify.annotations.Nullable;

/**
 * The server-side ceiling: the same rows inserted by PostgreSQL itself, in one
 * {@code INSERT ... SELECT ... FROM generate_series} statement, into a table of the deepstream format,
 * with this project's trigger (as the store creates it), with the reference's
 * {@code EXECUTE 'NOTIFY ...'} trigger, and with none. A listener connection drains the notifications
 * meanwhile, as the store's listener would. Each variant runs three times, each time into a new table
 * and each first once; the best run counts, since this is a ceiling.
 * <p>
 * With {@code --tables} above 1 it also measures the rows spread over that many tables created during
 * the measurement, as the workload does ({@link #createdTables}): at 1,000 tables creating them is most
 * of PostgreSQL's work, for any client.
 */
final class CeilingRun {

	private static final int REPEATS = 3;

	/** The reference's trigger function body, as {@code @deepstream/storage-postgres} 3.0.4 creates it. */
	private static final String REFERENCE_TRIGGER_FUNCTION = """
			CREATE FUNCTION %s() RETURNS trigger AS $$
			DECLARE
			    id text;
			BEGIN
			    IF TG_OP = 'DELETE' THEN
			        id = OLD.id;
			      ELSE
			        id = NEW.id;
			      END IF;
			    EXECUTE 'NOTIFY "' || TG_TABLE_SCHEMA || '", ''' || TG_OP || ':' || TG_TABLE_NAME || ':' || id || ''';';
			    RETURN NULL;
			 END;
			 $$ LANGUAGE plpgsql""";

	private final BenchmarkOptions options;

	CeilingRun(BenchmarkOptions options) {
		this.options = options;
	}

	Map<String, Object> run() throws Exception {
		BenchmarkDatabase database = this.options.database();
		String schema = BenchmarkDatabase.freshSchema("bench_ceiling");
		int connections = Math.max(2, this.options.flushThreads());
		try (HikariDataSource pool = database.newPool(connections, schema); NotificationDrain drain = new NotificationDrain(database, schema)) {
			new SchemaInitializer(pool).initialize(schema);
			try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
				statement.execute(REFERENCE_TRIGGER_FUNCTION.formatted(Identifiers.qualify(schema, "reference_broadcast_update")));
			}
			drain.start();
			Map<String, Object> ours = null;
			Map<String, Object> reference = null;
			Map<String, Object> none = null;
			Trigger[] triggers = Trigger.values();
			for (int repeat = 0; repeat < REPEATS; repeat++) {
				// each variant goes first once: the first statement of a round may pay for a checkpoint
				for (int i = 0; i < triggers.length; i++) {
					Trigger trigger = triggers[(repeat + i) % triggers.length];
					Map<String, Object> measured = insert(pool, drain, schema, trigger.name().toLowerCase(Locale.ROOT) + "_" + repeat, trigger);
					switch (trigger) {
						case OURS -> ours = best(ours, measured);
						case REFERENCE -> reference = best(reference, measured);
						case NONE -> none = best(none, measured);
					}
				}
			}
			Map<String, Object> created = null;
			if (this.options.tables() > 1) {
				for (int repeat = 0; repeat < REPEATS; repeat++) {
					String prefix = "created_" + repeat + "_";
					created = best(created, createdTables(pool, drain, schema, prefix, connections));
					if (!this.options.keepSchemas()) {
						dropTables(pool, schema, prefix);
					}
				}
			}
			Map<String, Object> result = new LinkedHashMap<>();
			result.put("impl", "server-ceiling");
			result.put("records", this.options.records());
			result.put("valueBytes", this.options.valueBytes());
			result.put("jsonb", this.options.jsonb());
			result.put("statement", "INSERT INTO t (id, version, val) SELECT ... FROM generate_series(1, records)");
			// every repeat measures each trigger, so the best of ours is there
			Map<String, Object> oursBest = Objects.requireNonNull(ours, "our trigger was not measured");
			result.put("setPerSec", oursBest.get("rowsPerSec"));
			result.put("ourTrigger", oursBest);
			result.put("referenceTrigger", reference);
			result.put("noTrigger", none);
			result.put("repeats", REPEATS);
			if (created != null) {
				result.put("tables", this.options.tables());
				result.put("createdTables", created);
			}
			return result;
		}
		finally {
			if (!this.options.keepSchemas()) {
				database.dropSchema(schema);
			}
		}
	}

	private enum Trigger {

		OURS, REFERENCE, NONE

	}

	private Map<String, Object> insert(HikariDataSource pool, NotificationDrain drain, String schema, String table,
			Trigger trigger) throws SQLException, InterruptedException {
		int rows = this.options.records();
		String qualified = Identifiers.qualify(schema, table);
		try (Connection connection = pool.getConnection()) {
			try (Statement statement = connection.createStatement()) {
				statement.execute(SchemaSql.createTable(schema, table, this.options.jsonb()));
				if (trigger == Trigger.OURS) {
					statement.execute(SchemaSql.createTrigger(schema, table,
							Set.of(ChangeKind.INSERT, ChangeKind.UPDATE, ChangeKind.DELETE)));
				}
				else if (trigger == Trigger.REFERENCE) {
					statement.execute("CREATE TRIGGER " + Identifiers.quote(SchemaSql.triggerName(schema, table))
							+ " AFTER INSERT OR UPDATE OR DELETE ON " + qualified + " FOR EACH ROW EXECUTE PROCEDURE "
							+ Identifiers.qualify(schema, "reference_broadcast_update") + "()");
				}
			}
			String value = "'{\"n\":' || g || ',\"data\":\"' || ? || '\"}'" + (this.options.jsonb() ? "::jsonb" : "");
			String sql = "INSERT INTO " + qualified + " (id, version, val) SELECT 'r' || g, 1, " + value
					+ " FROM generate_series(1, ?) AS g";
			String padding = new Workload(1, this.options.valueBytes()).value(0).data();
			int expected = (trigger == Trigger.NONE) ? 0 : rows;
			drain.expect(expected);
			try (PreparedStatement insert = connection.prepareStatement(sql)) {
				insert.setString(1, padding);
				insert.setInt(2, rows);
				long start = System.nanoTime();
				insert.executeUpdate();
				return measured(drain, rows, start, System.nanoTime() - start, expected > 0);
			}
		}
	}

	/**
	 * How many new tables one transaction of {@link #createdTables} creates and fills: as many as one
	 * transaction of the store's flusher may create ({@code BatchFlusher.MAX_NEW_TABLES_PER_GROUP}), so
	 * that the ceiling commits no more often than the store does.
	 */
	private static final int TABLES_PER_TRANSACTION = 8;

	/**
	 * The rows spread over {@code --tables} tables as the workload spreads them (row {@code i} to table
	 * {@code i % tables}), each table created during the measurement with this project's DDL and
	 * trigger (one round trip) and filled by one {@code INSERT ... SELECT}, {@link #TABLES_PER_TRANSACTION}
	 * tables per transaction, on {@code connections} connections at once.
	 */
	private Map<String, Object> createdTables(HikariDataSource pool, NotificationDrain drain, String schema,
			String prefix, int connections) throws InterruptedException, ExecutionException {
		int tables = this.options.tables();
		int rows = this.options.records();
		String padding = new Workload(1, this.options.valueBytes()).value(0).data();
		String value = "'{\"n\":' || g || ',\"data\":\"' || ? || '\"}'" + (this.options.jsonb() ? "::jsonb" : "");
		AtomicInteger next = new AtomicInteger();
		drain.expect(rows);
		ExecutorService threads = Executors.newFixedThreadPool(connections);
		try {
			List<Future<?>> workers = new ArrayList<>();
			long start = System.nanoTime();
			for (int c = 0; c < connections; c++) {
				workers.add(threads.submit(() -> {
					try (Connection connection = pool.getConnection()) {
						connection.setAutoCommit(false);
						for (int first = next.getAndAdd(TABLES_PER_TRANSACTION); first < tables;
								first = next.getAndAdd(TABLES_PER_TRANSACTION)) {
							for (int table = first; table < Math.min(first + TABLES_PER_TRANSACTION, tables); table++) {
								createAndFill(connection, schema, prefix + table, value, padding, table, rows - 1, tables);
							}
							connection.commit();
						}
					}
					return null;
				}));
			}
			for (Future<?> worker : workers) {
				worker.get();
			}
			Map<String, Object> result = measured(drain, rows, start, System.nanoTime() - start, true);
			result.put("connections", connections);
			return result;
		}
		finally {
			threads.shutdownNow();
		}
	}

	/**
	 * Drops the tables of one {@link #createdTables} measurement, a hundred per statement: dropping
	 * thousands with the schema at the end would need more locks than one transaction may hold.
	 */
	private void dropTables(HikariDataSource pool, String schema, String prefix) throws SQLException {
		try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
			for (int first = 0; first < this.options.tables(); first += 100) {
				StringJoiner names = new StringJoiner(", ", "DROP TABLE ", "");
				for (int table = first; table < Math.min(first + 100, this.options.tables()); table++) {
					names.add(Identifiers.qualify(schema, prefix + table));
				}
				statement.execute(names.toString());
			}
		}
	}

	private void createAndFill(Connection connection, String schema, String table, String value, String padding,
			int first, int last, int step) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.execute(SchemaSql.createTable(schema, table, this.options.jsonb()) + ";\n" + SchemaSql.createTrigger(
					schema, table, Set.of(ChangeKind.INSERT, ChangeKind.UPDATE, ChangeKind.DELETE)));
		}
		try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + Identifiers.qualify(schema, table)
				+ " (id, version, val) SELECT 'r' || g, 1, " + value + " FROM generate_series(?, ?, ?) AS g")) {
			insert.setString(1, padding);
			insert.setInt(2, first);
			insert.setInt(3, last);
			insert.setInt(4, step);
			insert.executeUpdate();
		}
	}

	/**
	 * What one measurement gives, once its notifications (if any) have arrived.
	 * @param drain the listener that counts them
	 * @param rows the rows written
	 * @param start when its statements started, from {@link System#nanoTime()}
	 * @param statementNanos how long they took until the last commit
	 * @param notified whether the rows were notified
	 * @return its time, rate and (if notified) when the last notification arrived
	 */
	private Map<String, Object> measured(NotificationDrain drain, int rows, long start, long statementNanos,
			boolean notified) throws InterruptedException {
		long drainedAt = drain.awaitExpected(this.options.notifyTimeout().toNanos());
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("ms", Math.round(statementNanos / 1e6));
		result.put("rowsPerSec", Math.round(rows / (statementNanos / 1e9)));
		if (notified) {
			result.put("notifyDrainMs", (drainedAt > 0) ? Math.round((drainedAt - start) / 1e6) : null);
		}
		return result;
	}

	private static Map<String, Object> best(@Nullable Map<String, Object> best, Map<String, Object> candidate) {
		if (best == null || rowsPerSec(candidate) > rowsPerSec(best)) {
			return candidate;
		}
		return best;
	}

	/** The rate {@link #insert} always puts in its result. */
	private static long rowsPerSec(Map<String, Object> measured) {
		return (Long) Objects.requireNonNull(measured.get("rowsPerSec"), "rowsPerSec was not measured");
	}

}
