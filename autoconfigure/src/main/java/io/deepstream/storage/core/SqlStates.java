package io.deepstream.storage.core;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

import org.jspecify.annotations.Nullable;

/**
 * Classifies PostgreSQL errors by SQLSTATE, so that retry decisions are made in one place.
 */
public final class SqlStates {

	/** undefined_table: the table does not exist (yet, or any more). */
	public static final String UNDEFINED_TABLE = "42P01";

	/** duplicate_table: somebody else created it first. */
	public static final String DUPLICATE_TABLE = "42P07";

	/** duplicate_object: a trigger or function of that name exists. */
	public static final String DUPLICATE_OBJECT = "42710";

	/** unique_violation: raised by concurrent CREATE TABLE on the catalog's unique indexes. */
	public static final String UNIQUE_VIOLATION = "23505";

	/** insufficient_privilege: the object belongs to another role. */
	public static final String INSUFFICIENT_PRIVILEGE = "42501";

	private SqlStates() {
	}

	/**
	 * Whether a failure is worth retrying: the connection was lost or refused, the server is shutting
	 * down or starting, or the transaction lost a serialization race or a deadlock.
	 * @param ex the failure
	 * @return true if the same statement may succeed later
	 */
	public static boolean isTransient(Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
				return true;
			}
			if (t instanceof SQLException sql) {
				String state = sql.getSQLState();
				if (state != null && isTransientState(state)) {
					return true;
				}
			}
			if (t.getCause() == t) {
				break;
			}
		}
		return false;
	}

	/**
	 * Whether a failure carries the given SQLSTATE anywhere in its cause chain.
	 * @param ex the failure
	 * @param state the SQLSTATE
	 * @return true if it does
	 */
	public static boolean hasState(Throwable ex, String state) {
		return state.equals(stateOf(ex));
	}

	/**
	 * The first SQLSTATE in a cause chain.
	 * @param ex the failure
	 * @return the SQLSTATE, or null
	 */
	public static @Nullable String stateOf(Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof SQLException sql && sql.getSQLState() != null) {
				return sql.getSQLState();
			}
			if (t.getCause() == t) {
				break;
			}
		}
		return null;
	}

	private static boolean isTransientState(String state) {
		return state.startsWith("08") // connection exception
				|| state.equals("57P01") // admin_shutdown
				|| state.equals("57P02") // crash_shutdown
				|| state.equals("57P03") // cannot_connect_now (starting up)
				|| state.equals("40001") // serialization_failure
				|| state.equals("40P01") // deadlock_detected
				|| state.equals("53300") // too_many_connections
				|| state.equals("55P03"); // lock_not_available
	}

}
