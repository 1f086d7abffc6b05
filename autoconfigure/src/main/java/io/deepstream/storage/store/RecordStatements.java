package io.deepstream.storage.store;

import java.util.LinkedHashMap;
import java.util.Map;

import io.deepstream.storage.core.Identifiers;

/**
 * Every statement on one record table, in one place: reading records, writing them in batches
 * (upserts, conditional upserts, deletes), locking their rows, and locking, checking and dropping the
 * table. The texts are kept together as templates and expanded once for a (schema, table), with the
 * table's name quoted by {@link Identifiers}; ids, versions and values are always bind parameters,
 * a batch's as arrays expanded by {@code unnest}. The DDL that creates a table is
 * {@link io.deepstream.storage.schema.SchemaSql}'s. A store gets a table's statements from its
 * {@link Cache}. The few statements bound to no table (the table lock's key, notifications, a write
 * transaction's id and its outcome) are constants here too.
 */
final class RecordStatements {

	/** Where a template has the table's qualified, quoted name. */
	private static final String TABLE = "{table}";

	/** Where a template has the value: the parameter, cast to the column's type. */
	private static final String VALUE = "{value}";

	/** Where an upsert's template has the version it stores. */
	private static final String VERSION = "{version}";

	/** One record: version and value (as text, whatever the column's type). */
	private static final String READ = "SELECT version, val::text FROM {table} WHERE id = ?";

	/** Several records by id, a NULL version (the reference's column allows it) read as 0. */
	private static final String READ_MANY = "SELECT id, COALESCE(version, 0), val::text FROM {table} WHERE id = ANY (?::text[])";

	/** The multi-row upsert of the table, its value expression and the version it stores. */
	private static final String UPSERT = "INSERT INTO {table} AS t (id, version, val) SELECT u.id, u.version, {value}"
			+ " FROM unnest(?::text[], ?::int4[], ?::text[]) AS u(id, version, val)"
			+ " ON CONFLICT (id) DO UPDATE SET val = EXCLUDED.val, version = {version}";

	/**
	 * The multi-row insert into a table created in the same transaction, which no other transaction
	 * can see yet, so that no row can exist. It spares PostgreSQL the
	 * upsert's speculative insertion (an extra check and WAL record per row: 50,000 new rows took
	 * 220 ms as an upsert and 162 ms as an insert, trigger included).
	 */
	private static final String INSERT_NEW = "INSERT INTO {table} (id, version, val) SELECT u.id, u.version, {value}"
			+ " FROM unnest(?::text[], ?::int4[], ?::text[]) AS u(id, version, val)";

	/** The conditional upsert; returns the ids that applied. */
	private static final String CONDITIONAL_UPSERT = "WITH u AS (SELECT * FROM unnest(?::text[], ?::int4[], ?::int4[], ?::text[])"
			+ " AS u(id, expected, version, val)),"
			+ " created AS (INSERT INTO {table} AS t (id, version, val) SELECT u.id, u.version, {value}"
			+ " FROM u WHERE u.expected = -1 ON CONFLICT (id) DO NOTHING RETURNING t.id),"
			+ " updated AS (UPDATE {table} AS t SET version = u.version, val = {value}"
			+ " FROM u WHERE t.id = u.id AND u.expected <> -1 AND COALESCE(t.version, 0) = u.expected RETURNING t.id)"
			+ " SELECT id FROM created UNION ALL SELECT id FROM updated";

	/** Locks the existing rows of the given ids, in the order given. */
	private static final String LOCK_ROWS = "SELECT 1 FROM unnest(?::text[]) WITH ORDINALITY AS u(id, n) JOIN {table} AS t"
			+ " ON t.id = u.id ORDER BY u.n FOR UPDATE OF t";

	private static final String DELETE = "DELETE FROM {table} WHERE id = ANY (?::text[])";

	private static final String IS_EMPTY = "SELECT NOT EXISTS (SELECT 1 FROM {table})";

	private static final String LOCK_TABLE = "LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE";

	private static final String DROP_TABLE = "DROP TABLE {table}";

