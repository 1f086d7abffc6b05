package io.deepstream.storage.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.deepstream.storage.core.RecordName;

import org.jspecify.annotations.Nullable;

/**
 * One buffered operation on one record: an upsert (with version and JSON text), a conditional upsert
 * (applied only if the stored version is the one the caller expects), or a delete, and the futures of
 * every caller whose write it stands for. When a later write to the same record arrives before the
 * flush, the two are {@linkplain #merge merged} into one where that has the effect of writing both in
 * turn; the merged write takes over the earlier callers' futures: they complete when it commits.
 */
final class PendingWrite {

	/**
	 * How an upsert treats the stored row when the version guard is on (without it, every upsert
	 * simply replaces the row, as the reference does).
	 */
	enum Guard {

		/**
		 * Applies if its version is at least the stored one; a version of 0 or less (unversioned, such
		 * as deepstream's record creation and hot-path writes) always applies its value and keeps the
		 * higher stored version.
		 */
		VERSIONED,

		/**
		 * Always applies its value; the stored version becomes the higher of the stored one and this
		 * write's. An unversioned write that replaced a versioned one in the buffer.
		 */
		AT_LEAST,

		/** Replaces the row whatever its version: a write that replaced a delete in the buffer. */
		REPLACE

	}

	/** The expected version of an unconditional write. */
	static final int UNCONDITIONAL = Integer.MIN_VALUE;

	private final String id;

	private final int version;

	/** The stored version this write requires ({@code -1}: no row), or {@link #UNCONDITIONAL}. */
	private final int expected;

	private final @Nullable String json;

	private final Guard guard;

	/**
	 * Who waits for this write: nearly always its one caller, so the first waiter has a field of its
	 * own and a list is made only for more (a list for every write was a tenth of a set's garbage).
	 */
	private @Nullable CompletableFuture<Void> firstWaiter;

	private @Nullable List<CompletableFuture<Void>> moreWaiters;

	/**
	 * How many callers ({@code set} and {@code delete}) this write stands for: the writes that the
	 * statistics count, unlike {@code flush()}, which only waits for it.
	 */
	private int callers;

	private boolean settled;

	private @Nullable Throwable failure;

	private PendingWrite(String id, int version, @Nullable String json, Guard guard) {
		this(id, UNCONDITIONAL, version, json, guard);
	}

	private PendingWrite(String id, int expected, int version, @Nullable String json, Guard guard) {
		this.id = id;
		this.expected = expected;
		this.version = version;
		this.json = json;
		this.guard = guard;
	}

	static PendingWrite upsert(String id, int version, String json) {
		return new PendingWrite(id, version, json, Guard.VERSIONED);
	}

	/**
	 * An upsert that applies only if the stored version is {@code expected} at the time its batch
	 * runs ({@code -1}: only if the record does not exist), checked by PostgreSQL in the batch's own
	 * statement.
	 */
	static PendingWrite conditional(String id, int expected, int version, String json) {
		return new PendingWrite(id, expected, version, json, Guard.REPLACE);
	}

	static PendingWrite delete(String id) {
		return new PendingWrite(id, -1, null, Guard.REPLACE);
	}

	/**
	 * The one write that has the effect of {@code queued} followed by {@code next}, both to the same
	 * record and not yet flushed, or null when there is none and {@code next} must be written in a
	 * batch after {@code queued}'s. Without conditional writes it is the reference's rule (the later
	 * write wins) or, with the version guard, {@link #coalesce}. A conditional write merges only where
	 * its condition is decided by the write before it:
	 * <ul>
	 * <li>after a write that leaves the row at a known version (a conditional one, a delete, or any
	 * upsert that replaces the row), expecting that very version: the merged write is the earlier
	 * write's condition (if any) with the later one's version and value. If the merged write
	 * conflicts, both callers learn of it: the later one's expectation rested on the earlier
	 * write;</li>
	 * <li>in every other case (expecting another version, or after an upsert whose outcome depends on
	 * the stored version) it goes in the next batch, where PostgreSQL decides.</li>
	 * </ul>
	 * A write after a conditional one goes in the next batch too, so that the conditional one's caller
	 * learns whether it applied.
	 * @param queued the write in the buffer
	 * @param next the write arriving
	 * @param versionGuard whether the store runs with the version guard
	 * @return the merged write (possibly {@code queued} or {@code next} itself), or null
	 */
	static @Nullable PendingWrite merge(PendingWrite queued, PendingWrite next, boolean versionGuard) {
		if (!next.isConditional()) {
			if (queued.isConditional()) {
				return null;
			}
			return versionGuard ? coalesce(queued, next) : next;
		}
		if (queued.isConditional()) {
			return leavesExpected(queued, next.expected)
					? new PendingWrite(next.id, queued.expected, next.version, next.json, Guard.REPLACE) : null;
		}
		boolean knownOutcome = queued.isDelete() || !versionGuard || queued.guard == Guard.REPLACE;
		if (knownOutcome && leavesExpected(queued, next.expected)) {
			// the earlier write always applies, so the later one's condition holds: an upsert that replaces the row
			return new PendingWrite(next.id, next.version, next.json, Guard.REPLACE);
		}
		return null;
	}

