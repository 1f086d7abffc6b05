package io.deepstream.storage.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

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

	private final List<CompletableFuture<Void>> waiters = new ArrayList<>(1);

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

	/** The JSON text, or null for a delete. */
	@Nullable String json() {
		return this.json;
	}

	boolean isDelete() {
		return this.json == null;
	}

	CompletableFuture<Void> addWaiter() {
		CompletableFuture<Void> future = new CompletableFuture<>();
		this.waiters.add(future);
		return future;
	}

	void takeWaitersOf(PendingWrite superseded) {
		this.waiters.addAll(superseded.waiters);
		superseded.waiters.clear();
	}

	int waiterCount() {
		return this.waiters.size();
	}

	void complete() {
		this.waiters.forEach((future) -> future.complete(null));
	}

	void fail(Throwable cause) {
		this.waiters.forEach((future) -> future.completeExceptionally(cause));
	}

}