	/**
	 * The transaction-scoped advisory lock under which a table is created and dropped, by every
	 * process of ours; its key ({@link #tableLockKey()}) is a bind parameter.
	 */
	static final String TABLE_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))";

	/** Whether a table exists, its {@linkplain #qualified() qualified name} a bind parameter. */
	static final String TABLE_EXISTS = "SELECT to_regclass(?) IS NOT NULL";

	/** Sends a notification, channel and payload bind parameters. */
	static final String NOTIFY = "SELECT pg_notify(?, ?)";

	/**
	 * The id of the running transaction, read just before its {@code COMMIT} so that a {@code COMMIT}
	 * whose answer was lost can be looked up ({@link #TRANSACTION_STATUS}). NULL when the transaction has
	 * none: PostgreSQL gives one only to a transaction that writes, so one that wrote nothing spends no
	 * id, and has nothing that could be applied twice. The {@code txid_*} functions rather than
	 * {@code pg_current_xact_id()} and {@code pg_xact_status()}, which PostgreSQL 13 added: the store
	 * supports PostgreSQL 12.
	 */
	static final String TRANSACTION_ID = "SELECT txid_current_if_assigned()";

	/**
	 * Whether a transaction committed, its id (from {@link #TRANSACTION_ID}) a bind parameter:
	 * {@code committed}, {@code aborted}, {@code in progress}, or NULL when it is too old to tell.
	 */
	static final String TRANSACTION_STATUS = "SELECT txid_status(?)";

	private final String qualified;

	private final String tableLockKey;

	private final String read;

	private final String readMany;

	private final String upsertReplace;

	private final String insertNew;

	private final String upsertAtLeast;

	private final String upsertVersioned;

	private final String conditionalUpsert;

	private final String lockRows;

	private final String delete;

	private final String isEmpty;

	private final String lockTable;

	private final String dropTable;

	/**
	 * Expands the statements of a table.
	 * @param schema a valid schema name
	 * @param table a valid table name
	 * @param useJsonb whether new values are written to a jsonb column rather than text
	 */
	RecordStatements(String schema, String table, boolean useJsonb) {
		this.qualified = Identifiers.qualify(schema, table);
		this.tableLockKey = schema + '.' + table;
		String value = useJsonb ? "u.val::jsonb" : "u.val";
		this.read = expand(READ, "", "");
		this.readMany = expand(READ_MANY, "", "");
		// Without the version guard every upsert replaces the row, as the reference's statement does.
		// With it, a write applies only if its version is not lower than the stored one, except an
		// unversioned write (version 0 or less), which applies its value; either way the stored version
		// never goes down. AT_LEAST is for writes that PendingWrite.coalesce combined.
		this.upsertReplace = expand(UPSERT, value, "EXCLUDED.version");
		this.insertNew = expand(INSERT_NEW, value, "");
		this.upsertAtLeast = expand(UPSERT, value, "GREATEST(t.version, EXCLUDED.version)");
		this.upsertVersioned = expand(UPSERT, value, "GREATEST(t.version, EXCLUDED.version)"
				+ " WHERE EXCLUDED.version >= t.version OR EXCLUDED.version <= 0 OR t.version IS NULL");
		this.conditionalUpsert = expand(CONDITIONAL_UPSERT, value, "");
		this.lockRows = expand(LOCK_ROWS, "", "");
		this.delete = expand(DELETE, "", "");
		this.isEmpty = expand(IS_EMPTY, "", "");
		this.lockTable = expand(LOCK_TABLE, "", "");
		this.dropTable = expand(DROP_TABLE, "", "");
	}

	/**
	 * A template with its placeholders replaced in one pass over the template, so that a table name
	 * which contains a placeholder's text stays as it is. Neither {@code String.format}, whose
	 * {@code Formatter} parses its pattern with regular expressions every time (at 1,000 tables C2
	 * spent seconds compiling that), nor three {@code replace} calls, each scanning and copying the
	 * whole text: a store expands every statement of each table it writes to, at 1,000 tables that
	 * was 8% of the flush threads' time.
	 */
	private String expand(String template, String value, String version) {
		StringBuilder sql = new StringBuilder(template.length() + 2 * this.qualified.length() + value.length()
				+ version.length());
		int from = 0;
		for (int at = template.indexOf('{'); at >= 0; at = template.indexOf('{', from)) {
			String replacement = template.startsWith(TABLE, at) ? this.qualified
					: template.startsWith(VALUE, at) ? value : template.startsWith(VERSION, at) ? version : null;
			if (replacement == null) {
				// not a placeholder: kept as it is
				sql.append(template, from, at + 1);
				from = at + 1;
				continue;
			}
			sql.append(template, from, at).append(replacement);
			from = template.indexOf('}', at) + 1;
		}
		return sql.append(template, from, template.length()).toString();
	}

	/** The table's name, qualified and quoted, for messages and {@link #TABLE_EXISTS}. */
	String qualified() {
		return this.qualified;
	}

	/** The key of the table's {@link #TABLE_LOCK}: {@code <schema>.<table>}, unquoted, as every process of ours builds it. */
	String tableLockKey() {
		return this.tableLockKey;
	}

	/** One record by id: version and value. */
	String read() {
		return this.read;
	}

	/** Records by an array of ids: id, version (NULL as 0) and value. */
	String readMany() {
		return this.readMany;
	}

	/**
	 * The multi-row insert of a batch into a table its own transaction created, ids, versions and
	 * values as three arrays (as {@link #upsert}'s): every write creates its row, whatever its guard.
	 * @return the statement
	 */
	String insertNew() {
		return this.insertNew;
	}

	/**
	 * The multi-row upsert of a batch, ids, versions and values as three arrays.
	 * @param guard what a write does to a stored row of a higher version
	 * @return the statement
	 */
	String upsert(PendingWrite.Guard guard) {
		return switch (guard) {
			case REPLACE -> this.upsertReplace;
			case AT_LEAST -> this.upsertAtLeast;
			case VERSIONED -> this.upsertVersioned;
		};
	}

	/**
	 * The conditional upsert of a batch: ids, expected versions, new versions and values as four
	 * arrays; those expecting -1 insert unless the record exists, the others update it where its
	 * version (NULL as 0) is the expected one. Returns the ids that applied.
	 */
	String conditionalUpsert() {
		return this.conditionalUpsert;
	}

	/** Locks the existing rows of an array of ids, in the array's order. */
	String lockRows() {
		return this.lockRows;
	}

	/** Deletes the records of an array of ids. */
	String delete() {
		return this.delete;
	}

	/** Whether the table has no row. */
	String isEmpty() {
		return this.isEmpty;
	}

	/** Locks the table against every other access until the transaction ends. */
	String lockTable() {
		return this.lockTable;
	}

	/** Drops the table. */
	String dropTable() {
		return this.dropTable;
	}

	/**
	 * The statements of a store's tables (one schema, one column type), each table's expanded on first
	 * use and kept while the table is among the most recently used ones.
	 */
	static final class Cache {

		/** Tables whose statements are kept; one in use after that is expanded again. */
		static final int MAX_TABLES = 1024;

		private final String schema;

		private final boolean useJsonb;

		private final Map<String, RecordStatements> tables = new LinkedHashMap<>(64, 0.75f, true) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, RecordStatements> eldest) {
				return size() > MAX_TABLES;
			}

		};

		/**
		 * The statements of a store's tables.
		 * @param schema the store's (valid) schema
		 * @param useJsonb whether new values are written to a jsonb column
		 */
		Cache(String schema, boolean useJsonb) {
			this.schema = schema;
			this.useJsonb = useJsonb;
		}

		/**
		 * The statements of a table.
		 * @param table a valid table name
		 * @return its statements
		 */
		RecordStatements of(String table) {
			synchronized (this.tables) {
				// get and put rather than computeIfAbsent: its lambda would be inlined into a shared,
				// hot HashMap.computeIfAbsent, which C2 then compiled again for every new caller
				RecordStatements statements = this.tables.get(table);
				if (statements == null) {
					statements = new RecordStatements(this.schema, table, this.useJsonb);
					this.tables.put(table, statements);
				}
				return statements;
			}
		}

	}

}
