package io.deepstream.storage.store;

import org.springframework.dao.TransientDataAccessResourceException;

/**
 * Thrown by {@code set} and {@code delete} when the write buffer is full: PostgreSQL is slower than
 * the writers. Nothing was buffered; the caller may retry later, hence a transient data access
 * failure.
 */
public class BufferFullException extends TransientDataAccessResourceException {

	public BufferFullException(String message) {
		super(message);
	}

}
