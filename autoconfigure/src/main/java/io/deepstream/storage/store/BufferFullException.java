package io.deepstream.storage.store;

/**
 * Thrown by {@code set} and {@code delete} when the write buffer is full: PostgreSQL is slower than
 * the writers. Nothing was buffered; the caller may retry later.
 */
public class BufferFullException extends IllegalStateException {

	public BufferFullException(String message) {
		super(message);
	}

}
