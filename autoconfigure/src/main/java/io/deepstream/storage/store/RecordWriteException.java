package io.deepstream.storage.store;

/**
 * Completes the future of a write that was not committed: a non-transient error, or a transient one
 * that outlasted every retry. The cause is the last database error.
 */
public class RecordWriteException extends RuntimeException {

	public RecordWriteException(String message, Throwable cause) {
		super(message, cause);
	}

}
