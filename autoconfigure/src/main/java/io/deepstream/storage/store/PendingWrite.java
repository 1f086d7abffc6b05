package io.deepstream.storage.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.deepstream.storage.core.RecordKey;

import org.jspecify.annotations.Nullable;

/**
 * One buffered operation on one record: an upsert (with version and JSON text) or a delete, and the
 * futures of every caller whose write it stands for. When a later write to the same record arrives
 * before the flush, it takes over the earlier callers' futures: they complete when it commits.
 */
final class PendingWrite {

	private final String id;

	private final int version;

	private final @Nullable String json;

	private List<CompletableFuture<Void>> waiters = new ArrayList<>(1);

	/** The key under which the buffer made this write visible to reads; set when it is buffered. */
	private @Nullable RecordKey key;

	private boolean settled;

	private @Nullable Throwable failure;

	private PendingWrite(String id, int version, @Nullable String json) {
		this.id = id;
		this.version = version;
		this.json = json;
	}

	static PendingWrite upsert(String id, int version, String json) {
		return new PendingWrite(id, version, json);
	}

	static PendingWrite delete(String id) {
		return new PendingWrite(id, -1, null);
	}

	String id() {
		return this.id;
	}

	int version() {
		return this.version;
	}

	/**
	 * Remembers the key this write is buffered under, so that the buffer removes it from its read
	 * index with the very key instance it was put with (no new key, and an identity match).
	 */
	void bufferedAs(RecordKey key) {
		this.key = key;
	}

	/** The key this write was buffered under (see {@link #bufferedAs}), or one made from the table. */
	RecordKey key(String table) {
		RecordKey buffered = this.key;
		return (buffered != null) ? buffered : new RecordKey(table, this.id);
	}

	/** The JSON text, or null for a delete. */
	@Nullable String json() {
		return this.json;
	}

	boolean isDelete() {
		return this.json == null;
	}

	/**
	 * Adds a caller. A write that has already been settled settles the new caller at once, so a
	 * waiter added by {@code flush()} while a batch completes is never left hanging.
	 */
	synchronized CompletableFuture<Void> addWaiter() {
		CompletableFuture<Void> future = new CompletableFuture<>();
		if (this.settled) {
			settle(future);
		}
		else {
			this.waiters.add(future);
		}
		return future;
	}

	synchronized void takeWaitersOf(PendingWrite superseded) {
		synchronized (superseded) {
			this.waiters.addAll(superseded.waiters);
			superseded.waiters.clear();
		}
	}

	synchronized int waiterCount() {
		return this.waiters.size();
	}

	void complete() {
		settleAll(null);
	}

	void fail(Throwable cause) {
		settleAll(cause);
	}

	private void settleAll(@Nullable Throwable cause) {
		List<CompletableFuture<Void>> toSettle;
		synchronized (this) {
			this.settled = true;
			this.failure = cause;
			toSettle = this.waiters;
			this.waiters = new ArrayList<>(0);
		}
		// Outside the lock: callers' continuations may run on this thread.
		toSettle.forEach(this::settle);
	}

	private void settle(CompletableFuture<Void> future) {
		if (this.failure == null) {
			future.complete(null);
		}
		else {
			future.completeExceptionally(this.failure);
		}
	}

}
