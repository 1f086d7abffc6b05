package io.deepstream.storage.store;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntSupplier;

import io.deepstream.storage.core.RecordName;
import org.jspecify.annotations.Nullable;

/**
 * Writes accepted but not yet committed, per table, bounded in number. It also answers reads of
 * records with an uncommitted write (read-your-writes) until that write is committed or has failed.
 */
final class WriteBuffer {

	private final ReentrantLock lock = new ReentrantLock();

	/** Signalled when writes are committed or failed, so blocked writers may find room. */
	private final Condition roomAvailable = this.lock.newCondition();

	/** Raised when the flusher has work here: a full batch, writers waiting for room, a finished batch. */
	private final FlushSignal flushSignal;

	private final Map<String, TableQueue> queues = new LinkedHashMap<>();

	/**
	 * Tables to take without waiting for the interval (a full batch, or a backlog), so that taking
	 * between intervals does not scan every table: with many tables, that scan held the lock.
	 */
	private final Set<String> ready = new LinkedHashSet<>();

	private final int maxBatchSize;

	/**
	 * The most characters of JSON text in one batch, except that a batch always takes its first write:
	 * a batch's values travel as one {@code text[]} parameter, which PostgreSQL refuses beyond 1 GB
	 * (failing every write of the batch), and which the client builds in one array. 64 Mi characters
	 * are at most 192 MiB of UTF-8 (a character outside the BMP is two of them, in four bytes).
	 */
	static final long MAX_BATCH_CHARS = 64L * 1024 * 1024;

	private final long maxBatchChars;

	private final int maxBufferedWrites;

	private final WhenBufferFull whenFull;

	private final Duration fullTimeout;

	private final boolean versionGuard;

	/** Writes taken into the buffer and not yet done (queued or in flight). */
	private int uncommitted;

	private boolean closed;

	WriteBuffer(FlushSignal flushSignal, int maxBatchSize, int maxBufferedWrites, WhenBufferFull whenFull,
			Duration fullTimeout, boolean versionGuard) {
		this(flushSignal, maxBatchSize, MAX_BATCH_CHARS, maxBufferedWrites, whenFull, fullTimeout, versionGuard);
	}

	WriteBuffer(FlushSignal flushSignal, int maxBatchSize, long maxBatchChars, int maxBufferedWrites,
			WhenBufferFull whenFull, Duration fullTimeout, boolean versionGuard) {
		this.flushSignal = flushSignal;
		this.maxBatchSize = maxBatchSize;
		this.maxBatchChars = maxBatchChars;
		this.maxBufferedWrites = maxBufferedWrites;
		this.whenFull = whenFull;
		this.fullTimeout = fullTimeout;
		this.versionGuard = versionGuard;
	}

