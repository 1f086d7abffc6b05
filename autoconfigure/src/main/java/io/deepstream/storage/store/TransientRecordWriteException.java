package io.deepstream.storage.store;

import org.springframework.dao.TransientDataAccessException;

/**
 * Completes the future of a write that was not committed because the database was unavailable (the
 * connection was lost or refused, the server shut down or restarted, a deadlock or serialization
 * failure) through every retry ({@code max-retries}). The same write may succeed later. The cause is
 * the last database error.
 * <p>
 * A {@link TransientDataAccessException}, so retry support that knows Spring's hierarchy treats it as
 * retryable; {@link RecordWriteException} is its non-transient sibling.
 */
public class TransientRecordWriteException extends TransientDataAccessException {

	public TransientRecordWriteException(String message, Throwable cause) {
		super(message, cause);
	}

}