	/**
	 * Whether the record is as a conditional write expects once {@code queued} has applied: at the
	 * expected version, or for {@code -1} (no record) deleted. Not merely at version -1: a {@code set}
	 * may be given -1, and leaves a record all the same, against which PostgreSQL would report a
	 * conflict.
	 */
	private static boolean leavesExpected(PendingWrite queued, int expected) {
		return (expected == -1) ? queued.isDelete() : (!queued.isDelete() && expected == queued.version);
	}

	/**
	 * The one write that stands for {@code queued} followed by {@code next}, both to the same record
	 * and not yet flushed, when the version guard is on. It has the effect of writing the two in turn:
	 * <ul>
	 * <li>a delete wins, and a write after a delete replaces the row whatever its version;</li>
	 * <li>of two versioned writes the higher version wins, the later one on a tie; the lower one is
	 * dropped, as the database would ignore it ({@code queued} is returned, and its callers and
	 * {@code next}'s complete when it commits);</li>
	 * <li>an unversioned write (version 0 or less) after a versioned one applies its value with at
	 * least the versioned one's version;</li>
	 * <li>a versioned write after an unversioned one wins. This is the one difference from writing both
	 * in turn: had the database held a higher version, the unversioned value would have been applied
	 * under that version; now the newer stored record is kept.</li>
	 * </ul>
	 * @param queued the write in the buffer
	 * @param next the write arriving
	 * @return {@code queued}, {@code next}, or a new write combining them (without callers yet)
	 */
	static PendingWrite coalesce(PendingWrite queued, PendingWrite next) {
		if (next.isDelete()) {
			return next;
		}
		String json = next.json;
		if (queued.isDelete()) {
			return new PendingWrite(next.id, next.version, json, Guard.REPLACE);
		}
		if (next.version <= 0) {
			if (queued.guard == Guard.REPLACE) {
				return new PendingWrite(next.id, Math.max(queued.version, next.version), json, Guard.REPLACE);
			}
			if (queued.version > 0) {
				return new PendingWrite(next.id, queued.version, json, Guard.AT_LEAST);
			}
			return (next.version >= queued.version) ? next
					: new PendingWrite(next.id, queued.version, json, Guard.VERSIONED);
		}
		if (next.version < queued.version) {
			return queued;
		}
		return (queued.guard == Guard.REPLACE) ? new PendingWrite(next.id, next.version, json, Guard.REPLACE) : next;
	}

	String id() {
		return this.id;
	}

	/** Whether this upsert applies only at an expected stored version. */
	boolean isConditional() {
		return this.expected != UNCONDITIONAL;
	}

	/** The stored version this conditional write requires ({@code -1}: no row). */
	int expected() {
		return this.expected;
	}

	int version() {
		return this.version;
	}

	/** The name of this write's record, in the given table. */
	RecordName recordName(String table) {
		return new RecordName(table, this.id);
	}

	/** The JSON text, or null for a delete. */
	@Nullable String json() {
		return this.json;
	}

	boolean isDelete() {
		return this.json == null;
	}

	/** How this upsert treats the stored row when the version guard is on. */
	Guard guard() {
		return this.guard;
	}

	/**
	 * Adds a caller. A write that has already been settled settles the new caller at once, so a
	 * waiter added by {@code flush()} while a batch completes is never left hanging.
	 */
	synchronized CompletableFuture<Void> addWaiter() {
		this.callers++;
		return whenSettled();
	}

	/**
	 * A future for one who only waits for this write ({@code flush()}): settled with it, but not a
	 * caller of its own, so not counted as a write committed or failed.
	 */
	synchronized CompletableFuture<Void> whenSettled() {
		CompletableFuture<Void> future = new CompletableFuture<>();
		if (this.settled) {
			settle(future);
		}
		else {
			enlist(future);
		}
		return future;
	}

	private void enlist(CompletableFuture<Void> future) {
		if (this.firstWaiter == null) {
			this.firstWaiter = future;
		}
		else {
			if (this.moreWaiters == null) {
				this.moreWaiters = new ArrayList<>(2);
			}
			this.moreWaiters.add(future);
		}
	}

	synchronized void takeWaitersOf(PendingWrite superseded) {
		synchronized (superseded) {
			if (superseded.firstWaiter != null) {
				enlist(superseded.firstWaiter);
			}
			if (superseded.moreWaiters != null) {
				superseded.moreWaiters.forEach(this::enlist);
			}
			superseded.firstWaiter = null;
			superseded.moreWaiters = null;
			this.callers += superseded.callers;
			superseded.callers = 0;
		}
	}

	/** The callers this write stands for (see {@link #callers}), for the statistics. */
	synchronized int waiterCount() {
		return this.callers;
	}

	void complete() {
		settleAll(null);
	}

	void fail(Throwable cause) {
		settleAll(cause);
	}

	private void settleAll(@Nullable Throwable cause) {
		@Nullable CompletableFuture<Void> first;
		@Nullable List<CompletableFuture<Void>> more;
		synchronized (this) {
			this.settled = true;
			this.failure = cause;
			first = this.firstWaiter;
			more = this.moreWaiters;
			this.firstWaiter = null;
			this.moreWaiters = null;
		}
		// Outside the lock: callers' continuations may run on this thread.
		if (first != null) {
			settle(first);
		}
		if (more != null) {
			for (CompletableFuture<Void> future : more) {
				settle(future);
			}
		}
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
