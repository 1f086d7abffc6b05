package io.deepstream.storage.store;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.NonTransientDataAccessException;

/**
 * Completes the future of a write that was not committed for a reason that retrying the same write
 * will not cure: the database refused it (a constraint, a permission, a column of another type), or
 * the store closed before it was committed. The cause is the last database error.
 * <p>
 * A failure that outlasted every retry because the database was unavailable is a
 * {@link TransientRecordWriteException} instead; catch {@link org.springframework.dao.DataAccessException}
 * for both.
 */
public class RecordWriteException extends NonTransientDataAccessException {

	public RecordWriteException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
