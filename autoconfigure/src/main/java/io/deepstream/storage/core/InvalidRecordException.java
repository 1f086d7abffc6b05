package io.deepstream.storage.core;

/**
 * A record name or value that breaks a rule of the deepstream format (an empty id, a table name with
 * {@code :} or longer than PostgreSQL allows, a value Jackson cannot write...). Thrown before anything
 * reaches the database: nothing was buffered or written, and retrying the same input fails again.
 * <p>
 * An {@link IllegalArgumentException}, so callers that caught that keep working.
 */
public class InvalidRecordException extends IllegalArgumentException {

	public InvalidRecordException(String message) {
		super(message);
	}

	public InvalidRecordException(String message, Throwable cause) {
		super(message, cause);
	}

}
