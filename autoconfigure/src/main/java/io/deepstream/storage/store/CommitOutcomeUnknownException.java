package io.deepstream.storage.store;

import org.jspecify.annotations.Nullable;

/**
 * Completes the future of a write whose batch's {@code COMMIT} failed (the connection broke, the
 * server stopped answering) when PostgreSQL could not tell afterwards whether that transaction
 * committed: it could not be reached within the retries ({@code max-retries}), the transaction was
 * still in progress after them, or the server no longer knows it. The write may or may not be
 * stored, and the store does not write it again, since doing so could apply it twice (an
 * {@code update} incremented twice, a {@code compareAndSet} reported as a conflict with itself). Read
 * the record to find out. The cause is the failure of the {@code COMMIT}; failures of the questions
 * asked afterwards are attached to it as suppressed exceptions.
 * <p>
 * A {@link RecordWriteException}, so non-transient: retry support that knows Spring's hierarchy does
 * not blindly repeat the write.
 */
public class CommitOutcomeUnknownException extends RecordWriteException {

	public CommitOutcomeUnknownException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
