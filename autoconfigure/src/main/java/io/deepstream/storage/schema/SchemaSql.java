package io.deepstream.storage.schema;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.StringJoiner;

import io.deepstream.storage.core.ChangeKind;
import io.deepstream.storage.core.Identifiers;
import org.jspecify.annotations.Nullable;

/**
 * The DDL of the deepstream format. Identifiers are quoted by {@link Identifiers}; nothing here
 * takes a value.
 */
public final class SchemaSql {

	/** Name of this project's own row trigger function, created inside each data schema. */
	public static final String RECORD_CHANGE_FUNCTION = "deepstream_record_change";

	/**
	 * The reference's row counter, created unqualified as the reference does. {@code format('%I')}
	 * quotes the names where the reference concatenates them.
	 */
	static final String COUNT_ROWS = """
			CREATE OR REPLACE FUNCTION count_rows(schema text, tablename text) RETURNS integer AS $body$
			DECLARE
			  result integer;
			BEGIN
			  EXECUTE format('SELECT count(1) FROM %I.%I', schema, tablename) INTO result;
			  RETURN result;
			END;
			$body$ LANGUAGE plpgsql""";

	/**
	 * The reference's drop-when-empty function, for processes that call it. This project does not:
	 * it drops tables itself under a lock, so that a concurrent first write is never lost.
	 */
	static final String DELETE_IF_EMPTY = """
			CREATE OR REPLACE FUNCTION delete_if_empty(schema text, tablename text) RETURNS void AS $body$
			DECLARE
			  result integer;
			BEGIN
			  EXECUTE format('LOCK TABLE %I.%I IN ACCESS EXCLUSIVE MODE', schema, tablename);
			  EXECUTE format('SELECT count(*) FROM %I.%I', schema, tablename) INTO result;
			  IF result = 0 THEN
			    EXECUTE format('DROP TABLE %I.%I CASCADE', schema, tablename);
			    PERFORM pg_notify(schema, 'DESTROY_TABLE:' || tablename);
			  END IF;
			END;
			$body$ LANGUAGE plpgsql""";

	/**
	 * The row trigger function: sends {@code <TG_OP>:<table>:<id>} on the schema's channel with
	 * {@code pg_notify}, so any id works (the reference concatenates it into a NOTIFY statement). The
	 * call is an assignment rather than a {@code PERFORM}: PL/pgSQL evaluates an assignment as a simple
	 * expression, where {@code PERFORM} starts an executor for a {@code SELECT} on every row, which made
	 * the trigger cost about twice as much (see {@code benchmarks/README.md}).
	 * <p>
	 * That assignment is the body's only expression. PL/pgSQL compiles a trigger function once per
	 * trigger (per table) in every backend that fires it, and keeps a plan for each expression it has
	 * evaluated; a backend walks all its plans for every relation invalidation, which each
	 * {@code CREATE TABLE} by any backend sends. So the payload's id is chosen by a {@code CASE}
	 * rather than an {@code IF}, and the function returns a variable that is never assigned (so NULL,
	 * which an AFTER trigger's caller ignores) rather than {@code RETURN NULL}: PL/pgSQL returns a
	 * variable directly, but {@code NULL} is an expression with a plan of its own. In a backend that
	 * had written to 1,000 tables, creating 300 more took 1.41 – 1.44 s with this body, 1.99 – 2.77 s
	 * with {@code RETURN NULL}, 2.38 – 2.59 s with an {@code IF} on {@code TG_OP} as well, and
	 * 0.91 – 1.18 s with no expression at all ({@code benchmarks/trigger-plans.sh}, two repeats).
	 */
	private static final String NOTIFY_FUNCTION = """
			CREATE OR REPLACE FUNCTION %s() RETURNS trigger AS $body$
			DECLARE
			  sent text;
			  nothing record;
			BEGIN
			  sent := pg_notify(TG_TABLE_SCHEMA,
			      TG_OP || ':' || TG_TABLE_NAME || ':' || CASE TG_OP WHEN 'DELETE' THEN OLD.id ELSE NEW.id END);
			  RETURN nothing;
			END;
			$body$ LANGUAGE plpgsql""";

	/** The reference's {@code broadcast_update()}, unqualified as the reference creates it, sending the same payloads. */
	static final String BROADCAST_UPDATE = NOTIFY_FUNCTION.formatted("broadcast_update");

	private SchemaSql() {
	}

	/**
	 * Creates the data schema unless it exists.
	 * @param schema a valid schema name
	 * @return the DDL
	 */
	public static String createSchema(String schema) {
		return "CREATE SCHEMA IF NOT EXISTS " + Identifiers.quote(schema);
	}

