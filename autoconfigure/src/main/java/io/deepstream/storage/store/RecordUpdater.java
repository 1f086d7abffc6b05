package io.deepstream.storage.store;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

import io.deepstream.storage.core.RecordName;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * {@link PostgresRecordStore#update}: deepstream's version rule for Java callers. Reads the record as
 * the checker of conditional writes sees it, applies the change, writes the result at the next version
 * with a conditional write, and after a conflict applies the change again to the record the conflict
 * found, until an attempt applies or none is left.
 */
final class RecordUpdater {

	private final JsonCodec json;

	private final String defaultTable;

	RecordUpdater(JsonCodec json, String defaultTable) {
		this.json = json;
		this.defaultTable = defaultTable;
	}

	/**
	 * Updates a record with the given checker.
	 * @throws IllegalArgumentException if {@code maxAttempts} is less than 1
	 * @throws io.deepstream.storage.core.InvalidRecordException for an invalid record name
	 */
	CompletableFuture<StoredRecord> update(ConditionalWrites checker, String name, int maxAttempts,
			Function<@Nullable JsonNode, ?> change) {
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
		}
		RecordName recordName = RecordName.parse(name, this.defaultTable);
		return checker.read(name, recordName)
			.thenCompose((current) -> attempt(checker, name, recordName, current, maxAttempts, change));
	}

	private CompletableFuture<StoredRecord> attempt(ConditionalWrites checker, String name, RecordName recordName,
			StoredRecord current, int attemptsLeft, Function<@Nullable JsonNode, ?> change) {
		String text;
		CompletableFuture<Void> written;
		int version = checker.nextVersion(current);
		try {
			text = this.json.write(name, change.apply(current.value()));
			written = checker.compareAndSet(name, recordName, current.version(), version, text);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		// The retry runs off the thread that settles the future (the flusher's, or the HTTP client's): it
		// may wait for room in the buffer.
		return written.handleAsync((done, failure) -> {
			if (failure == null) {
				return CompletableFuture.completedFuture(new StoredRecord(version, this.json.read(text)));
			}
			Throwable cause = (failure instanceof CompletionException) ? failure.getCause() : failure;
			if (cause instanceof VersionConflictException conflict && attemptsLeft > 1) {
				StoredRecord latest = checker.afterConflict(recordName, conflict);
				return attempt(checker, name, recordName, latest, attemptsLeft - 1, change);
			}
			return CompletableFuture.<StoredRecord>failedFuture(cause);
		}).thenCompose(Function.identity());
	}

}
