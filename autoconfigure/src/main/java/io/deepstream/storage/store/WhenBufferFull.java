package io.deepstream.storage.store;

/**
 * What {@code set} and {@code delete} do when the write buffer holds {@code maxBufferedWrites}
 * uncommitted writes.
 */
public enum WhenBufferFull {

	/** Wait for room, up to {@code bufferFullTimeout}, then fail with {@link BufferFullException}. */
	BLOCK,

	/** Fail at once with {@link BufferFullException}. */
	FAIL

}