	/**
	 * Drops a data schema and everything in it; fails if it does not exist, as the reference does.
	 * @param schema a valid schema name
	 * @return the DDL
	 */
	public static String dropSchema(String schema) {
		return "DROP SCHEMA " + Identifiers.quote(schema) + " CASCADE";
	}

	/**
	 * Our own trigger function inside the data schema: the reference never replaces it, so our tables
	 * keep working for ids containing quotes whichever process started last. It sends the payload as
	 * {@link #BROADCAST_UPDATE} does, by assignment.
	 * @param schema the data schema
	 * @return the DDL
	 */
	static String recordChangeFunction(String schema) {
		return NOTIFY_FUNCTION.formatted(Identifiers.qualify(schema, RECORD_CHANGE_FUNCTION));
	}

	/**
	 * The reference's record table. Only the name of its primary key differs: PostgreSQL would call it
	 * {@code <table>_pkey}, and indexes share one namespace with tables, so that a record table of that
	 * name (record {@code cars_pkey/x} after {@code cars/y}) could never be created. Ours is
	 * {@linkplain #primaryKeyName named} with a {@code :}, which no table name contains.
	 * @param schema the schema
	 * @param table the table
	 * @param useJsonb whether {@code val} is jsonb rather than text
	 * @return the DDL
	 */
	public static String createTable(String schema, String table, boolean useJsonb) {
		// concatenated, not formatted: a store creating many tables runs this on every creation, and a
		// Formatter parses its pattern with regular expressions each time
		return "CREATE TABLE " + Identifiers.qualify(schema, table) + " (\n  id text NOT NULL,\n  version int DEFAULT 0,\n"
				+ "  val " + (useJsonb ? "jsonb" : "text") + " NOT NULL,\n  CONSTRAINT "
				+ Identifiers.quote(primaryKeyName(table)) + " PRIMARY KEY (id)\n)";
	}

	/**
	 * The name of a record table's primary key (and of its index): {@code <table>:pkey}, or for a long
	 * table name its beginning, {@code :} and a hash of the whole name, within 63 bytes.
	 * @param table a valid table name
	 * @return a name that no table can have, and no other record table's primary key has
	 */
	public static String primaryKeyName(String table) {
		String name = table + ":pkey";
		if (Identifiers.utf8Length(name) <= Identifiers.MAX_BYTES) {
			return name;
		}
		String hash = HexFormat.of().formatHex(sha256(table), 0, 5);
		StringBuilder prefix = new StringBuilder();
		int room = Identifiers.MAX_BYTES - 1 - hash.length();
		table.codePoints().takeWhile((cp) -> Identifiers.utf8Length(prefix + Character.toString(cp)) <= room)
			.forEach(prefix::appendCodePoint);
		return prefix + ":" + hash;
	}

	private static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}

	/**
	 * Hands a new table to the configured role, as the reference's {@code role} option does.
	 * @param schema the schema
	 * @param table the table
	 * @param role the new owner
	 * @return the DDL
	 */
	public static String alterOwner(String schema, String table, String role) {
		return "ALTER TABLE " + Identifiers.qualify(schema, table) + " OWNER TO "
				+ Identifiers.quote(Identifiers.requireValidRole(role));
	}

	/**
	 * The row trigger under the reference's name, firing on the enabled operations.
	 * @param schema the schema
	 * @param table the table
	 * @param operations the enabled record operations (not empty)
	 * @return the DDL, or null when no operation is enabled
	 */
	public static @Nullable String createTrigger(String schema, String table, Set<ChangeKind> operations) {
		if (operations.isEmpty()) {
			return null;
		}
		StringJoiner events = new StringJoiner(" OR ");
		for (ChangeKind operation : operations) {
			events.add(operation.name());
		}
		return "CREATE TRIGGER " + Identifiers.quote(triggerName(schema, table)) + " AFTER " + events + " ON "
				+ Identifiers.qualify(schema, table) + " FOR EACH ROW EXECUTE PROCEDURE "
				+ Identifiers.qualify(schema, RECORD_CHANGE_FUNCTION) + "()";
	}

	/**
	 * The reference's trigger name, {@code broadcast_update_<schema>_<table>}, cut to 63 bytes as
	 * PostgreSQL would.
	 * @param schema the schema
	 * @param table the table
	 * @return the trigger name
	 */
	public static String triggerName(String schema, String table) {
		return Identifiers.truncate("broadcast_update_" + schema + "_" + table);
	}

}