	/**
	 * Buffers a write. An earlier queued write to the same record is replaced and hands its callers
	 * over where {@link PendingWrite#merge} can make one write of the two: the later write, as the
	 * reference does, or with the version guard what {@link PendingWrite#coalesce} makes of them (a
	 * stale write does not replace a newer one). Where it cannot (a conditional write whose condition
	 * the earlier write does not decide, or any write after a conditional one), the write queues up
	 * behind the earlier one and goes in a later batch of its table.
	 * @return the future of this caller
	 * @throws BufferFullException if there is no room (at once, or after the timeout)
	 * @throws InterruptedException if interrupted while waiting for room
	 */
	CompletableFuture<Void> add(RecordName recordName, PendingWrite write) throws InterruptedException {
		this.lock.lockInterruptibly();
		try {
			requireOpen();
			// The table's queue is made before it is known whether the write needs one: a branch for
			// a missing queue would be taken only by a store's first writes to a table, so code
			// compiled after them treated it as impossible, and the next new store (or new table) sent
			// the whole compiled write path back to the interpreter to be compiled again.
			TableQueue queue = queueOf(recordName.table());
			PendingWrite last = queue.last(recordName.id());
			PendingWrite merged = mergeInto(last, write);
			if (merged == null) {
				boolean waited;
				try {
					waited = awaitRoom(ONE_WRITE);
				}
				catch (RuntimeException | InterruptedException ex) {
					forgetIfUnused(recordName.table(), queue);
					throw ex;
				}
				if (waited) {
					// waiting released the lock: a batch that finished meanwhile may have removed the
					// queue, and another write to the record may have come in
					queue = queueOf(recordName.table());
					last = queue.last(recordName.id());
					merged = mergeInto(last, write);
				}
			}
			return enqueue(recordName, queue, write, last, merged);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Buffers several unconditional writes (a bulk delete), all or none: waits, as {@link #add} does,
	 * until the buffer has room for every one that does not merge into a queued write, then adds them
	 * in order. A caller who is refused (no room, the store closed) knows that none of them was buffered.
	 * @param recordNames the records, in the order of the writes
	 * @param writes the writes, none conditional
	 * @return the future of each write, in order
	 * @throws BufferFullException if there is no room for all of them (at once, or after the timeout),
	 * or they need more room than the whole buffer has
	 * @throws InterruptedException if interrupted while waiting for room
	 */
	List<CompletableFuture<Void>> addAll(List<RecordName> recordNames, List<PendingWrite> writes)
			throws InterruptedException {
		this.lock.lockInterruptibly();
		try {
			requireOpen();
			int needed = roomNeeded(recordNames, writes);
			if (needed > this.maxBufferedWrites) {
				throw new BufferFullException(needed + " writes at once need more room than the write buffer has (maxBufferedWrites="
						+ this.maxBufferedWrites + "); nothing was buffered: give them in smaller groups");
			}
			// what merges may change while the lock is released: counted again after each wait
			awaitRoom(() -> roomNeeded(recordNames, writes));
			List<CompletableFuture<Void>> futures = new ArrayList<>(writes.size());
			for (int i = 0; i < writes.size(); i++) {
				RecordName recordName = recordNames.get(i);
				PendingWrite write = writes.get(i);
				TableQueue queue = queueOf(recordName.table());
				PendingWrite last = queue.last(recordName.id());
				PendingWrite merged = mergeInto(last, write);
				futures.add(enqueue(recordName, queue, write, last, merged));
			}
			return futures;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * What a write arriving after {@code last}, the latest queued write of its record, becomes
	 * ({@link PendingWrite#merge}); null if it queues on its own.
	 */
	private @Nullable PendingWrite mergeInto(@Nullable PendingWrite last, PendingWrite write) {
		return (last != null) ? PendingWrite.merge(last, write, this.versionGuard) : null;
	}

	/**
	 * How many of these unconditional writes would take room of their own: those that merge neither
	 * into a queued write nor into an earlier one of the same record among them.
	 */
	private int roomNeeded(List<RecordName> recordNames, List<PendingWrite> writes) {
		Set<RecordName> seen = new HashSet<>();
		int needed = 0;
		for (int i = 0; i < writes.size(); i++) {
			RecordName recordName = recordNames.get(i);
			if (!seen.add(recordName)) {
				continue; // merges into the earlier one: two unconditional writes always do
			}
			TableQueue queue = this.queues.get(recordName.table());
			PendingWrite last = (queue != null) ? queue.last(recordName.id()) : null;
			if (mergeInto(last, writes.get(i)) == null) {
				needed++;
			}
		}
		return needed;
	}

	/**
	 * Puts a write into its table's queue, the room for it (if it merges into no queued write) made
	 * sure of: replaces the queued write it merges into, or appends it, behind a queued write of the
	 * record it cannot merge into.
	 * @return the caller's future
	 */
	private CompletableFuture<Void> enqueue(RecordName recordName, TableQueue queue, PendingWrite write,
			@Nullable PendingWrite last, @Nullable PendingWrite merged) {
		PendingWrite next;
		if (merged != null && last != null) {
			next = merged;
			if (next != last) {
				next.takeWaitersOf(last);
				queue.replaceLast(recordName.id(), next);
			}
		}
		else {
			next = write;
			this.uncommitted++;
			queue.append(recordName.id(), next, last != null);
		}
		CompletableFuture<Void> future = next.addWaiter();
		if (queue.pending.size() >= this.maxBatchSize) {
			this.ready.add(recordName.table());
			if (!queue.inFlight) {
				this.flushSignal.raise();
			}
		}
		return future;
	}

	/** The queue of a table, made if it has none. */
	private TableQueue queueOf(String table) {
		return this.queues.computeIfAbsent(table, NEW_QUEUE);
	}

	private static final Function<String, TableQueue> NEW_QUEUE = (table) -> new TableQueue();

	/** Removes a queue that {@link #add} made for a write it then refused, unless something uses it. */
	private void forgetIfUnused(String table, TableQueue queue) {
		if (queue.pending.isEmpty() && queue.later.isEmpty() && !queue.inFlight) {
			this.queues.remove(table, queue);
		}
	}

	/** The room a single write that merges into no queued write needs. */
	private static final IntSupplier ONE_WRITE = () -> 1;

	/**
	 * Returns at once while the buffer has room for the writes; otherwise waits for it, releasing the
	 * lock meanwhile.
	 * @param needed how many places the writes take, counted anew after each wait
	 * @return whether it waited (and released the lock)
	 */
	private boolean awaitRoom(IntSupplier needed) throws InterruptedException {
		if (this.uncommitted + needed.getAsInt() <= this.maxBufferedWrites) {
			return false;
		}
		if (this.whenFull == WhenBufferFull.FAIL) {
			throw full();
		}
		// Writers are blocked: flush what is queued now rather than at the next interval.
		this.flushSignal.raise();
		long nanos = this.fullTimeout.toNanos();
		while (this.uncommitted + needed.getAsInt() > this.maxBufferedWrites) {
			if (nanos <= 0) {
				throw full();
			}
			nanos = this.roomAvailable.awaitNanos(nanos);
			requireOpen();
		}
		return true;
	}

	private void requireOpen() {
		if (this.closed) {
			throw new IllegalStateException("The record store is closed; the write was not accepted");
		}
	}

	/** Accepts no more writes; those already accepted are still flushed. */
	void close() {
		this.lock.lock();
		try {
			this.closed = true;
			this.roomAvailable.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Removes every queued (not in-flight) write, for a store that gives up at close.
	 * @return the writes removed; the caller fails their futures
	 */
	List<PendingWrite> abandonQueued() {
		this.lock.lock();
		try {
			List<PendingWrite> abandoned = new ArrayList<>();
			for (TableQueue queue : this.queues.values()) {
				List<PendingWrite> queued = new ArrayList<>(queue.pending.values());
				queue.later.values().forEach(queued::addAll);
				abandoned.addAll(queued);
				this.uncommitted -= queued.size();
				queue.pending.clear();
				queue.pendingChars = 0;
				queue.later.clear();
			}
			this.queues.values().removeIf((queue) -> !queue.inFlight);
			this.ready.clear();
			this.roomAvailable.signalAll();
			return abandoned;
		}
		finally {
			this.lock.unlock();
		}
	}

	private BufferFullException full() {
		return new BufferFullException("Write buffer full: " + this.uncommitted + " writes are not committed yet (maxBufferedWrites="
				+ this.maxBufferedWrites + "); PostgreSQL is slower than the writers or unreachable");
	}

	/**
	 * Futures that complete when every write accepted so far is done: one waiter on the newest write of
	 * each record (an older write of the same record is in flight before it, in the same table).
	 */
	List<CompletableFuture<Void>> waitForAccepted() {
		this.lock.lock();
		try {
			List<CompletableFuture<Void>> futures = new ArrayList<>(this.uncommitted);
			for (TableQueue queue : this.queues.values()) {
				queue.forEachNewest((write) -> futures.add(write.whenSettled()));
			}
			return futures;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * The latest uncommitted write of a record, if any: queued behind another, pending, or in flight.
	 * Looked up in its table's queue, under the buffer's lock, rather than in a concurrent index of
	 * every buffered write: such an index cost each write an insertion on the caller's thread and a
	 * removal on the flush thread (a quarter of that thread's CPU once the JIT had settled), while a
	 * read that finds nothing here goes on to PostgreSQL, which costs far more than the lock.
	 */
	@Nullable PendingWrite visible(RecordName recordName) {
		this.lock.lock();
		try {
			TableQueue queue = this.queues.get(recordName.table());
			return (queue != null) ? queue.newest(recordName.id()) : null;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Takes batches for tables with nothing in flight.
	 * @param all whether to take every table with pending writes, or only those with a full batch and
	 * those whose writes queued up while their previous batch was in flight (every table, too, while
	 * the buffer is full)
	 * @return the batches, each now in flight until {@link #done}
	 */
	List<TableBatch> take(boolean all) {
		this.lock.lock();
		try {
			// A full buffer blocks the writers: every table's writes go now, not at the next interval.
			boolean sweep = all || this.uncommitted >= this.maxBufferedWrites;
			List<TableBatch> batches = new ArrayList<>();
			List<String> settled = new ArrayList<>();
			for (String table : sweep ? this.queues.keySet() : this.ready) {
				TableQueue queue = this.queues.get(table);
				if (queue == null || queue.pending.isEmpty()) {
					settled.add(table);
					continue;
				}
				if (queue.inFlight) {
					// These writes miss this sweep because of the batch in flight: they go as soon as it is done.
					queue.missedSweep |= sweep;
					continue;
				}
				if (!sweep && !queue.backlog && queue.pending.size() < this.maxBatchSize) {
					continue;
				}
				List<PendingWrite> writes = queue.takePending(this.maxBatchSize, this.maxBatchChars);
				queue.promoteSuccessors(writes);
				queue.backlog = false;
				// What this sweep found but could not take (beyond a batch, or chained behind a write of
				// it) missed it too.
				queue.missedSweep = sweep && !queue.pending.isEmpty();
				settled.add(table);
				batches.add(new TableBatch(table, writes));
			}
			// what is left of a table taken now goes after its batch is done, as a backlog
			settled.forEach(this.ready::remove);
			return batches;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Marks a batch finished (committed or failed): its writes stop being visible to reads and free
	 * their room. Writes to the table that missed a sweep (an interval's flush, {@code flushNow}) while
	 * the batch was in flight have waited for longer than the interval, so they are taken next: under
	 * load the flusher stays busy and batches grow with the backlog (group commit). Writes that queued
	 * up meanwhile but missed no sweep wait for the next one, as any write does: a steady load that the
	 * flusher keeps up with is written once per interval in a few large transactions, not in a stream
	 * of small ones right after each commit. The caller completes the futures afterwards, outside the
	 * lock: a caller who saw a write fail does not read the value that was never written.
	 */
	void done(TableBatch batch) {
		this.lock.lock();
		try {
			TableQueue queue = this.queues.get(batch.table());
			if (queue != null) {
				queue.landed();
				if (queue.pending.isEmpty()) {
					this.queues.remove(batch.table());
					this.ready.remove(batch.table());
				}
				else if (queue.missedSweep) {
					queue.backlog = true;
					this.ready.add(batch.table());
				}
			}
			this.uncommitted -= batch.size();
			this.roomAvailable.signalAll();
			this.flushSignal.raise();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Writes accepted and not yet committed or failed. */
	int uncommitted() {
		this.lock.lock();
		try {
			return this.uncommitted;
		}
		finally {
			this.lock.unlock();
		}
	}

	boolean isEmpty() {
		return uncommitted() == 0;
	}

	private static final class TableQueue {

		/** At most one write per id: the next batch is taken from here. */
		private LinkedHashMap<String, PendingWrite> pending = new LinkedHashMap<>();

		/** The characters of JSON text of the pending writes. */
		private long pendingChars;

		/**
		 * The writes of the batch in flight, by id, for reads; empty when none is. The map of a batch
		 * taken whole is the pending map itself, and this one, cleared, becomes the next pending map:
		 * both keep their capacity, so that neither grows again with every batch.
		 */
		private LinkedHashMap<String, PendingWrite> inFlightWrites = new LinkedHashMap<>();

		/**
		 * Writes that must go in a later batch than the pending write of their id, in order. An id has
		 * an entry here only while it has a pending write.
		 */
		private final Map<String, ArrayDeque<PendingWrite>> later = new HashMap<>();

		private boolean inFlight;

		/** Whether the pending writes missed a sweep while a batch was in flight, and go next. */
		private boolean backlog;

		/** Whether a sweep passed this table over while its batch was in flight. */
		private boolean missedSweep;

		/** The latest queued write of an id (behind another, or pending), which a new write follows. */
		@Nullable PendingWrite last(String id) {
			ArrayDeque<PendingWrite> chain = this.later.get(id);
			return (chain != null) ? chain.peekLast() : this.pending.get(id);
		}

		/** The latest write of an id not yet done: queued, or else in flight. */
		@Nullable PendingWrite newest(String id) {
			PendingWrite queued = last(id);
			return (queued != null) ? queued : this.inFlightWrites.get(id);
		}

		/** Hands every id's latest write not yet done to the action. */
		void forEachNewest(Consumer<PendingWrite> action) {
			for (PendingWrite write : this.inFlightWrites.values()) {
				if (!this.pending.containsKey(write.id())) {
					action.accept(write);
				}
			}
			for (Map.Entry<String, PendingWrite> entry : this.pending.entrySet()) {
				ArrayDeque<PendingWrite> chain = this.later.get(entry.getKey());
				action.accept((chain != null) ? chain.getLast() : entry.getValue());
			}
		}

		void replaceLast(String id, PendingWrite write) {
			ArrayDeque<PendingWrite> chain = this.later.get(id);
			if (chain != null) {
				chain.pollLast();
				chain.addLast(write);
			}
			else {
				PendingWrite replaced = this.pending.put(id, write);
				this.pendingChars += chars(write) - ((replaced != null) ? chars(replaced) : 0);
			}
		}

		void append(String id, PendingWrite write, boolean behindQueued) {
			if (behindQueued) {
				this.later.computeIfAbsent(id, (key) -> new ArrayDeque<>(2)).addLast(write);
			}
			else {
				this.pending.put(id, write);
				this.pendingChars += chars(write);
			}
		}

		private static int chars(PendingWrite write) {
			String json = write.json();
			return (json != null) ? json.length() : 0;
		}

		/**
		 * How many of the first pending writes make the next batch: up to {@code maxBatchSize}, and no
		 * more than {@code maxBatchChars} characters of JSON text unless that is the first write alone.
		 */
		private int batchCount(int maxBatchSize, long maxBatchChars) {
			if (this.pendingChars <= maxBatchChars) {
				return Math.min(this.pending.size(), maxBatchSize);
			}
			int count = 0;
			long chars = 0;
			for (PendingWrite write : this.pending.values()) {
				chars += chars(write);
				if (count == maxBatchSize || (count > 0 && chars > maxBatchChars)) {
					break;
				}
				count++;
			}
			return count;
		}

		/**
		 * Takes the first pending writes, in order, up to a batch ({@code maxBatchSize} writes, and at
		 * most {@code maxBatchChars} characters of JSON text unless the first write alone has more), and
		 * puts them in flight. The pending
		 * map becomes the batch's map, and the empty one of the last batch takes the pending writes, so
		 * that only what lies beyond the batch moves, from one map to the other: rather than removing
		 * 5,000 writes one by one (each removal relinks its neighbours, in a loop that C2 compiled again
		 * and again) or, in a read index of their own, inserting and removing every write. After a long
		 * backlog the batch is the smaller part, and moves instead.
		 */
		List<PendingWrite> takePending(int maxBatchSize, long maxBatchChars) {
			this.inFlight = true;
			int count = batchCount(maxBatchSize, maxBatchChars);
			List<PendingWrite> writes = new ArrayList<>(count);
			long takenChars = 0;
			if (this.pending.size() - count > count) {
				Iterator<PendingWrite> it = this.pending.values().iterator();
				while (writes.size() < count) {
					PendingWrite write = it.next();
					it.remove();
					writes.add(write);
					takenChars += chars(write);
					this.inFlightWrites.put(write.id(), write);
				}
				this.pendingChars -= takenChars;
				return writes;
			}
			LinkedHashMap<String, PendingWrite> taken = this.pending;
			this.pending = this.inFlightWrites;
			this.inFlightWrites = taken;
			Iterator<PendingWrite> it = taken.values().iterator();
			while (writes.size() < count && it.hasNext()) {
				PendingWrite write = it.next();
				writes.add(write);
				takenChars += chars(write);
			}
			// what lies beyond the batch stays pending
			while (it.hasNext()) {
				PendingWrite write = it.next();
				it.remove();
				this.pending.put(write.id(), write);
			}
			this.pendingChars -= takenChars;
			return writes;
		}

		/** The batch in flight is done: its writes are no longer read from here. */
		void landed() {
			this.inFlight = false;
			this.inFlightWrites.clear();
		}

		/** After a batch was taken: the next write of each id it took, if any, is pending now. */
		void promoteSuccessors(List<PendingWrite> taken) {
			if (this.later.isEmpty()) {
				return;
			}
			for (PendingWrite write : taken) {
				ArrayDeque<PendingWrite> chain = this.later.get(write.id());
				if (chain != null) {
					PendingWrite successor = chain.pollFirst();
					this.pending.put(write.id(), successor);
					this.pendingChars += chars(successor);
					if (chain.isEmpty()) {
						this.later.remove(write.id());
					}
				}
			}
		}

	}

}
